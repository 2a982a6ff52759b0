package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tags, domains, health, visits, the v1/v2 aliases, CORS, the batch create and the OpenAPI document. */
class ApiRoutesTest {
    private RunningGoto app;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(),
                TestApiKeys.options().withCorsAllowOrigin("https://app.example, https://other.example"));
        api = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void tagsListStatsRenameAndDelete() throws Exception {
        api.create("{\"longUrl\": \"https://example.com/1\", \"tags\": [\"a\", \"b\"]}");
        api.create("{\"longUrl\": \"https://example.com/2\", \"tags\": [\"b\"]}");
        assertThat(api.get("/rest/v3/tags").body().toString()).isEqualTo("{\"tags\":{\"data\":[\"a\",\"b\"],\"pagination\":"
                + "{\"currentPage\":1,\"pagesCount\":1,\"itemsPerPage\":2,\"itemsInCurrentPage\":2,\"totalItems\":2}}}");
        JsonNode stats = api.get("/rest/v3/tags/stats").body().get("tags").get("data");
        assertThat(stats.get(1).toString()).isEqualTo("{\"tag\":\"b\",\"shortUrlsCount\":2,\"visitsSummary\":"
                + "{\"total\":0,\"nonBots\":0,\"bots\":0}}");
        assertThat(api.put("/rest/v3/tags", "{\"oldName\": \"b\", \"newName\": \"a\"}").status()).isEqualTo(409);
        Api.Answer missing = api.put("/rest/v3/tags", "{\"oldName\": \"zzz\", \"newName\": \"y\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.type()).isEqualTo("https://shlink.io/api/error/tag-not-found");
        assertThat(api.put("/rest/v3/tags", "{\"oldName\": \"b\"}").body().get("invalidElements").toString()).isEqualTo("[\"newName\"]");
        assertThat(api.put("/rest/v3/tags", "{\"oldName\": \"b\", \"newName\": \"Bee\"}").status()).isEqualTo(204);
        assertThat(app.service().store().lookup("b").tags()).containsExactly("bee");
        assertThat(api.delete("/rest/v3/tags?tags%5B%5D=a&tags%5B%5D=nope").status()).isEqualTo(204);
        assertThat(app.service().store().lookup("a").tags()).containsExactly("bee");
        assertThat(api.get("/rest/v3/tags").body().get("tags").get("data").toString()).isEqualTo("[\"bee\"]");
    }

    @Test
    void domainsHealthAndVisitsAnswerShlinksShapes() throws Exception {
        assertThat(api.get("/rest/v3/domains").body().toString()).isEqualTo("{\"domains\":{\"data\":[{\"domain\":\"goto.test\","
                + "\"isDefault\":true,\"redirects\":{\"baseUrlRedirect\":null,\"regular404Redirect\":null,"
                + "\"invalidShortUrlRedirect\":null}}],\"defaultRedirects\":{\"baseUrlRedirect\":null,\"regular404Redirect\":null,"
                + "\"invalidShortUrlRedirect\":null}}}");
        for (String path : List.of("/rest/health", "/rest/v3/health", "/rest/v1/health")) {
            Api.Answer health = api.as(null).get(path);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("Content-Type")).isEqualTo("application/health+json");
            assertThat(health.body().get("status").asText()).isEqualTo("pass");
            assertThat(health.body().get("version").asText()).isNotBlank();
        }
        api.create("{\"longUrl\": \"https://example.com/\", \"customSlug\": \"v\", \"tags\": [\"t\"]}");
        // "All" of nothing is a page of 1, as Shlink's Paginator::getMaxPerPage answers (never 0).
        String empty = "{\"visits\":{\"data\":[],\"pagination\":{\"currentPage\":1,\"pagesCount\":1,\"itemsPerPage\":1,"
                + "\"itemsInCurrentPage\":0,\"totalItems\":0}}}";
        for (String path : List.of("/rest/v3/short-urls/v/visits", "/rest/v3/tags/t/visits", "/rest/v3/domains/DEFAULT/visits",
                "/rest/v3/visits/orphan", "/rest/v3/visits/non-orphan")) {
            Api.Answer visits = api.get(path);
            assertThat(visits.status()).as(path).isEqualTo(200);
            assertThat(visits.body().toString()).as(path).isEqualTo(empty);
        }
        assertThat(api.get("/rest/v3/short-urls?itemsPerPage=-1&searchTerm=nothing-matches").body().path("shortUrls")
                .path("pagination").path("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(api.get("/rest/v3/short-urls/nope/visits").type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
        assertThat(api.get("/rest/v3/tags/nope/visits").type()).isEqualTo("https://shlink.io/api/error/tag-not-found");
        assertThat(api.get("/rest/v3/domains/elsewhere.test/visits").type()).isEqualTo("https://shlink.io/api/error/domain-not-found");
        assertThat(api.get("/rest/v3/visits").body().toString()).isEqualTo("{\"visits\":{\"nonOrphanVisits\":{\"total\":0,"
                + "\"nonBots\":0,\"bots\":0},\"orphanVisits\":{\"total\":0,\"nonBots\":0,\"bots\":0},\"visitsCount\":0,"
                + "\"orphanVisitsCount\":0}}");
        assertThat(api.delete("/rest/v3/short-urls/v/visits").body().toString()).isEqualTo("{\"deletedVisits\":0}");
        assertThat(api.get("/rest/v3/short-urls/v/redirect-rules").body().toString()).as("no rules set")
                .isEqualTo("{\"defaultLongUrl\":\"https://example.com/\",\"redirectRules\":[]}");
    }

    @Test
    void v1AndV2AreAliasesOfV3() throws Exception {
        String code = api.create("{\"longUrl\": \"https://example.com/\"}");
        JsonNode v3 = api.get("/rest/v3/short-urls/" + code).body();
        assertThat(api.get("/rest/v1/short-urls/" + code).body()).isEqualTo(v3);
        assertThat(api.get("/rest/v2/short-urls/" + code).body()).isEqualTo(v3);
    }

    @Test
    void corsAsShlinkPreflightAndAllowedOrigins() throws Exception {
        HttpResponse<String> preflight = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key, content-type").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.body()).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("x-api-key, content-type");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).contains("3600");

        HttpResponse<String> allowed = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .header("Origin", "https://other.example").header("X-Api-Key", TestApiKeys.ADMIN).build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://other.example");
        HttpResponse<String> refusedKey = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .header("Origin", "https://app.example").build());
        assertThat(refusedKey.statusCode()).isEqualTo(401);
        assertThat(refusedKey.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        HttpResponse<String> stranger = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .header("Origin", "https://evil.example").header("X-Api-Key", TestApiKeys.ADMIN).build());
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> sameOrigin = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .header("X-Api-Key", TestApiKeys.ADMIN).build());
        assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        try (RunningGoto any = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options())) {
            HttpResponse<String> star = any.send(HttpRequest.newBuilder(any.uri("/rest/health")).header("Origin", "https://x.example").build());
            assertThat(star.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        }
    }

    @Test
    void aBatchCreatesInOneCallWithAResultPerItem() throws Exception {
        api.create("{\"longUrl\": \"https://example.com/0\", \"customSlug\": \"taken\"}");
        Api.Answer batch = api.post("/rest/v3/short-urls/batch", """
                {"shortUrls": [
                  {"longUrl": "https://example.com/1", "customSlug": "one"},
                  {"longUrl": "not a url"},
                  {"longUrl": "https://example.com/2", "customSlug": "taken"},
                  {"longUrl": "https://example.com/3", "tags": ["t"]},
                  {"longUrl": "https://example.com/4", "customSlug": "one"}
                ]}""");
        assertThat(batch.status()).isEqualTo(200);
        JsonNode results = batch.body().get("results");
        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(200, 400, 400, 200, 400);
        assertThat(results.get(0).get("shortUrl").get("shortCode").asText()).isEqualTo("one");
        assertThat(results.get(1).get("error").get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-data");
        assertThat(results.get(2).get("error").get("type").asText()).isEqualTo("https://shlink.io/api/error/non-unique-slug");
        // Each item's error speaks of that item alone: the store's batch numbering ("change 2 of 4")
        // shifted as refused items were taken out, so it named the wrong item of the request.
        assertThat(results.get(2).get("error").get("detail").asText())
                .isEqualTo("Provided slug \"taken\" is already in use: the short code 'taken' is in use; choose another custom slug");
        assertThat(results.get(4).get("error").get("customSlug").asText()).isEqualTo("one");
        assertThat(app.service().store().lookup(results.get(3).get("shortUrl").get("shortCode").asText()).tags()).containsExactly("t");
        assertThat(app.service().store().size()).isEqualTo(3);

        StringBuilder tooMany = new StringBuilder("{\"shortUrls\": [");
        for (int i = 0; i <= 1000; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"longUrl\": \"https://example.com/").append(i).append("\"}");
        }
        Api.Answer refused = api.post("/rest/v3/short-urls/batch", tooMany.append("]}").toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("invalidElements").toString()).isEqualTo("[\"shortUrls\"]");
        assertThat(api.post("/rest/v3/short-urls/batch", "{\"shortUrls\": []}").status()).isEqualTo(400);
        assertThat(app.service().store().size()).isEqualTo(3);
    }

    /** A tag beyond ASCII comes percent-encoded in the path (as fetch sends it) and is found; an encoded slash stays in its segment. */
    @Test
    void aPathParameterIsPercentDecodedAsUtf8() throws Exception {
        String code = api.create("{\"longUrl\": \"https://example.com/1\", \"tags\": [\"café\"]}");
        Api.Answer visits = api.get("/rest/v3/tags/caf%C3%A9/visits");
        assertThat(visits.status()).as("%s", visits.body()).isEqualTo(200);
        Api.Answer missing = api.get("/rest/v3/tags/th%C3%A9/visits");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("tag").asText()).isEqualTo("thé");
        assertThat(api.get("/rest/v3/short-urls/" + code.replace("a", "%61")).status()).isEqualTo(200);
        assertThat(RestApi.resolve("/rest/v3/tags/a%2Fb/visits").param()).isEqualTo("a/b");
        assertThat(RestApi.resolve("/rest/v3/short-urls/ab%zz").param()).isEqualTo("ab%zz");
    }

    /** As a Shlink without a Mercure hub: 501 mercure-not-configured, behind the API key like every route. */
    @Test
    void mercureInfoSaysNotConfigured() throws Exception {
        Api.Answer info = api.get("/rest/v3/mercure-info");
        assertThat(info.status()).isEqualTo(501);
        assertThat(info.type()).isEqualTo("https://shlink.io/api/error/mercure-not-configured");
        assertThat(info.body().get("title").asText()).isEqualTo("Mercure integration not configured");
        assertThat(info.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.as(null).get("/rest/v3/mercure-info").status()).isEqualTo(401);
    }

    /** A short code asked for in a domain goto does not serve is not found there: not read, edited or deleted. */
    @Test
    void aShortCodeInAnotherDomainIsNotFound() throws Exception {
        String code = api.create("{\"longUrl\": \"https://example.com/1\"}");
        for (Api.Answer answer : List.of(api.get("/rest/v3/short-urls/" + code + "?domain=other.example"),
                api.patch("/rest/v3/short-urls/" + code + "?domain=other.example", "{\"title\": \"x\"}"),
                api.delete("/rest/v3/short-urls/" + code + "?domain=other.example"),
                api.get("/rest/v3/short-urls/" + code + "/visits?domain=other.example"))) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
            assertThat(answer.body().get("domain").asText()).isEqualTo("other.example");
        }
        assertThat(app.service().store().lookup(code)).isNotNull();
        assertThat(app.service().store().lookup(code).title()).isNull();
        assertThat(api.get("/rest/v3/short-urls/" + code + "?domain=goto.test").status()).isEqualTo(200);
        assertThat(api.get("/rest/v3/short-urls/" + code + "?domain=DEFAULT").status()).isEqualTo(200);
        assertThat(api.get("/rest/v3/short-urls?domain=other.example").body().at("/shortUrls/pagination/totalItems").asLong()).isZero();
        assertThat(api.get("/rest/v3/short-urls?domain=DEFAULT").body().at("/shortUrls/pagination/totalItems").asLong()).isEqualTo(1);
        assertThat(api.get("/rest/v3/short-urls?domain=goto.test").body().at("/shortUrls/pagination/totalItems").asLong()).isEqualTo(1);
        assertThat(api.get("/rest/v3/visits/orphan?domain=other.example").status()).isEqualTo(200);
    }

    /** The document lists exactly the routes goto answers, with the methods each takes. */
    @Test
    void theOpenApiDocumentMatchesTheRoutes() throws Exception {
        Api.Answer doc = api.as(null).get("/rest/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().get("openapi").asText()).isEqualTo("3.1.0");
        List<RestApi.Kind> documented = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.body().get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String concrete = path.getKey().replace("{shortCode}", "abc").replace("{tag}", "t").replace("{domain}", "DEFAULT");
            RestApi.Route route = RestApi.resolve(concrete);
            assertThat(route).as(path.getKey()).isNotNull();
            List<String> methods = new ArrayList<>();
            path.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase(java.util.Locale.ROOT)));
            assertThat(methods).as(path.getKey()).containsExactlyInAnyOrder(route.kind().allowed.split(", "));
            documented.add(route.kind());
        }
        assertThat(documented).containsAll(List.of(RestApi.Kind.values()));
    }

    /** Every keyed operation lists the 401s, every one that reads a body the 415s, both as documented problems. */
    @Test
    void theOpenApiDocumentListsTheRefusalsOfKeysAndBodies() throws Exception {
        JsonNode doc = api.as(null).get("/rest/openapi.json").body();
        JsonNode responses = doc.get("components").get("responses");
        assertThat(responses.get("Unauthorized").get("description").asText()).contains("missing-authentication")
                .contains("invalid-api-key").contains("two X-Api-Key headers").contains("apiKey in the URL");
        assertThat(responses.get("UnsupportedBody").get("description").asText()).contains("unsupported-content-encoding")
                .contains("unsupported-media-type");
        int keyed = 0;
        int withBodies = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String name = operation.getKey() + " " + path.getKey();
                JsonNode listed = operation.getValue().get("responses");
                if (operation.getValue().has("security")) {
                    keyed++;
                    assertThat(listed.path("401").path("$ref").asText()).as(name).isEqualTo("#/components/responses/Unauthorized");
                }
                if (operation.getValue().has("requestBody")) {
                    withBodies++;
                    assertThat(listed.path("415").path("$ref").asText()).as(name).isEqualTo("#/components/responses/UnsupportedBody");
                }
            }
        }
        assertThat(keyed).isGreaterThan(20);
        assertThat(withBodies).isGreaterThanOrEqualTo(6);
    }
}
