package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shlink's {@code PATCH /domains/redirects} over a real socket: what it answers, what
 * {@code GET /domains} then reports, what the redirect listener then does with a not-found, and
 * that a restart keeps it.
 */
class DomainRedirectsApiTest {
    @TempDir
    Path dir;
    private RunningGoto app;
    private Api api;

    private void start(String store) throws Exception {
        app = store.equals("file")
                ? RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options())
                : RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        api = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private String location(String path) throws Exception {
        HttpResponse<String> answer = app.get(path);
        return answer.statusCode() + " " + answer.headers().firstValue("Location").orElse("-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void theRedirectsAreAnsweredListedAndFollowed(String store) throws Exception {
        start(store);
        String code = api.create("{\"longUrl\": \"https://example.com/real\"}");
        assertThat(location("/nosuch")).isEqualTo("404 -");
        assertThat(location("/")).startsWith("200");

        Api.Answer set = api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "baseUrlRedirect": "https://example.com/home",
                 "regular404Redirect": "https://example.com/404", "invalidShortUrlRedirect": "https://example.com/invalid"}""");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().toString()).isEqualTo("{\"baseUrlRedirect\":\"https://example.com/home\","
                + "\"regular404Redirect\":\"https://example.com/404\",\"invalidShortUrlRedirect\":\"https://example.com/invalid\"}");

        Api.Answer domains = api.get("/rest/v3/domains");
        assertThat(domains.body().at("/domains/data/0/domain").asText()).isEqualTo("goto.test");
        assertThat(domains.body().at("/domains/data/0/redirects")).isEqualTo(set.body());
        assertThat(domains.body().at("/domains/defaultRedirects").toString())
                .isEqualTo("{\"baseUrlRedirect\":null,\"regular404Redirect\":null,\"invalidShortUrlRedirect\":null}");

        assertThat(location("/nosuch")).isEqualTo("302 https://example.com/invalid");
        assertThat(location("/nosuch/deeper")).isEqualTo("302 https://example.com/404");
        assertThat(location("/")).isEqualTo("302 https://example.com/home");
        assertThat(location("/?short=" + code)).as("the page a just-made link is shown on").startsWith("200");
        assertThat(location("/" + code)).as("a link still redirects to its own URL").endsWith(" https://example.com/real");
        HttpResponse<String> head = app.send(HttpRequest.newBuilder(app.uri("/nosuch"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(302);
        assertThat(api.delete("/rest/v3/short-urls/" + code).status()).isEqualTo(204);
        assertThat(location("/" + code)).as("a deleted link is an invalid short URL").isEqualTo("302 https://example.com/invalid");
    }

    @Test
    void absentFieldsAreKeptAndNullOrEmptyRemoves() throws Exception {
        start("memory");
        api.patch("/rest/v2/domains/redirects", """
                {"domain": "GOTO.test", "baseUrlRedirect": "https://example.com/home", "regular404Redirect": "https://example.com/404"}""");
        Api.Answer merged = api.patch("/rest/v1/domains/redirects", """
                {"domain": "DEFAULT", "baseUrlRedirect": null, "invalidShortUrlRedirect": "https://example.com/invalid"}""");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.body().toString()).isEqualTo("{\"baseUrlRedirect\":null,\"regular404Redirect\":\"https://example.com/404\","
                + "\"invalidShortUrlRedirect\":\"https://example.com/invalid\"}");
        Api.Answer cleared = api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "regular404Redirect": "", "invalidShortUrlRedirect": null}""");
        assertThat(cleared.body().toString())
                .isEqualTo("{\"baseUrlRedirect\":null,\"regular404Redirect\":null,\"invalidShortUrlRedirect\":null}");
        assertThat(location("/nosuch")).isEqualTo("404 -");
        assertThat(location("/")).startsWith("200");
    }

    /** Shlink's placeholders, as its NotFoundRedirectResolverTest has them. */
    @Test
    void theDomainAndOriginalPathPlaceholdersAreFilledIn() throws Exception {
        start("memory");
        String authority = app.uri("/").getAuthority();
        Api.Answer set = api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "baseUrlRedirect": "https://redirect-here.com/{DOMAIN}?domain={DOMAIN}",
                 "regular404Redirect": "https://redirect-here.com/{ORIGINAL_PATH}/{DOMAIN}/?d={DOMAIN}&p={ORIGINAL_PATH}#{DOMAIN}",
                 "invalidShortUrlRedirect": "https://redirect-here.com/{ORIGINAL_PATH}"}""");
        assertThat(set.status()).isEqualTo(200);
        String encodedAuthority = authority.replace(":", "%3A");
        assertThat(location("/")).isEqualTo("302 https://redirect-here.com/" + authority + "?domain=" + encodedAuthority);
        assertThat(location("/foo/bar")).isEqualTo("302 https://redirect-here.com/foo/bar/" + authority + "/?d=" + encodedAuthority
                + "&p=%2Ffoo%2Fbar#" + set.body().get("regular404Redirect").asText().replaceAll(".*#", ""));
        assertThat(location("/foo")).isEqualTo("302 https://redirect-here.com/foo");
    }

    @Test
    void aRestartKeepsThem() throws Exception {
        start("file");
        assertThat(api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "invalidShortUrlRedirect": "https://example.com/invalid"}""").status()).isEqualTo(200);
        app.close();
        start("file");
        assertThat(api.get("/rest/v3/domains").body().at("/domains/data/0/redirects/invalidShortUrlRedirect").asText())
                .isEqualTo("https://example.com/invalid");
        assertThat(location("/nosuch")).isEqualTo("302 https://example.com/invalid");
    }

    @Test
    void aBadDomainOrUrlIsInvalidDataAndNothingChanges() throws Exception {
        start("memory");
        for (String body : new String[] {"{}", "{\"domain\": \"\"}", "{\"domain\": null}", "{\"domain\": \"not a domain\"}",
                "{\"domain\": \"goto.test:888888\"}", "{\"domain\": 7}", "[]"}) {
            Api.Answer answer = api.patch("/rest/v3/domains/redirects", body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.type()).as(body).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(answer.body().get("invalidElements").toString()).as(body).isEqualTo("[\"domain\"]");
        }
        Api.Answer badUrls = api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "baseUrlRedirect": "https://example.com/ok", "regular404Redirect": "not a url",
                 "invalidShortUrlRedirect": 12}""");
        assertThat(badUrls.status()).isEqualTo(400);
        assertThat(badUrls.body().get("invalidElements").toString()).isEqualTo("[\"regular404Redirect\",\"invalidShortUrlRedirect\"]");
        assertThat(api.get("/rest/v3/domains").body().at("/domains/data/0/redirects/baseUrlRedirect").isNull())
                .as("nothing of a refused request is kept").isTrue();
        assertThat(location("/")).startsWith("200");
    }

    @Test
    void anotherDomainOrAnAuthorKeyIsDomainNotFound() throws Exception {
        start("memory");
        Api.Answer other = api.patch("/rest/v3/domains/redirects", "{\"domain\": \"example.com\", \"baseUrlRedirect\": \"https://a.example/\"}");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.type()).isEqualTo("https://shlink.io/api/error/domain-not-found");
        assertThat(other.body().get("authority").asText()).isEqualTo("example.com");
        Api.Answer author = api.as(TestApiKeys.ALICE).patch("/rest/v3/domains/redirects",
                "{\"domain\": \"goto.test\", \"baseUrlRedirect\": \"https://a.example/\"}");
        assertThat(author.status()).isEqualTo(404);
        assertThat(author.type()).isEqualTo("https://shlink.io/api/error/domain-not-found");
        assertThat(api.as(null).patch("/rest/v3/domains/redirects", "{\"domain\": \"goto.test\"}").status()).isEqualTo(401);
        assertThat(location("/")).startsWith("200");
    }
}
