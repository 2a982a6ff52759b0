package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shlink's {@code GET /short-urls/shorten} over a real socket against the file store: the one
 * route keyed by {@code apiKey} in the query, answering the short URL as JSON or as bare text.
 */
class ShortenApiTest {
    @TempDir
    Path dir;
    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private static String shorten(String version, String key, String longUrl, String format) {
        StringBuilder path = new StringBuilder("/rest/" + version + "/short-urls/shorten?");
        if (key != null) {
            path.append("apiKey=").append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('&');
        }
        if (longUrl != null) {
            path.append("longUrl=").append(URLEncoder.encode(longUrl, StandardCharsets.UTF_8)).append('&');
        }
        if (format != null) {
            path.append("format=").append(format);
        }
        return path.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3"})
    void txtAnswersTheBareShortUrlWhichRedirects(String version) throws Exception {
        HttpResponse<String> answer = app.get(shorten(version, TestApiKeys.ADMIN, "https://example.com/a?b=1&c=2", "txt"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(answer.body()).matches("http://goto\\.test/[A-Za-z0-9]+");
        String code = RunningGoto.keyOf(answer.body());
        assertThat(app.get("/" + code).headers().firstValue("Location")).contains("https://example.com/a?b=1&c=2");
        assertThat(app.service().store().lookup(code).author()).isEqualTo("k-admin");
    }

    @Test
    void jsonIsTheDefaultAndHasTheCreateRoutesShape() throws Exception {
        for (String format : new String[] {"json", null, "JSON", "xml"}) {
            Api.Answer answer = Api.answer(app.get(shorten("v3", TestApiKeys.ADMIN, "https://example.com/j", format)));
            assertThat(answer.status()).as(format).isEqualTo(200);
            assertThat(answer.header("Content-Type")).as(format).startsWith("application/json");
            JsonNode body = answer.body();
            assertThat(body.get("longUrl").asText()).isEqualTo("https://example.com/j");
            assertThat(body.get("shortUrl").asText()).isEqualTo("http://goto.test/" + body.get("shortCode").asText());
            assertThat(body.get("visitsSummary").toString()).isEqualTo("{\"total\":0,\"nonBots\":0,\"bots\":0}");
        }
        HttpResponse<String> txt = app.get(shorten("v3", TestApiKeys.ADMIN, "https://example.com/j", "TXT"));
        assertThat(txt.headers().firstValue("Content-Type")).contains("text/plain");
    }

    @Test
    void withoutFormatTheAcceptHeadersFirstTypeDecides() throws Exception {
        HttpResponse<String> text = app.send(HttpRequest.newBuilder(app.uri(shorten("v3", TestApiKeys.ADMIN, "https://example.com/t", null)))
                .header("Accept", "text/plain, application/json").build());
        assertThat(text.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(text.body()).startsWith("http://goto.test/");
        HttpResponse<String> json = app.send(HttpRequest.newBuilder(app.uri(shorten("v3", TestApiKeys.ADMIN, "https://example.com/t", null)))
                .header("Accept", "application/json, text/plain").build());
        assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void anAuthorKeysLinkIsItsOwn() throws Exception {
        HttpResponse<String> answer = app.get(shorten("v3", TestApiKeys.ALICE, "https://example.com/alice", "txt"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(app.service().store().lookup(RunningGoto.keyOf(answer.body())).author()).isEqualTo("k-alice");
    }

    @Test
    void noKeyIsShlinksMissingAuthenticationForTheQueryParam() throws Exception {
        Api.Answer answer = Api.answer(app.get(shorten("v3", null, "https://example.com/", "txt")));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/missing-authentication");
        assertThat(answer.body().get("title").asText()).isEqualTo("Invalid authorization");
        assertThat(answer.body().get("detail").asText()).isEqualTo("Expected authentication to be provided in \"apiKey\" query param");
        assertThat(answer.body().get("param").asText()).isEqualTo("apiKey");
        assertThat(Api.answer(app.get(shorten("v3", "", "https://example.com/", null))).status()).isEqualTo(401);
        assertThat(app.service().store().lookup("1")).isNull();
    }

    @Test
    void aWrongDisabledOrExpiredKeyIsRefused() throws Exception {
        for (String key : new String[] {"no-such-key", TestApiKeys.DISABLED, TestApiKeys.EXPIRED}) {
            Api.Answer answer = Api.answer(app.get(shorten("v3", key, "https://example.com/", "txt")));
            assertThat(answer.status()).as(key).isEqualTo(401);
            assertThat(answer.type()).as(key).isEqualTo("https://shlink.io/api/error/invalid-api-key");
        }
        assertThat(app.service().store().lookup("1")).isNull();
    }

    @Test
    void theHeaderKeyIsTakenWhenTheQueryHasNone() throws Exception {
        HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(shorten("v3", null, "https://example.com/h", "txt")))
                .header("X-Api-Key", TestApiKeys.BOB).build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(app.service().store().lookup(RunningGoto.keyOf(answer.body())).author()).isEqualTo("k-bob");
    }

    @Test
    void aMissingOrBadLongUrlIsInvalidDataAsJsonEvenForTxt() throws Exception {
        Api.Answer missing = Api.answer(app.get(shorten("v3", TestApiKeys.ADMIN, null, "txt")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(missing.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
        assertThat(missing.body().get("invalidElements").toString()).isEqualTo("[\"longUrl\"]");
        Api.Answer bad = Api.answer(app.get(shorten("v3", TestApiKeys.ADMIN, "not a url", "txt")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("invalidElements").toString()).isEqualTo("[\"longUrl\"]");
    }

    @Test
    void aHeadCreatesNothing() throws Exception {
        HttpResponse<String> head = app.send(HttpRequest.newBuilder(app.uri(shorten("v3", TestApiKeys.ADMIN, "https://example.com/", "txt")))
                .header("X-Api-Key", TestApiKeys.ADMIN).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).as("a HEAD of the link called shorten, which there is not").isEqualTo(404);
        assertThat(app.service().store().lookup("1")).isNull();
    }

    @Test
    void aPatchOrDeleteOfThePathIsTheLinkCalledShorten() throws Exception {
        Api api = new Api(app, TestApiKeys.ADMIN);
        api.create("{\"longUrl\": \"https://example.com/old\", \"customSlug\": \"shorten\"}");
        Api.Answer edited = api.patch("/rest/v3/short-urls/shorten", "{\"longUrl\": \"https://example.com/new\"}");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.body().get("longUrl").asText()).isEqualTo("https://example.com/new");
        assertThat(api.delete("/rest/v3/short-urls/shorten").status()).isEqualTo(204);
        assertThat(app.service().store().lookup("shorten")).isNull();
    }

    @Test
    void aKeyInTheUrlOfAnyOtherRouteIsRefusedSayingWhereItIsRead() throws Exception {
        Api.Answer answer = Api.answer(app.get("/rest/v3/short-urls?apiKey=" + TestApiKeys.ADMIN));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/missing-authentication");
        assertThat(answer.body().get("detail").asText()).contains("only on GET /rest/v3/short-urls/shorten")
                .contains("X-Api-Key header");
    }

    @Test
    void aKeyInTheUrlBesideAGoodHeaderIsStillRefusedSayingWhereToSendIt() throws Exception {
        for (String query : new String[] {"apiKey=bogus", "apiKey=" + TestApiKeys.ADMIN, "api%4Bey=" + TestApiKeys.ADMIN,
                "APIKEY=bogus", "apiKey[]=bogus", "api%4bey%5B0%5D=bogus"}) {
            String key = query.substring(query.indexOf('=') + 1);
            Api.Answer answer = Api.answer(app.send(HttpRequest.newBuilder(app.uri("/rest/v3/tags?" + query))
                    .header("X-Api-Key", TestApiKeys.ADMIN).GET().build()));
            assertThat(answer.status()).as(query).isEqualTo(401);
            assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
            assertThat(answer.body().get("detail").asText()).contains("only on GET /rest/v3/short-urls/shorten")
                    .contains("X-Api-Key header alone").doesNotContain(key);
        }
    }
}
