package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.api.TestApiKeys;
import gotourl.store.MemoryLinkStore;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes outside the REST API that answer from the headers alone (the web app's pages and the
 * add form's 405, a short code's 405, a protected link's 403 and 415): a client that
 * sends its whole ~150 KB body before it reads gets that answer, not a reset, over a real socket,
 * and the connection serves the next request. The admin listener's answers too.
 */
class RefusedAppBodiesTest {
    private static final String BODY = "password=" + "a".repeat(150_000);

    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        var created = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls")).header("X-Api-Key", TestApiKeys.ADMIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"longUrl\": \"https://example.com/locked\", \"customSlug\": \"locked\","
                        + " \"password\": \"correct horse battery\"}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(app.add("https://example.com/plain").statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void eachRefusalFromTheHeadersArrivesAndTheConnectionStaysUsable() throws Exception {
        String plain = RunningGoto.keyOf(app.add("https://example.com/plain").body());
        String[][] cases = {
                {"POST", "/", "application/x-www-form-urlencoded", null, "405"},
                {"POST", "/manage", "application/x-www-form-urlencoded", null, "405"},
                {"PUT", "/add", "application/x-www-form-urlencoded", null, "405"},
                {"POST", "/nosuchkey", "application/x-www-form-urlencoded", null, "405"},
                {"POST", "/" + plain, "application/x-www-form-urlencoded", null, "405"},
                {"POST", "/locked", "application/json", null, "415"},
                {"POST", "/locked", "application/x-www-form-urlencoded", "https://elsewhere.example", "403"},
        };
        try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            for (String[] c : cases) {
                String answer = RawHttp.exchange(socket, c[0] + " " + c[1] + " HTTP/1.1\r\nHost: " + RunningGoto.HOST
                        + "\r\nContent-Type: " + c[2] + "\r\n" + (c[3] == null ? "" : "Origin: " + c[3] + "\r\n")
                        + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY);
                assertThat(answer).as(c[0] + " " + c[1]).startsWith("HTTP/1.1 " + c[4] + " ").doesNotContain("Connection: close");
            }
            String next = RawHttp.exchange(socket, "GET /" + plain + " HTTP/1.1\r\nHost: " + RunningGoto.HOST + "\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 302 ");
        }
    }

    @Test
    void theAdminListenersAnswersArriveToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.service().adminPort())) {
            for (String[] c : new String[][] {{"POST", "/health/ready", "405"}, {"GET", "/nosuchpath", "404"}}) {
                String answer = RawHttp.exchange(socket, c[0] + " " + c[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY);
                assertThat(answer).as(c[0] + " " + c[1]).startsWith("HTTP/1.1 " + c[2] + " ").doesNotContain("Connection: close");
            }
            String next = RawHttp.exchange(socket, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 200 ");
        }
    }
}
