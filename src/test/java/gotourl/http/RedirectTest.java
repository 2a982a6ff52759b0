package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /KEY} and {@code HEAD /KEY} as the seed answers them: 302 to the long URL, or 404. */
class RedirectTest {
    private static RunningGoto app;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        app = RunningGoto.inMemory();
        key = app.addKey("https://example.com/docs/page?lang=en&v=2#install");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String request(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: goto.test\r\n\r\n";
    }

    @Test
    void getRedirectsWith302ToTheLongUrl() throws Exception {
        HttpResponse<String> response = app.get("/" + key);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().allValues("Location")).containsExactly("https://example.com/docs/page?lang=en&v=2#install");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void headRedirectsTheSameWayWithoutABody() throws Exception {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/" + key))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains("https://example.com/docs/page?lang=en&v=2#install");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void anUnknownKeyIsA404WithAShortPageNamingIt() throws Exception {
        HttpResponse<String> response = app.get("/zzzz");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("zzzz").contains("href=\"/add\"").hasSizeLessThan(1024);
    }

    @Test
    void pathsThatAreNoKeyAre404AndTheirTextIsEscaped() throws Exception {
        for (String path : new String[] {"/aa", "/favicon.ico", "/a/b", "/-", "/9999999999", "/99999999999"}) {
            assertThat(app.get(path).statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> script = app.get("/%3Cscript%3Ealert(1)");
        assertThat(script.statusCode()).isEqualTo(404);
        assertThat(script.body()).doesNotContain("<script>");
        HttpResponse<String> quote = app.get("/it's");
        assertThat(quote.statusCode()).isEqualTo(404);
        assertThat(quote.body()).contains("it&#39;s").doesNotContain("it's");
    }

    @Test
    void otherMethodsOnAKeyAre405NamingTheAllowedOnes() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/" + key))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(response.body()).contains(method).contains("GET, HEAD");
        }
    }

    /** A client reuses its connection: each 302 must be framed so the next response parses. */
    @Test
    void headThenGetOnOneKeptAliveConnectionAreBothWellFormed() throws Exception {
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            RawHttp.Response head = http.exchange(request("HEAD", "/" + key));
            assertThat(head.status()).isEqualTo(302);
            assertThat(head.header("Location")).isEqualTo("https://example.com/docs/page?lang=en&v=2#install");

            RawHttp.Response get = http.exchange(request("GET", "/" + key));
            assertThat(get.status()).isEqualTo(302);
            assertThat(get.header("Location")).isEqualTo("https://example.com/docs/page?lang=en&v=2#install");
            assertThat(get.header("Content-Length")).isEqualTo("0");
            assertThat(get.body()).isEmpty();

            RawHttp.Response missing = http.exchange(request("GET", "/nope"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body()).contains("nope");
            assertThat(http.silentFor(200)).as("no stray bytes after the last response").isTrue();
        }
    }

    @Test
    void pipelinedRedirectsAreAnsweredInOrder() throws Exception {
        String other = app.addKey("https://example.org/other");
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            http.send(request("GET", "/" + key) + request("HEAD", "/" + other) + request("GET", "/" + other));
            assertThat(http.read(false).header("Location")).isEqualTo("https://example.com/docs/page?lang=en&v=2#install");
            assertThat(http.read(true).header("Location")).isEqualTo("https://example.org/other");
            RawHttp.Response last = http.read(false);
            assertThat(last.header("Location")).isEqualTo("https://example.org/other");
            assertThat(http.silentFor(200)).isTrue();
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheRedirect() throws Exception {
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            RawHttp.Response response = http.exchange("GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(302);
            assertThat(http.closedByServer()).isTrue();
        }
    }
}
