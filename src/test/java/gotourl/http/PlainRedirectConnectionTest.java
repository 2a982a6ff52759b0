package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import gotourl.http.PlainRedirectConnection.PlainRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The redirect of a plain link answered by {@link PlainRedirectConnection}, through a real socket:
 * the same bytes Jetty writes, and every request it does not take (on the same connection,
 * before or after one it answered) answered by Jetty as before.
 */
class PlainRedirectConnectionTest {
    private static final String LONG_URL = "https://example.com/docs/page?lang=en&v=2#install";
    private static RunningGoto app;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        app = RunningGoto.inMemory();
        key = app.addKey(LONG_URL);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static int port() {
        return app.uri("/").getPort();
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: goto.test\r\n" + String.join("", headers) + "\r\n";
    }

    /** The response with its Date's value blanked, so answers of different seconds compare. */
    private static String undated(String response) {
        return response.replaceAll("Date: [^\r]*\r\n", "Date: -\r\n");
    }

    @Test
    void aPlainRedirectIsAnsweredWithTheBytesJettyWrites() throws Exception {
        String request = get("/" + key + "?ref=a%20b", "User-Agent: curl/8\r\n");
        try (Socket fast = open(); Socket jetty = open()) {
            fast.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String fastAnswer = undated(readHead(fast.getInputStream()));
            // A 404 first makes the second connection Jetty's for good: its redirect is Jetty's own.
            jetty.getOutputStream().write(get("/zzzz").getBytes(StandardCharsets.US_ASCII));
            String notFound = readHead(jetty.getInputStream());
            jetty.getInputStream().readNBytes(Integer.parseInt(notFound.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1")));
            jetty.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String jettyAnswer = undated(readHead(jetty.getInputStream()));
            assertThat(fastAnswer).isEqualTo(jettyAnswer).isEqualTo("HTTP/1.1 302 Found\r\nDate: -\r\nLocation: "
                    + "https://example.com/docs/page?lang=en&v=2&ref=a%20b#install\r\nContent-Length: 0\r\n\r\n");
        }
    }

    private static Socket open() throws Exception {
        Socket socket = new Socket("127.0.0.1", port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void requestsPipelinedAroundOnesJettyAnswersAreAnsweredInOrder() throws Exception {
        try (RawHttp client = RawHttp.connect(port())) {
            client.send(get("/" + key) + get("/" + key + "?a=1") + get("/zzzz") + "HEAD /" + key + " HTTP/1.1\r\nHost: goto.test\r\n\r\n"
                    + get("/" + key + "?b=2"));
            assertThat(client.read(false).header("Location")).isEqualTo(LONG_URL);
            assertThat(client.read(false).header("Location")).isEqualTo("https://example.com/docs/page?lang=en&v=2&a=1#install");
            assertThat(client.read(false).status()).isEqualTo(404);
            RawHttp.Response head = client.read(true);
            assertThat(head.status()).isEqualTo(302);
            assertThat(client.read(false).header("Location")).isEqualTo("https://example.com/docs/page?lang=en&v=2&b=2#install");
            assertThat(client.silentFor(200)).isTrue();
        }
    }

    @Test
    void aMalformedRequestAfterARedirectGetsJettys400AndNothingElse() throws Exception {
        try (RawHttp client = RawHttp.connect(port())) {
            client.send(get("/" + key) + "GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nHost: other.test\r\n\r\n" + get("/" + key));
            assertThat(client.read(false).status()).isEqualTo(302);
            RawHttp.Response refused = client.read(false);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).as("nothing answered after the 400").isTrue();
        }
    }

    @Test
    void aHostJettyRefusesGetsJettys400NotARedirect() throws Exception {
        // These were redirected by this class while Jetty answers each 400 "Bad HostPort": a
        // port 0, and brackets that hold no IPv6 address.
        for (String host : new String[] {"goto.test:0", "goto.test:00000", "[1.2.3.4]", "[:::]", "[::1::2]", "[12345::]", "[.]",
                "[1:2:3:4:5:6:7:8:9]"}) {
            try (RawHttp client = RawHttp.connect(port())) {
                client.send("GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(client.read(false).status()).as(host).isEqualTo(400);
            }
        }
        for (String host : new String[] {"goto.test:1", "goto.test:65535", "[::1]:8080", "[::ffff:1.2.3.4]", "[2001:db8::7]"}) {
            try (RawHttp client = RawHttp.connect(port())) {
                client.send("GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertThat(client.read(false).header("Location")).as(host).isEqualTo(LONG_URL);
            }
        }
    }

    @Test
    void aHeadSplitAcrossWritesIsStillRedirected() throws Exception {
        try (RawHttp client = RawHttp.connect(port())) {
            client.send("GET /" + key + " HTTP/1.1\r\nHo");
            Thread.sleep(100);
            client.send("st: goto.test\r\n\r\n");
            assertThat(client.read(false).header("Location")).isEqualTo(LONG_URL);
            assertThat(client.exchange(get("/" + key)).header("Location")).isEqualTo(LONG_URL);
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheRedirect() throws Exception {
        try (RawHttp client = RawHttp.connect(port())) {
            RawHttp.Response response = client.exchange(get("/" + key, "Connection: close\r\n"));
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void answersAClientReadsSlowlyArriveWholeAndInOrder() throws Exception {
        // Long answers to requests sent in whole batches that the client does not read at first:
        // a write cannot complete at once while requests of its batch are still unanswered, and
        // those wait for it (then the batches that piled up meanwhile go to Jetty, split mid-request).
        String longUrl = "https://example.com/" + "x".repeat(8000);
        String longKey = app.addKey(longUrl);
        int batches = 20;
        int perBatch = 30;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.setTcpNoDelay(true);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port()));
            socket.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int batch = 0; batch < batches; batch++) {
                        StringBuilder requests = new StringBuilder();
                        for (int i = 0; i < perBatch; i++) {
                            requests.append(get("/" + longKey + "?n=" + (batch * perBatch + i)));
                        }
                        socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
                        Thread.sleep(20);
                    }
                } catch (java.io.IOException | InterruptedException ignored) {
                    // the reads below fail the test
                }
            });
            Thread.sleep(500);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            for (int i = 0; i < batches * perBatch; i++) {
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 302 Found\r\n");
                String location = head.replaceAll("(?s).*Location: ([^\r]*)\r\n.*", "$1");
                assertThat(location.startsWith(longUrl)).as("the long URL in answer %d", i).isTrue();
                assertThat(location.substring(longUrl.length())).as("answer %d's query", i).isEqualTo("?n=" + i);
            }
            writer.join();
        }
    }

    @Test
    void theVisitIsRecordedWithItsPathRefererAndUserAgentAndNostatSkipsIt() throws Exception {
        String tracked = app.addKey("https://example.com/tracked");
        String firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        try (RawHttp client = RawHttp.connect(port())) {
            RawHttp.Response quiet = client.exchange(get("/" + tracked + "?nostat&lang=en", "User-Agent: " + firefox + "\r\n"));
            assertThat(quiet.header("Location")).isEqualTo("https://example.com/tracked?lang=en");
            RawHttp.Response visited = client.exchange(get("/" + tracked + "?from=mail", "User-Agent: " + firefox + "\r\n",
                    "Referer: https://news.example.org/item?id=1\r\n"));
            assertThat(visited.header("Location")).isEqualTo("https://example.com/tracked?from=mail");
        }
        gotourl.visits.VisitStore visits = app.service().tracker().store();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (visits.summary(tracked).total() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<gotourl.visits.Visit> recorded = visits.linkVisits(tracked, gotourl.visits.VisitsQuery.all()).data();
        assertThat(recorded).as("the ?nostat redirect is no visit").hasSize(1);
        gotourl.visits.Visit visit = recorded.getFirst();
        assertThat(visit.visitedPath()).isEqualTo("/" + tracked + "?from=mail");
        assertThat(visit.userAgent()).isEqualTo(firefox);
        assertThat(visit.referer()).isEqualTo("https://news.example.org/item?id=1");
        assertThat(visit.redirectUrl()).isEqualTo("https://example.com/tracked?from=mail");
        assertThat(visit.potentialBot()).isFalse();
    }

    @Test
    void theParserTakesOnlyWhatItCanAnswerExactly() {
        assertThat(parse("GET /abc HTTP/1.1\r\nHost: goto.test\r\n\r\n")).isEqualTo(new PlainRequest("/abc", null, null, null));
        assertThat(parse("GET /a-b_C9?x=1&y=%2F HTTP/1.1\r\nhost:goto.test:8080 \r\nUser-Agent:  curl/8 (x) \r\n"
                + "Referer: https://r.test/\r\nUser-Agent: second\r\nConnection: Keep-Alive\r\n\r\n"))
                .isEqualTo(new PlainRequest("/a-b_C9", "x=1&y=%2F", "https://r.test/", "curl/8 (x)"));
        assertThat(parse("GET /a? HTTP/1.1\r\nHost: [::1]:80\r\n\r\n")).isEqualTo(new PlainRequest("/a", "", null, null));
        for (String refused : new String[] {
                "HEAD /abc HTTP/1.1\r\nHost: h\r\n\r\n",
                "POST /abc HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc HTTP/1.0\r\nHost: h\r\n\r\n",
                "GET /abc HTTP/1.1\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: \r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h:99999\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h@evil\r\n\r\n",
                "GET /a%62c HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /a/b HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /a.b HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc?x=%zz HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc?x=<y> HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc#f HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET  /abc HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc HTTP/1.1 \r\nHost: h\r\n\r\n",
                "GET http://h/abc HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nBad Name: a\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nName : a\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nX: a\nb\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nX: caf\u00e9\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n",
                "\r\nGET /abc HTTP/1.1\r\nHost: h\r\n\r\n",
        }) {
            assertThat(parse(refused)).as(refused.replace("\r", "\\r").replace("\n", "\\n")).isNull();
        }
    }

    private static PlainRequest parse(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        int end = PlainRedirectConnection.headEnd(bytes, 0, bytes.length);
        assertThat(end).as("a whole head").isEqualTo(bytes.length);
        return PlainRequest.parse(bytes, 0, end);
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed in a response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
