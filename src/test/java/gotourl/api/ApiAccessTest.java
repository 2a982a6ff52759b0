package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what: Shlink's 401s, an author key's view limited to its own links, and goto without a key store. */
class ApiAccessTest {
    private RunningGoto app;
    private Api admin;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        admin = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aMissingKeyIsMissingAuthenticationAndABadOneInvalidApiKey() throws Exception {
        Api.Answer missing = admin.as(null).get("/rest/v3/short-urls");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(missing.type()).isEqualTo("https://shlink.io/api/error/missing-authentication");
        assertThat(missing.body().get("title").asText()).isEqualTo("Invalid authorization");
        for (String bad : new String[] {"wrong", TestApiKeys.DISABLED, TestApiKeys.EXPIRED}) {
            Api.Answer refused = admin.as(bad).post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/\"}");
            assertThat(refused.status()).as(bad).isEqualTo(401);
            assertThat(refused.type()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
            assertThat(refused.body().get("title").asText()).isEqualTo("Invalid API key");
        }
        assertThat(app.service().store().size()).isZero();
    }

    @Test
    void anAuthorSeesEditsAndDeletesOnlyItsOwnLinks() throws Exception {
        Api alice = admin.as(TestApiKeys.ALICE);
        Api bob = admin.as(TestApiKeys.BOB);
        alice.create("{\"longUrl\": \"https://example.com/a\", \"customSlug\": \"alices\", \"tags\": [\"mine\"]}");
        bob.create("{\"longUrl\": \"https://example.com/b\", \"customSlug\": \"bobs\", \"tags\": [\"his\"]}");
        admin.create("{\"longUrl\": \"https://example.com/c\", \"customSlug\": \"admins\"}");
        assertThat(app.service().store().lookup("alices").author()).isEqualTo("k-alice");

        assertThat(codes(alice.get("/rest/v3/short-urls").body())).containsExactly("alices");
        assertThat(codes(admin.get("/rest/v3/short-urls").body())).containsExactly("admins", "bobs", "alices");
        assertThat(alice.get("/rest/v3/short-urls/bobs").status()).isEqualTo(404);
        assertThat(alice.patch("/rest/v3/short-urls/bobs", "{\"title\": \"mine now\"}").type())
                .isEqualTo("https://shlink.io/api/error/short-url-not-found");
        assertThat(alice.delete("/rest/v3/short-urls/bobs").status()).isEqualTo(404);
        assertThat(app.service().store().lookup("bobs").title()).isNull();
        assertThat(alice.get("/rest/v3/tags").body().get("tags").get("data").toString()).isEqualTo("[\"mine\"]");
        assertThat(alice.patch("/rest/v3/short-urls/alices", "{\"title\": \"ok\"}").status()).isEqualTo(200);
        assertThat(admin.get("/rest/v3/short-urls/alices").status()).isEqualTo(200);

        Api.Answer rename = alice.put("/rest/v3/tags", "{\"oldName\": \"mine\", \"newName\": \"ours\"}");
        assertThat(rename.status()).isEqualTo(403);
        assertThat(rename.type()).isEqualTo("https://shlink.io/api/error/forbidden-tag-operation");
        assertThat(alice.delete("/rest/v3/tags?tags%5B%5D=mine").status()).isEqualTo(403);
        assertThat(alice.delete("/rest/v3/short-urls/alices").status()).isEqualTo(204);
    }

    @Test
    void withoutAKeyStoreEveryKeyIsRefusedSayingHowToGetOne() throws Exception {
        try (RunningGoto bare = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(),
                ApiOptions.defaults())) {
            Api.Answer answer = new Api(bare, "anything").get("/rest/v3/short-urls");
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
            assertThat(answer.body().get("detail").asText()).contains("-initial-api-key").contains("goto api-key generate");
            assertThat(new Api(bare, null).get("/rest/v3/short-urls").type())
                    .isEqualTo("https://shlink.io/api/error/missing-authentication");
            assertThat(new Api(bare, null).get("/rest/health").status()).isEqualTo(200);
        }
    }

    @Test
    void theDeleteThresholdRefusesLinksWithMoreVisits() throws Exception {
        ApiVisits sevenEach = new ApiVisits() {
            @Override
            public long total(gotourl.link.Link link) {
                return 7;
            }

            @Override
            public long nonBots(gotourl.link.Link link) {
                return 5;
            }
        };
        ApiOptions options = TestApiKeys.options().withVisits(sevenEach).withDeleteShortUrlThreshold(6);
        try (RunningGoto guarded = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), options)) {
            Api api = new Api(guarded, TestApiKeys.ADMIN);
            JsonNode created = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/\", \"customSlug\": \"popular\"}")
                    .body();
            assertThat(created.get("visitsSummary").toString()).isEqualTo("{\"total\":7,\"nonBots\":5,\"bots\":2}");
            Api.Answer refused = api.delete("/rest/v3/short-urls/popular");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.type()).isEqualTo("https://shlink.io/api/error/invalid-short-url-deletion");
            assertThat(refused.body().get("threshold").asInt()).isEqualTo(6);
            assertThat(guarded.service().store().lookup("popular")).isNotNull();
        }
        // Off by default: the same visits do not stop a delete.
        try (RunningGoto open = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(),
                TestApiKeys.options().withVisits(sevenEach))) {
            Api api = new Api(open, TestApiKeys.ADMIN);
            api.create("{\"longUrl\": \"https://example.com/\", \"customSlug\": \"popular\"}");
            assertThat(api.delete("/rest/v3/short-urls/popular").status()).isEqualTo(204);
        }
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() throws Exception {
        Api.Answer unknown = admin.get("/rest/v3/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.type()).isEqualTo("https://shlink.io/api/error/not-found");
        assertThat(admin.get("/rest/v4/short-urls").status()).isEqualTo(404);
        Api.Answer method = admin.send("PUT", "/rest/v3/short-urls", "{}");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Allow")).isEqualTo("GET, POST");
        assertThat(method.header("Content-Type")).isEqualTo("application/problem+json");
        // Outside /rest/, goto is the shortener it was: /rest itself is no short code.
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/rest")).build()).statusCode()).isEqualTo(404);
    }

    private static java.util.List<String> codes(JsonNode list) {
        java.util.List<String> codes = new java.util.ArrayList<>();
        list.get("shortUrls").get("data").forEach(link -> codes.add(link.get("shortCode").asText()));
        return codes;
    }
}
