package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.link.LongUrlRules;
import gotourl.ops.PrometheusText;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests over goto's size limits are refused with the status that says which, and nothing is stored. */
class RequestSizeLimitsTest {
    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aFormBodyOverTheLimitIs413() throws Exception {
        String body = "url=https://example.com/" + "a".repeat(AddRoute.MAX_FORM_BYTES);
        String response = send("POST /add HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(response).startsWith("HTTP/1.1 413 ").contains("the limit is " + AddRoute.MAX_FORM_BYTES + " bytes");
        assertNothingStored();
        assertCounted("add", "413");
    }

    /**
     * A client that sends its whole body before it reads (most do) must get the 413, not a reset:
     * goto answers from the headers and then reads the refused body to its end, so the
     * connection is still good for the next request.
     */
    @Test
    void aRefusedBodyIsReadToItsEndSoTheConnectionStaysUsable() throws Exception {
        String body = "url=https://example.com/" + "a".repeat(200_000);
        try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            String refused = RawHttp.exchange(socket, "POST /add HTTP/1.1\r\nHost: goto.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(refused).startsWith("HTTP/1.1 413 ").doesNotContain("Connection: close");
            String next = RawHttp.exchange(socket, "GET /add?url=https://example.com/after HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 200 ");
        }
        assertThat(app.service().store().size()).isEqualTo(1);
    }

    @Test
    void aTooLongUriIs414() throws Exception {
        String response = send("GET /add?url=https://example.com/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 414 ");
        assertPlainText(response, "the request line is too long", "POST /add");
        assertNothingStored();
        assertCounted("other", "414");
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        String response = send("GET /add?url=https://example.com/big-headers HTTP/1.1\r\nHost: goto.test\r\nX-Big: "
                + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431 ");
        assertPlainText(response, "the request headers are too large", "16384 bytes");
        assertNothingStored();
        assertCounted("other", "431");
    }

    @Test
    void aMalformedRequestIs400SayingWhatWasWrong() throws Exception {
        String response = send("GET /add?url=https://example.com/malformed HTTP/1.1\r\nHost: goto.test\r\nno colon here\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertPlainText(response, "malformed HTTP request", "HTTP/1.1");
        assertNothingStored();
        assertCounted("other", "400");
    }

    /**
     * A path that is not percent-encoding (a bare %, an escape that is not UTF-8) is refused with
     * a 400 that names that cause and its fix (Jetty keeps no path to say more); under /rest/ too.
     */
    @Test
    void aPathThatIsNotPercentEncodingIs400SayingSo() throws Exception {
        for (String path : new String[] {"/%", "/a%2", "/%FF", "/rest/v3/tags/%FF/visits", "/rest/v3/short-urls/%"}) {
            String response = send("GET " + path + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(response).as(path).startsWith("HTTP/1.1 400 ");
            assertPlainText(response, "path is not valid percent-encoding", "%25");
        }
    }

    @Test
    void aRequestJustUnderTheLimitsIsServed() throws Exception {
        String url = "https://example.com/" + "a".repeat(8_000);
        String response = send("GET /add?url=" + url + " HTTP/1.1\r\nHost: goto.test\r\nX-Padding: " + "p".repeat(6_000) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 ");
        assertThat(app.service().store().size()).isEqualTo(1);
    }

    /**
     * Jetty writes a response's headers into a small buffer first (WebServer.RESPONSE_HEADER_BUFFER_BYTES)
     * and into one of the response header limit when they do not fit: a redirect to the longest
     * URL goto accepts, with a long query forwarded to it, is answered whole.
     */
    @Test
    void aRedirectToTheLongestUrlWithALongForwardedQueryIsAnswered() throws Exception {
        String url = "https://example.com/" + "u".repeat(LongUrlRules.MAX_URL_CHARS - "https://example.com/".length());
        String key = app.addKey(url);
        String query = "q=" + "v".repeat(15_000); // the most a request line holds, near enough
        String response = send("GET /" + key + "?" + query + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 302 ");
        assertThat(response).contains("\r\nLocation: " + url + "?" + query + "\r\n");
        String plain = send("GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
        assertThat(plain).startsWith("HTTP/1.1 302 ").contains("\r\nLocation: " + url + "\r\n");
    }

    /** A browser-sized request and pipelined ones, each longer than Jetty's read buffer (WebServer.INPUT_BUFFER_BYTES), are parsed across reads. */
    @Test
    void requestsLongerThanTheReadBufferAreParsedAcrossReads() throws Exception {
        String key = app.addKey("https://example.com/read-buffer");
        String padding = "p".repeat(3 * WebServer.INPUT_BUFFER_BYTES);
        String one = "GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nUser-Agent: Mozilla/5.0 " + padding
                + "\r\nCookie: a=" + padding + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((one + one + one).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.io.InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                String answer = RawHttp.readResponse(in);
                assertThat(answer).as("answer %d", i).startsWith("HTTP/1.1 302 ").contains("Location: https://example.com/read-buffer\r\n");
            }
        }
    }

    private String send(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            return RawHttp.exchange(socket, request);
        }
    }

    /** Jetty refuses these before any route runs; the answer is still goto's short text, saying what was wrong. */
    private static void assertPlainText(String response, String... says) {
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        String body = response.substring(head.length() + 4);
        assertThat(head).containsIgnoringCase("Content-Type: text/plain; charset=utf-8");
        assertThat(body).contains(says).doesNotContain("<").doesNotContain("Exception");
    }

    private void assertNothingStored() {
        assertThat(app.service().store().size()).as("links stored").isZero();
    }

    private void assertCounted(String route, String status) throws Exception {
        PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
        assertThat(metrics.value("goto_requests_total", "route", route, "status", status))
                .as("goto_requests_total{route=%s,status=%s}", route, status).isEqualTo(1);
    }
}
