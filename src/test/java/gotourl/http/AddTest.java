package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /add} as the seed has it: a form field or query parameter {@code url} in, {@code http://HOST/KEY} out. */
class AddTest {
    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private static String encoded(String url) {
        return URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> addByGet(String url) throws Exception {
        return app.get("/add?url=" + encoded(url));
    }

    private void assertRedirects(String key, String url) throws Exception {
        HttpResponse<String> redirect = app.get("/" + key);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains(url);
    }

    @Test
    void postAnswersTheShortUrlAsPlainText() throws Exception {
        HttpResponse<String> response = app.add("https://example.com/posted");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("http://goto.test/a");
        assertRedirects("a", "https://example.com/posted");
    }

    @Test
    void getWithAQueryParameterStoresTheUrl() throws Exception {
        HttpResponse<String> response = addByGet("https://example.com/search?q=a%20b&lang=en#top");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("http://goto.test/a");
        assertRedirects("a", "https://example.com/search?q=a%20b&lang=en#top");
    }

    @Test
    void keysFollowTheSeedsSequenceWhicheverWayLinksAreAdded() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            HttpResponse<String> response = i % 2 == 0 ? app.add("https://example.com/" + i) : addByGet("https://example.com/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            keys.add(RunningGoto.keyOf(response.body()));
        }
        assertThat(keys).startsWith("a", "b", "c", "d");
        assertThat(keys.subList(24, 28)).containsExactly("y", "z", "A", "B");
        assertThat(keys.subList(60, 64)).containsExactly("8", "9", "ba", "bb");
        for (int i = 0; i < keys.size(); i++) {
            assertRedirects(keys.get(i), "https://example.com/" + i);
        }
    }

    /**
     * A client that sends its form slowly must hold no thread: with more slow clients than goto
     * has threads, a fast add and a redirect are still answered while their bodies trickle in.
     */
    @Test
    void slowFormBodiesHoldNoThreadAndOtherRequestsGoOn() throws Exception {
        int slowClients = 80; // more than goto's 64 threads
        List<RawHttp> slow = new ArrayList<>();
        List<String> rests = new ArrayList<>();
        try {
            for (int i = 0; i < slowClients; i++) {
                String body = "url=" + encoded("https://example.com/slow/" + i);
                RawHttp http = RawHttp.connect(app.service().appPort());
                slow.add(http);
                http.send("POST /add HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10));
                rests.add(body.substring(10));
            }
            // Every slow request has reached goto and is waiting for its body (a fixed sleep let the
            // fast add run before them on a busy machine, so it tested nothing).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (app.service().web().inFlightRequests() < slowClients) {
                assertThat(System.nanoTime()).as("slow requests in goto: " + app.service().web().inFlightRequests())
                        .isLessThan(deadline);
                Thread.sleep(5);
            }

            HttpResponse<String> fast = app.send(HttpRequest.newBuilder(app.uri("/add"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("url=" + encoded("https://example.com/fast"))).build());
            assertThat(fast.statusCode()).isEqualTo(200);
            assertThat(fast.body()).isEqualTo("http://goto.test/a");
            HttpResponse<String> redirect = app.send(HttpRequest.newBuilder(app.uri("/a")).timeout(Duration.ofSeconds(5)).build());
            assertThat(redirect.headers().firstValue("Location")).contains("https://example.com/fast");

            for (int i = 0; i < slowClients; i++) {
                String rest = rests.get(i);
                slow.get(i).send(rest.substring(0, rest.length() / 2));
            }
            Thread.sleep(100);
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < slowClients; i++) {
                String rest = rests.get(i);
                RawHttp http = slow.get(i);
                http.send(rest.substring(rest.length() / 2));
                RawHttp.Response added = http.read(false);
                assertThat(added.status()).as("slow add %d: %s", i, added.body()).isEqualTo(200);
                String key = RunningGoto.keyOf(added.body());
                assertThat(keys.add(key)).isTrue();
                assertThat(app.service().store().longUrlOf(key)).isEqualTo("https://example.com/slow/" + i);
            }
        } finally {
            for (RawHttp http : slow) {
                http.close();
            }
        }
    }

    /**
     * HEAD is safe (RFC 9110): link checkers and chat previews send it to any URL they see, so a
     * HEAD of an add URL must store nothing. It gets the headers of the form page instead.
     */
    @Test
    void headWithAUrlStoresNothingAndAnswersTheFormsHeaders() throws Exception {
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            RawHttp.Response head = http.exchange("HEAD /add?url=" + encoded("https://example.com/previewed")
                    + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(http.silentFor(200)).as("no body after the headers of a HEAD").isTrue();
        }
        assertThat(app.service().store().size()).as("links stored").isZero();
        assertThat(app.get("/a").statusCode()).isEqualTo(404);
        assertThat(app.addKey("https://example.com/added")).as("the next add gets the first key").isEqualTo("a");
    }

    /** A url in both the query and the form is refused (SeveralUrlValuesTest); other form fields are ignored. */
    @Test
    void otherFormFieldsAreIgnored() throws Exception {
        HttpResponse<String> response = app.postForm("/add?other=2", "other=1&url=" + encoded("https://example.com/form") + "&submit=Add");
        assertThat(response.statusCode()).isEqualTo(200);
        assertRedirects("a", "https://example.com/form");
    }

    @Test
    void anInternationalUrlIsStoredAsABrowserWouldSendIt() throws Exception {
        assertThat(app.add("https://bücher.example/straße").body()).isEqualTo("http://goto.test/a");
        assertRedirects("a", "https://xn--bcher-kva.example/stra%C3%9Fe");
    }

    /**
     * The redirect takes the visitor where a browser would have gone with the text submitted: the
     * cases of the URL issue, and what the seed's validator refused although browsers open it.
     */
    @Test
    void theRedirectGoesWhereABrowserWouldHaveGone() throws Exception {
        String[][] cases = {
                {"http://faß.de/", "http://xn--fa-hia.de/"},
                {"http://ς.com/", "http://xn--3xa.com/"},
                {"https://matrix.to/#/#room:example.org", "https://matrix.to/#/#room:example.org"},
                {"https://example.com/a b?c d#e f", "https://example.com/a%20b?c%20d#e%20f"},
                {"https://example.com/\r\nLocation: https://evil.example/", "https://example.com/Location:%20https://evil.example/"},
                {"http:example.com\\path", "http://example.com/path"},
                {"http://2130706433:8080/", "http://127.0.0.1:8080/"},
        };
        for (int i = 0; i < cases.length; i++) {
            boolean post = i % 2 == 0;
            HttpResponse<String> added = post ? app.add(cases[i][0]) : addByGet(cases[i][0]);
            assertThat(added.statusCode()).as(cases[i][0]).isEqualTo(200);
            HttpResponse<String> redirect = app.get("/" + RunningGoto.keyOf(added.body()));
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().allValues("Location")).as(cases[i][0]).containsExactly(cases[i][1]);
        }
    }

    @Test
    void badUrlsAreRefusedWithWhatWasWrongAndStoreNothing() throws Exception {
        String[][] refusals = {
                {"/relative/path", "is not absolute"},
                {"ftp://example.com/file", "scheme 'ftp' is not allowed"},
                {"javascript:alert(1)", "scheme 'javascript' is not allowed"},
                {"http://", "has no host"},
                {"http://x%EF%BC%8F:%C3%A9", "contains '/', which no host may contain"},
                {"http://x\uFF0F:\u00e9", "contains '/', which no host may contain"},
                {"https://%E2%84%80.example/", "(as a browser reads it: 'a/c.example') contains '/'"},
                {"https://exa mple.com/", "contains ' ', which no host may contain"},
                {"https://example.com/" + "x".repeat(8200), "the limit is 8192"},
                {"", "missing url"},
                {"http://goto.test/a", "points at this goto"},
                {"http://goto.test:80/a", "points at this goto"},
                {"http://goto.test./a", "points at this goto"},
                {"https://user:pw@example.com/", "user name or password"},
                {"https://example.com:99999/", "outside 0-65535"},
        };
        for (String[] refusal : refusals) {
            for (boolean post : new boolean[] {true, false}) {
                HttpResponse<String> response = post ? app.add(refusal[0]) : addByGet(refusal[0]);
                String how = (post ? "POST " : "GET ") + refusal[0];
                if (!post && refusal[0].isEmpty()) {
                    assertThat(response.statusCode()).as(how).isEqualTo(200); // no url: the form
                    continue;
                }
                assertThat(response.statusCode()).as(how).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).as(how).contains("text/plain; charset=utf-8");
                assertThat(response.body()).as(how).startsWith("add refused: ").contains(refusal[1]);
            }
        }
        assertThat(app.service().store().size()).isZero();
        assertThat(app.get("/a").statusCode()).isEqualTo(404);
        assertThat(app.addKey("https://example.com/good")).as("the next good add gets the first key").isEqualTo("a");
    }

    @Test
    void aPostWithoutTheUrlFieldSaysWhatToSend() throws Exception {
        for (String body : new String[] {"", "link=https://example.com/", "url"}) {
            HttpResponse<String> response = app.postForm("/add", body);
            assertThat(response.statusCode()).as("body '%s'", body).isEqualTo(400);
            assertThat(response.body()).contains("missing url").contains("'url'");
        }
        HttpResponse<String> json = app.send(HttpRequest.newBuilder(app.uri("/add"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://example.com/\"}")).build());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(app.service().store().size()).isZero();
    }

    @Test
    void aFormThatIsNotValidUrlEncodingIs400() throws Exception {
        HttpResponse<String> response = app.postForm("/add", "url=https://example.com/%zz");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("could not read the form");
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            RawHttp.Response query = http.exchange("GET /add?url=https://example.com/%zz HTTP/1.1\r\nHost: goto.test\r\n\r\n");
            assertThat(query.status()).isEqualTo(400);
            assertThat(query.body()).contains("query string is not valid URL encoding");
        }
        assertThat(app.service().store().size()).isZero();
    }

    @Test
    void otherMethodsAre405NamingTheAllowedOnes() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "PATCH", "OPTIONS"}) {
            HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/add?url=" + encoded("https://example.com/")))
                    .method(method, HttpRequest.BodyPublishers.ofString("url=https://example.com/")).build());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(method).contains("GET, POST");
            assertThat(response.body()).as(method).contains(method);
        }
        assertThat(app.service().store().size()).isZero();
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        int port = app.service().appPort();
        try (RawHttp http = RawHttp.connect(port)) {
            // Declared: refused from the headers, before a byte of the body is read.
            RawHttp.Response declared = http.exchange("POST /add HTTP/1.1\r\nHost: goto.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n\r\n");
            assertThat(declared.status()).isEqualTo(413);
            assertThat(declared.body()).contains("200000 bytes").contains("the limit is 81920 bytes");
        }
        try (RawHttp http = RawHttp.connect(port)) {
            // Chunked: refused once the form outgrows the limit.
            StringBuilder request = new StringBuilder("POST /add HTTP/1.1\r\nHost: goto.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "url=https://example.com/" + "x".repeat(10_000 - 24);
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            String more = "y".repeat(10_000);
            for (int i = 0; i < 9; i++) {
                request.append(Integer.toHexString(more.length())).append("\r\n").append(more).append("\r\n");
            }
            request.append("0\r\n\r\n");
            RawHttp.Response chunked = http.exchange(request.toString());
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(chunked.body()).contains("the limit is 81920 bytes");
        }
        assertThat(app.service().store().size()).isZero();
        assertThat(app.addKey("https://example.com/after")).isEqualTo("a");
    }

    @Test
    void aFormJustUnderTheLimitWithTheLongestUrlIsAccepted() throws Exception {
        // 8192 characters, each percent-encoded as three UTF-8 bytes of three characters: 9 bytes each.
        String url = "https://example.com/" + "\u00e9".repeat(8192 - 20);
        HttpResponse<String> response = app.add(url);
        assertThat(response.statusCode()).isEqualTo(400); // 8192 characters become 16,344 once encoded for storage
        assertThat(response.body()).contains("the limit is 8192");
        String ascii = "https://example.com/" + "%E9".repeat((8192 - 20) / 3);
        assertThat(app.add(ascii).statusCode()).isEqualTo(200);
    }
}
