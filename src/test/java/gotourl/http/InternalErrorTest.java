package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.QueryAdd;
import gotourl.RunningGoto;
import gotourl.StderrCapture;
import gotourl.ops.PrometheusText;
import gotourl.link.Link;
import gotourl.store.ForwardingLinkStore;
import gotourl.store.LinkStore;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An unexpected exception inside goto answers 500 with a short id, logs that id with the stack
 * trace, shows the client no trace, and leaves the server serving.
 */
class InternalErrorTest {
    private static final Pattern ID = Pattern.compile("internal error \\(id ([0-9a-f]{1,8})\\)");

    @Test
    void aLookupThatThrowsAnswers500WithAnIdAndTheNextRequestSucceeds() throws Exception {
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(null), (config, metrics) -> new Faulty(new MemoryLinkStore()))) {
            String key = QueryAdd.key(app, "https://example.com/fine");

            HttpResponse<String> failed = app.get("/" + Faulty.KEY_THAT_THROWS);

            assertThat(failed.statusCode()).isEqualTo(500);
            Matcher id = ID.matcher(failed.body());
            assertThat(id.find()).as("an id in: " + failed.body()).isTrue();
            assertThat(failed.body()).doesNotContain("Exception").doesNotContain("at gotourl").doesNotContain(Faulty.SECRET);
            assertThat(log.text())
                    .contains("internal error " + id.group(1) + " on GET /" + Faulty.KEY_THAT_THROWS)
                    .contains("java.lang.IllegalStateException: " + Faulty.SECRET)
                    .containsPattern("\\s+at gotourl\\.http\\.InternalErrorTest\\$Faulty\\.lookup");

            HttpResponse<String> next = app.get("/" + key);
            assertThat(next.statusCode()).as("the server still serves").isEqualTo(302);
            assertThat(next.headers().firstValue("Location")).contains("https://example.com/fine");
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_requests_total", "route", "redirect", "status", "500")).isEqualTo(1);
        }
    }

    @Test
    void anAddThatThrowsAnswers500AndTheNextAddSucceeds() throws Exception {
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(null), (config, metrics) -> new Faulty(new MemoryLinkStore()))) {
            HttpResponse<String> failed = QueryAdd.add(app, Faulty.URL_THAT_THROWS);
            assertThat(failed.statusCode()).isEqualTo(500);
            Matcher id = ID.matcher(failed.body());
            assertThat(id.find()).isTrue();
            assertThat(failed.body()).doesNotContain("Exception").doesNotContain(Faulty.SECRET);
            assertThat(log.text()).contains("internal error " + id.group(1) + " on GET /add?url=");

            HttpResponse<String> failedLater = QueryAdd.add(app, Faulty.URL_THAT_FAILS_LATER);
            assertThat(failedLater.statusCode()).as("a future failed with an unexpected exception").isEqualTo(500);
            assertThat(failedLater.body()).doesNotContain(Faulty.SECRET);

            assertThat(QueryAdd.add(app, "https://example.com/fine").statusCode()).isEqualTo(200);
        }
    }

    /** A store with a bug: some keys and URLs make it throw. */
    static final class Faulty extends ForwardingLinkStore {
        static final String KEY_THAT_THROWS = "boom";
        static final String URL_THAT_THROWS = "https://example.com/throws";
        static final String URL_THAT_FAILS_LATER = "https://example.com/fails-later";
        static final String SECRET = "index page 7 is corrupt at slot 12";

        Faulty(LinkStore store) {
            super(store);
        }

        @Override
        public Link lookup(String key) {
            if (key.equals(KEY_THAT_THROWS)) {
                throw new IllegalStateException(SECRET);
            }
            return store.lookup(key);
        }

        @Override
        public CompletableFuture<String> add(String url) {
            if (url.equals(URL_THAT_THROWS)) {
                throw new IllegalStateException(SECRET);
            }
            if (url.equals(URL_THAT_FAILS_LATER)) {
                return CompletableFuture.failedFuture(new ArrayIndexOutOfBoundsException(SECRET));
            }
            return store.add(url);
        }
    }
}
