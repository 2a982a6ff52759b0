package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * At the connection limit goto stops accepting: a further client waits in the listen backlog,
 * unanswered, until a connection closes, instead of goto running out of file descriptors.
 */
class ConnectionLimitTest {
    private static final WebServer.Limits LIMITS =
            new WebServer.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 16 * 1024, 2);
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: goto.test\r\n\r\n";

    @Test
    void aClientOverTheLimitWaitsUntilAConnectionCloses() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS).withAdmin(null));
             Socket first = new Socket("127.0.0.1", app.service().appPort());
             Socket second = new Socket("127.0.0.1", app.service().appPort());
             Socket third = new Socket("127.0.0.1", app.service().appPort())) {
            assertThat(RawHttp.exchange(first, REQUEST)).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.exchange(second, REQUEST)).startsWith("HTTP/1.1 200");

            third.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            third.setSoTimeout(1000);
            InputStream in = third.getInputStream();
            boolean answered;
            try {
                answered = in.read() >= 0;
            } catch (SocketTimeoutException waiting) {
                answered = false;
            }
            assertThat(answered).as("a third connection answered while two are open with a limit of two").isFalse();

            first.close();
            third.setSoTimeout(10_000);
            assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 200");
        }
    }
}
