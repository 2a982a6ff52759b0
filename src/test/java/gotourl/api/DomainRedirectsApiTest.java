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

    /** What a raw request gets, status line and Location, over a socket: HTTP/1.0 may come without a Host. */
    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.service().appPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String status = answer.substring(0, answer.indexOf("\r\n"));
            java.util.regex.Matcher location = java.util.regex.Pattern.compile("(?im)^Location: ([^\r\n]*)").matcher(answer);
            return status + " " + (location.find() ? location.group(1) : "-");
        }
    }

    /**
     * A request without a Host (HTTP/1.0 allows it) still gets its redirect ({DOMAIN} is then the
     * address it came to), and a request path cannot move the Location to another host nor add
     * a header: {@code //host} is refused before any route, and one with an encoded control character is refused,
     * while other escapes stay encoded.
     */
    @Test
    void neitherAMissingHostNorAPathChangesWhereTheRedirectGoes() throws Exception {
        start("memory");
        assertThat(api.patch("/rest/v3/domains/redirects", """
                {"domain": "goto.test", "baseUrlRedirect": "https://redirect-here.com/{DOMAIN}?d={DOMAIN}",
                 "regular404Redirect": "https://redirect-here.com/{ORIGINAL_PATH}?p={ORIGINAL_PATH}",
                 "invalidShortUrlRedirect": "https://redirect-here.com/{ORIGINAL_PATH}"}""").status()).isEqualTo(200);
        String local = "127.0.0.1:" + app.service().appPort();
        assertThat(raw("GET / HTTP/1.0\r\n\r\n")).isEqualTo("HTTP/1.1 302 Found https://redirect-here.com/" + local
                + "?d=" + local.replace(":", "%3A"));
        assertThat(raw("GET //evil.example/a HTTP/1.0\r\n\r\n"))
                .as("an empty segment is refused before any route").isEqualTo("HTTP/1.1 400 Bad Request -");
        assertThat(raw("GET /%0d%0aSet-Cookie:x=1 HTTP/1.0\r\n\r\n"))
                .as("a control character in a path is refused").isEqualTo("HTTP/1.1 400 Bad Request -");
        assertThat(raw("GET /a%22b%3Cc HTTP/1.0\r\n\r\n")).isEqualTo("HTTP/1.1 302 Found https://redirect-here.com/a%22b%3Cc");
    }

    /**
     * Two PATCHes of different redirects at once both keep theirs, as they do in Shlink (whose
     * update writes the fields it changed): each merges into what the one before it kept.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void concurrentPatchesOfDifferentRedirectsKeepBoth(String store) throws Exception {
        start(store);
        for (int round = 0; round < 10; round++) {
            String base = "https://example.com/base" + round;
            String invalid = "https://example.com/invalid" + round;
            String regular = "https://example.com/regular" + round;
            java.util.List<java.util.concurrent.CompletableFuture<Api.Answer>> answers = new java.util.ArrayList<>();
            for (String body : new String[] {"{\"domain\": \"goto.test\", \"baseUrlRedirect\": \"" + base + "\"}",
                    "{\"domain\": \"goto.test\", \"invalidShortUrlRedirect\": \"" + invalid + "\"}",
                    "{\"domain\": \"goto.test\", \"regular404Redirect\": \"" + regular + "\"}"}) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return api.patch("/rest/v3/domains/redirects", body);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            for (var answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
            assertThat(api.get("/rest/v3/domains").body().at("/domains/data/0/redirects").toString()).as("round " + round)
                    .isEqualTo("{\"baseUrlRedirect\":\"" + base + "\",\"regular404Redirect\":\"" + regular
                            + "\",\"invalidShortUrlRedirect\":\"" + invalid + "\"}");
        }
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
