package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API refuses some requests from their headers alone (a bad key, a method the route does
 * not take): a client that sends its whole body before it reads, as {@code goto import -url}
 * and most HTTP clients do, must get that refusal, not a reset, over a real socket.
 */
class RefusedApiBodiesTest {
    private static final String BODY = "{\"shortUrls\":[{\"longUrl\":\"https://example.com/" + "a".repeat(150_000) + "\"}]}";

    @RegisterExtension
    final KeyedMemoryGoto running = new KeyedMemoryGoto();

    @Test
    void aBadKeysBodyIsReadToItsEndSoThe401ArrivesAndTheConnectionStaysUsable() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            String refused = RawHttp.exchange(socket, post("/rest/v3/short-urls/batch", "not-a-key-0123456789"));
            assertThat(refused).startsWith("HTTP/1.1 401 ").contains("invalid-api-key").doesNotContain("Connection: close");
            String next = RawHttp.exchange(socket, "GET /rest/health HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 200 ");
        }
        assertThat(running.app().service().store().size()).isZero();
    }

    @Test
    void aMissingKeysBodyAndAWrongMethodsBodyAreReadToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            String missing = RawHttp.exchange(socket, post("/rest/v3/short-urls", null));
            assertThat(missing).startsWith("HTTP/1.1 401 ").contains("missing-authentication").doesNotContain("Connection: close");
            String wrongMethod = RawHttp.exchange(socket, post("/rest/v3/tags/stats", TestApiKeys.ADMIN));
            assertThat(wrongMethod).startsWith("HTTP/1.1 405 ").doesNotContain("Connection: close");
            String next = RawHttp.exchange(socket, "GET /rest/health HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 200 ");
        }
        assertThat(running.app().service().store().size()).isZero();
    }

    private static String post(String path, String key) {
        return "POST " + path + " HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/json\r\n"
                + (key == null ? "" : "X-Api-Key: " + key + "\r\n") + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;
    }
}
