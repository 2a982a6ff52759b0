package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random requests near a plain redirect's, each sent twice through real sockets: once as a new
 * connection's first request, which {@link PlainRedirectConnection} answers if it takes it, and
 * once after a 404 has made the connection Jetty's. Both must get the same status and
 * {@code Location}: goto's own parser may leave any request to Jetty, but never answer one
 * differently from it.
 */
class PlainRedirectDifferentialTest {
    private static final int REQUESTS = 400;
    private static RunningGoto app;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        app = RunningGoto.inMemory();
        key = app.addKey("https://example.com/a?b=c#d");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyRequestGetsJettysAnswerWhoeverAnswersIt() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> differences = new ArrayList<>();
        int redirects = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String request = request(random);
            String first = answer(request, false);
            String afterJetty = answer(request, true);
            if (!first.equals(afterJetty)) {
                differences.add(printable(request) + " -> " + first + " / Jetty: " + afterJetty);
            }
            redirects += first.startsWith("302") ? 1 : 0;
        }
        assertThat(differences).as("seed %d", seed).isEmpty();
        assertThat(redirects).as("some requests were redirects (seed %d)", seed).isGreaterThan(REQUESTS / 10);
    }

    /** The status and Location of {@code request}'s answer, or "closed"; after a 404 on the same connection if {@code jettyFirst}. */
    private static String answer(String request, boolean jettyFirst) throws IOException {
        try (RawHttp client = RawHttp.connect(app.uri("/").getPort())) {
            if (jettyFirst) {
                assertThat(client.exchange("GET /no-such-code HTTP/1.1\r\nHost: goto.test\r\n\r\n").status()).isEqualTo(404);
            }
            client.send(request);
            try {
                RawHttp.Response response = client.read(request.startsWith("HEAD "));
                return response.status() + " " + response.header("Location");
            } catch (IOException closed) {
                return "closed";
            }
        }
    }

    /** A request: two in three near-valid (only the query and the headers vary), the rest anything the pieces make. */
    private static String request(Random random) {
        boolean clean = random.nextInt(3) > 0;
        StringBuilder request = new StringBuilder();
        request.append(pick(random, clean, "GET", "GET", "GET", "GET", "HEAD", "get", "POST"));
        request.append(pick(random, clean, " ", " ", " ", "  ", "\t"));
        request.append(pick(random, clean, "/" + key, "/" + key, "/" + key, "/" + key + "x", "/%" + Integer.toHexString(key.charAt(0)) + key.substring(1),
                "/" + key + "/", "//" + key, "/" + key + ".", "/" + key + "%2F"));
        if (random.nextBoolean()) {
            request.append('?');
            int length = random.nextInt(12);
            String chars = clean ? "ab=&%2F0;:@/?+,!$'()*~.-_" : "ab=&%2F0;:@/?+,!$'()*~.-_<>\"{}|\\^`# %zz%4";
            for (int i = 0; i < length; i++) {
                request.append(chars.charAt(random.nextInt(chars.length())));
            }
        }
        request.append(pick(random, clean, " HTTP/1.1\r\n", " HTTP/1.1\r\n", " HTTP/1.1\r\n", " HTTP/1.0\r\n", " HTTP/1.1\n", " http/1.1\r\n",
                " HTTP/1.1 \r\n", " HTTP/2.0\r\n"));
        List<String> headers = new ArrayList<>();
        headers.add(pick(random, clean && random.nextBoolean(), "Host: goto.test", "Host: goto.test", "Host: goto.test:8080", "host:goto.test", "Host: ",
                "Host: goto.test:99999", "Host: [::1]:80", "Host: a b", "Host: goto.test\r\nHost: other.test", "Host: h_h",
                "Host: goto.test:", "Host: [zz]", ""));
        int extra = random.nextInt(4);
        for (int i = 0; i < extra; i++) {
            headers.add(clean ? pick(random, "User-Agent: curl/8.5", "User-Agent:\tMozilla/5.0 (X11)\t", "Referer: https://r.test/?q=1",
                    "Connection: keep-alive", "Accept: */*", "X-Empty:") : pick(random, "User-Agent: curl/8.5", "User-Agent:\tMozilla/5.0 (X11)\t", "Referer: https://r.test/?q=1",
                    "Connection: keep-alive", "Connection: close", "Connection: Upgrade", "Upgrade: h2c", "Content-Length: 0",
                    "Content-Length: 5", "Transfer-Encoding: chunked", "Expect: 100-continue", "X-Fold: a\r\n b", "Bad Name: x",
                    "Name : x", "NoColon", "X: a\u0001b", "X: caf\u00e9", "Accept: */*", "X-Empty:", ": empty name"));
        }
        java.util.Collections.shuffle(headers, random);
        for (String header : headers) {
            if (!header.isEmpty()) {
                request.append(header).append("\r\n");
            }
        }
        return request.append("\r\n").toString();
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** The first of {@code choices} for a clean request, any of them otherwise. */
    private static String pick(Random random, boolean clean, String... choices) {
        return clean ? choices[0] : pick(random, choices);
    }

    private static String printable(String request) {
        return request.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
