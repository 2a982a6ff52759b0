package gotourl.web;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web app over HTTP, without a browser: the security headers every page carries, versioned
 * assets cached for a year, and the seed's {@code /add} answering a browser's form with a page
 * while its other clients keep their text.
 */
class WebPagesTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/static/[0-9a-f]{12}/[a-z]+\\.(?:js|css|svg))\"");
    private static RunningGoto app;

    @BeforeAll
    static void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static HttpResponse<String> browserGet(String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/manage", "/feed", "/stats/"})
    void everyPageForbidsInlineScriptFramingAndSniffing(String path) throws Exception {
        if (path.equals("/stats/")) {
            path += app.addKey("https://example.com/with-stats");
        }
        HttpResponse<String> page = browserGet(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("style-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]").doesNotContain("style=\"")
                .doesNotContain(" on" + "click=");
    }

    @Test
    void assetsAreVersionedAndCachedForAYearAndAnOldVersionIsNotServed() throws Exception {
        Matcher assets = ASSET.matcher(browserGet("/manage").body());
        int found = 0;
        while (assets.find()) {
            HttpResponse<String> asset = app.get(assets.group(1));
            assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
            assertThat(asset.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            found++;
        }
        assertThat(found).as("stylesheet, icon and two scripts").isEqualTo(4);
        assertThat(app.get("/static/000000000000/common.js").statusCode()).isEqualTo(404);
        assertThat(app.get("/static/").statusCode()).isEqualTo(404);
        assertThat(app.get("/stats/a%3Cb").statusCode()).isEqualTo(404);
    }

    @Test
    void aBrowsersFormIsAnsweredWithAPageAndTheSeedsClientsKeepTheirText() throws Exception {
        String form = "url=" + URLEncoder.encode("https://example.com/from-a-browser", StandardCharsets.UTF_8);
        HttpResponse<String> browser = app.send(HttpRequest.newBuilder(app.uri("/add"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html,*/*;q=0.8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(browser.statusCode()).isEqualTo(303);
        String location = browser.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/\\?short=[a-z0-9]+");
        String code = location.substring("/?short=".length());
        assertThat(app.get("/" + code).headers().firstValue("Location")).contains("https://example.com/from-a-browser");
        HttpResponse<String> shown = browserGet(location);
        assertThat(shown.body()).contains("value=\"http://" + RunningGoto.HOST + "/" + code + "\"")
                .contains("src=\"/" + code + "/qr-code?size=200\"");

        HttpResponse<String> curl = app.add("https://example.com/from-curl");
        assertThat(curl.statusCode()).isEqualTo(200);
        assertThat(curl.body()).matches("http://" + RunningGoto.HOST.replace(".", "\\.") + "/[a-z0-9]+");

        HttpResponse<String> refused = app.send(HttpRequest.newBuilder(app.uri("/add"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("url=javascript%3Aalert(%22x%22)")).build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("add refused").contains("value=\"javascript:alert(&#34;x&#34;)\"")
                .doesNotContain("alert(\"x\")");
    }

    @Test
    void aShortCodeInTheQueryIsShownOnlyWhenItCouldBeOne() throws Exception {
        assertThat(browserGet("/?short=%22%3E%3Cscript%3E").body()).doesNotContain("<script>").doesNotContain("qr-code");
    }

    @Test
    void aShortCodeGotoDoesNotHoldIsNotShownAsYourShortLink() throws Exception {
        // It was shown as "Your short link", with its QR code, for any code that could be one.
        HttpResponse<String> madeUp = browserGet("/?short=nosuchcode");
        assertThat(madeUp.statusCode()).isEqualTo(404);
        assertThat(madeUp.body()).contains("no such short link http://" + RunningGoto.HOST + "/nosuchcode: goto holds no link")
                .contains("aria-labelledby=\"result-title\" hidden>").doesNotContain("nosuchcode/qr-code").contains("name=\"url\"");
        // A link goto holds is shown, the page a create's 303 leads to.
        String code = app.add("https://example.com/held").body().substring(("http://" + RunningGoto.HOST + "/").length());
        HttpResponse<String> held = browserGet("/?short=" + code);
        assertThat(held.statusCode()).isEqualTo(200);
        assertThat(held.body()).contains("Your short link").contains("src=\"/" + code + "/qr-code?size=200\"")
                .doesNotContain("no such short link");
    }

    @Test
    void theStatsPageOfACodeGotoDoesNotHoldIs404SayingSo() throws Exception {
        // It answered 200 with the stats page's shell, as if the link were there.
        HttpResponse<String> unknown = browserGet("/stats/nosuchcode");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(unknown.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(unknown.body()).contains("no such short link http://" + RunningGoto.HOST + "/nosuchcode: goto holds no link")
                .doesNotContain("Stats of").doesNotContain("data-short-code");
        String code = app.addKey("https://example.com/counted");
        HttpResponse<String> held = browserGet("/stats/" + code);
        assertThat(held.statusCode()).isEqualTo(200);
        assertThat(held.body()).contains("Stats of").contains("data-short-code=\"" + code + "\"").doesNotContain("no such short link");
        // A code that could not be a slug keeps its plain-text 404, never echoed as markup.
        HttpResponse<String> markup = browserGet("/stats/%3Cb%3Ex");
        assertThat(markup.statusCode()).isEqualTo(404);
        assertThat(markup.body()).doesNotContain("<b>");
    }
}
