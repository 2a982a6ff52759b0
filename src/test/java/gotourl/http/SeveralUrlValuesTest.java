package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import gotourl.ops.PrometheusText;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /add} with more than one {@code url} value. As the seed's {@code r.FormValue} did, goto
 * took the first and dropped the others unseen: {@code ?url=A&url=B}, a form {@code url=A&url=B}
 * and a multipart form with two {@code url} parts each answered 200 with a short URL for A, a form
 * field beside a query one won silently, and {@code ?url=&url=B} showed the form. Each is now
 * refused 400 saying how many values came, stores nothing, and counts as an invalid add; one value,
 * wherever the seed read it, still adds as before.
 */
class SeveralUrlValuesTest {
    private static final String A = "https%3A%2F%2Fa.example%2F";
    private static final String B = "https%3A%2F%2Fb.example%2F";
    private static final String TWO = "add refused, nothing stored: the request carries 2 url values; send exactly one\n";

    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> multipart(String path, String... urls) throws Exception {
        StringBuilder body = new StringBuilder("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nignored\r\n");
        for (String url : urls) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\n").append(url).append("\r\n");
        }
        body.append("--b--\r\n");
        return app.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    private static void assertRefused(HttpResponse<String> response, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo(body);
    }

    private double refusedAsInvalid() throws Exception {
        return PrometheusText.parse(app.admin("/metrics").body()).value("goto_adds_refused_total", "reason", "invalid");
    }

    /** Nothing was stored, and no key spent: the next add gets the first one. */
    private void assertNothingStored() throws Exception {
        assertThat(app.service().store().size()).as("links stored").isZero();
        assertThat(app.addKey("https://example.com/after")).isEqualTo("a");
    }

    @Test
    void twoUrlsInTheQueryAreRefused() throws Exception {
        assertRefused(app.get("/add?url=" + A + "&url=" + B), TWO);
        assertRefused(app.get("/add?url=&url=" + B), TWO); // the first empty: the seed showed the form, B unseen
        assertRefused(app.get("/add?url=" + A + "&url="), TWO);
        assertRefused(app.get("/add?url=" + A + "&url=" + B + "&url=" + A),
                "add refused, nothing stored: the request carries 3 url values; send exactly one\n");
        assertRefused(app.send(HttpRequest.newBuilder(app.uri("/add?url=" + A + "&url=" + B))
                .POST(HttpRequest.BodyPublishers.noBody()).build()), TWO);
        assertThat(refusedAsInvalid()).isEqualTo(5);
        assertNothingStored();
    }

    @Test
    void twoUrlsInAnUrlencodedFormAreRefused() throws Exception {
        assertRefused(app.postForm("/add", "url=" + A + "&url=" + B), TWO);
        assertRefused(app.postForm("/add", "url=" + A + "&submit=Add&url="), TWO);
        assertThat(refusedAsInvalid()).isEqualTo(2);
        assertNothingStored();
    }

    @Test
    void twoUrlPartsInAMultipartFormAreRefused() throws Exception {
        assertRefused(multipart("/add", "https://a.example/", "https://b.example/"), TWO);
        assertThat(refusedAsInvalid()).isEqualTo(1);
        assertNothingStored();
    }

    @Test
    void aUrlInTheQueryAndOneInTheFormAreRefused() throws Exception {
        String both = "add refused, nothing stored: the request carries 2 url values (1 in the query string, 1 in the form);"
                + " send exactly one\n";
        assertRefused(app.postForm("/add?url=" + A, "other=1&url=" + B), both);
        assertRefused(multipart("/add?url=" + A, "https://b.example/"), both);
        assertRefused(app.postForm("/add?url=" + A + "&url=" + B, "url=" + A),
                "add refused, nothing stored: the request carries 3 url values (2 in the query string, 1 in the form);"
                        + " send exactly one\n");
        assertThat(refusedAsInvalid()).isEqualTo(3);
        assertNothingStored();
    }

    /** The web app's form, posted by a browser, comes back with the reason and the first URL in its field. */
    @Test
    void aBrowsersFormWithTwoUrlsGetsTheFormBackWithTheReason() throws Exception {
        HttpResponse<String> page = app.send(HttpRequest.newBuilder(app.uri("/add"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html,*/*;q=0.8")
                .POST(HttpRequest.BodyPublishers.ofString("url=" + A + "&url=" + B)).build());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("the request carries 2 url values; send exactly one")
                .containsPattern("<input[^>]*name=\"url\"[^>]*value=\"https://a.example/\"");
        HttpResponse<String> byQuery = app.send(HttpRequest.newBuilder(app.uri("/add?url=" + A + "&url=" + B))
                .header("Accept", "text/html").build());
        assertThat(byQuery.statusCode()).isEqualTo(400);
        assertThat(byQuery.body()).contains("the request carries 2 url values; send exactly one");
        assertThat(refusedAsInvalid()).isEqualTo(2);
        assertNothingStored();
    }

    /** The seed's contract: one url, in the query of a GET or a POST, or in either kind of form, adds. */
    @Test
    void oneUrlWhereverTheSeedReadItStillAdds() throws Exception {
        assertThat(app.get("/add?url=" + A).body()).isEqualTo("http://goto.test/a");
        assertThat(app.postForm("/add", "other=1&url=" + B + "&submit=Add").body()).isEqualTo("http://goto.test/b");
        assertThat(multipart("/add", "https://c.example/").body()).isEqualTo("http://goto.test/c");
        assertThat(app.postForm("/add?url=" + A, "other=1").body()).isEqualTo("http://goto.test/d");
        assertThat(app.get("/add?url=").statusCode()).as("no url: the form").isEqualTo(200);
        HttpResponse<String> head = app.send(HttpRequest.newBuilder(app.uri("/add?url=" + A + "&url=" + B))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).as("HEAD never adds, nor refuses").isEqualTo(200);
        assertThat(app.service().store().longUrlOf("b")).isEqualTo("https://b.example/");
        assertThat(app.service().store().longUrlOf("c")).isEqualTo("https://c.example/");
        assertThat(app.service().store().size()).isEqualTo(4);
        assertThat(refusedAsInvalid()).isZero();
    }
}
