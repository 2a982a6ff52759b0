package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fails under a running goto, as its clients and its operator see it. */
class DiskFailureOverHttpTest {
    @TempDir
    Path dir;

    @Test
    void addsAnswer503WithTheReasonWhileRedirectsAndHealthTellTheRest() throws Exception {
        Path file = dir.resolve("goto.data");
        HookedChannel[] channel = new HookedChannel[1];
        String first;
        String second;
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file), (config, metrics) -> LogLinkStore.open(config.file(),
                LogLinkStore.Options.defaults().withWriteChannel(real -> channel[0] = new HookedChannel(real))))) {
            first = addKey(app, "https://example.com/first");
            second = addKey(app, "https://example.com/second");
            assertThat(app.admin("/health/ready").statusCode()).isEqualTo(200);
            channel[0].beforeWrite = () -> {
                throw new IOException("No space left on device");
            };

            HttpResponse<String> refused = add(app, "https://example.com/refused");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body())
                    .startsWith("add refused, nothing stored: goto cannot store links")
                    .contains(file.toString())
                    .contains("No space left on device")
                    .contains("Existing links still redirect");
            // A failed disk does not heal by itself: no Retry-After invites clients to hammer goto.
            assertThat(refused.headers().firstValue("Retry-After")).isEmpty();

            HttpResponse<String> again = add(app, "https://example.com/refused-again");
            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(again.body()).contains("No space left on device");

            HttpResponse<String> redirect = app.get("/" + first);
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains("https://example.com/first");
            assertThat(app.get("/c").statusCode()).as("the refused add is not served").isEqualTo(404);

            HttpResponse<String> ready = app.admin("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("cannot store links").contains("No space left on device");
            assertThat(app.admin("/health/live").statusCode()).isEqualTo(200);
            assertThat(app.admin("/metrics").body()).containsPattern("goto_adds_refused_total\\{reason=\"failed\"} 2.0");
            assertThat(app.shutdown()).as("a stop after a failed disk is not a clean stop (exit code 1)").isFalse();
        }

        try (RunningGoto restarted = RunningGoto.start(RunningGoto.config(file))) {
            assertThat(restarted.get("/" + first).headers().firstValue("Location")).contains("https://example.com/first");
            assertThat(restarted.get("/" + second).headers().firstValue("Location")).contains("https://example.com/second");
            assertThat(addKey(restarted, "https://example.com/after-the-fix")).isEqualTo("c");
        }
    }

    /** GET /add?url=, which goto answers like the form. */
    static HttpResponse<String> add(RunningGoto app, String url) throws Exception {
        return app.get("/add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    static String addKey(RunningGoto app, String url) throws Exception {
        HttpResponse<String> response = add(app, url);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return RunningGoto.keyOf(response.body().strip());
    }
}
