package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable add is answered after its group commit, on another thread than the one that read it;
 * the connection then looks for its next request ({@link NextRequestConnections}). A request
 * already buffered behind the add (pipelined) must be read at once, not after bytes the client
 * will never send; a connection with nothing buffered must read the next request when it comes.
 */
class NextRequestConnectionsTest {
    private static final String HOST = "Host: " + RunningGoto.HOST + "\r\n";

    private static String add(String url) {
        String body = "url=" + url;
        return "POST /add HTTP/1.1\r\n" + HOST + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void addsPipelinedBehindADurableAddAreAllAnswered(@TempDir Path folder) throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(folder.resolve("links.data")));
             RawHttp http = RawHttp.connect(app.service().appPort())) {
            http.send(add("https://example.com/a") + add("https://example.com/b") + add("https://example.com/c"));
            for (String url : new String[] {"https://example.com/a", "https://example.com/b", "https://example.com/c"}) {
                RawHttp.Response answer = http.read(false);
                assertThat(answer.status()).as(url).isEqualTo(200);
                assertThat(app.get("/" + RunningGoto.keyOf(answer.body().strip())).headers().firstValue("Location"))
                        .contains(url);
            }
        }
    }

    @Test
    void theNextRequestOnAnIdleConnectionIsReadWhenItComes(@TempDir Path folder) throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(folder.resolve("links.data")));
             RawHttp http = RawHttp.connect(app.service().appPort())) {
            for (int i = 0; i < 50; i++) {
                RawHttp.Response answer = http.exchange(add("https://example.com/one-by-one/" + i));
                assertThat(answer.status()).as("add %d", i).isEqualTo(200);
                Thread.sleep(i % 10); // the next request sometimes arrives after the connection waits for it
            }
        }
    }
}
