package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.TestClock;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shlink's visits routes over a real socket, after real redirects: a few visits with different
 * user agents (one a bot) on days the test's clock sets, orphan visits from unknown codes, the
 * base URL and other 404s; then every route shows exactly those visits in Shlink's shapes, with
 * excludeBots, date ranges, pagination, orphan types, author keys isolated, goto's aggregates,
 * and deletes. Against the visit log (a data file) and the memory store.
 */
class VisitsApiTest {
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Mobile Safari/537.36";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final String DATE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00";
    private static final Instant DAY1 = Instant.parse("2026-01-10T10:00:00Z");

    @TempDir
    Path dir;
    private RunningGoto app;
    private Api admin;
    private Api alice;
    private final TestClock clock = new TestClock(DAY1.minus(Duration.ofHours(1)));

    private void start(String store, ApiOptions options) throws Exception {
        GotoService.StoreOpener opener = store.equals("file") ? GotoService.defaultStoreOpener(clock)
                : (c, m) -> new MemoryLinkStore(clock);
        app = RunningGoto.start(RunningGoto.config(store.equals("file") ? dir.resolve("goto.data") : null), opener, options, clock);
        admin = new Api(app, TestApiKeys.ADMIN);
        alice = admin.as(TestApiKeys.ALICE);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** A redirect (or 404) of {@code path} with this agent and referer, at the test clock's time. */
    static int visit(RunningGoto app, String path, String agent, String referer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).header("User-Agent", agent);
        if (referer != null) {
            request.header("Referer", referer);
        }
        return app.send(request.build()).statusCode();
    }

    /** Waits (the agent rules load in the background at the first visit) until the tracker recorded {@code n}. */
    static void awaitRecorded(RunningGoto app, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (app.service().tracker().recorded() < n) {
            assertThat(System.nanoTime()).as("visits recorded: " + app.service().tracker().recorded() + " of " + n).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * A visit that answers {@code status}, then waits until it is recorded: the redirect stamps
     * its visit with the clock's time after it answers, so the clock moves only once it has.
     */
    private void visitAndWait(String path, String agent, String referer, int status) throws Exception {
        long before = app.service().tracker().recorded();
        assertThat(visit(app, path, agent, referer)).as(path).isEqualTo(status);
        awaitRecorded(app, before + 1);
    }

    /** Links v and w tagged t, a1 by Alice; v visited on three days (the last by Googlebot), w and a1 once; three orphans. */
    private void visitSome() throws Exception {
        admin.create("{\"longUrl\": \"https://example.com/v\", \"customSlug\": \"v\", \"tags\": [\"t\"]}");
        admin.create("{\"longUrl\": \"https://example.com/w\", \"customSlug\": \"w\", \"tags\": [\"t\"]}");
        alice.create("{\"longUrl\": \"https://example.com/a\", \"customSlug\": \"a1\"}");
        clock.set(DAY1);
        visitAndWait("/v", FIREFOX, "https://news.example/story", 302);
        clock.set(DAY1.plus(Duration.ofDays(1)));
        visitAndWait("/v?utm=x", CHROME_ANDROID, "https://news.example/other", 302);
        visitAndWait("/w", FIREFOX, null, 302);
        visitAndWait("/a1", CHROME_ANDROID, "https://t.co/x", 302);
        clock.set(DAY1.plus(Duration.ofDays(2)));
        visitAndWait("/v", GOOGLEBOT, null, 302);
        visitAndWait("/nope", FIREFOX, null, 404);
        visitAndWait("/wp-login.php/x", GOOGLEBOT, null, 404);
        visitAndWait("/", FIREFOX, null, 200); // the form page; stamped by the wall clock, so last
        awaitRecorded(app, 8);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode visits(Api as, String path) throws Exception {
        Api.Answer answer = as.get(path);
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.body().get("visits");
    }

    private static List<String> agents(JsonNode page) {
        List<String> agents = new ArrayList<>();
        page.get("data").forEach(v -> agents.add(v.get("userAgent").asText()));
        return agents;
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void everyVisitsRouteShowsExactlyTheVisitsMadeInShlinksShapes(String store) throws Exception {
        start(store, TestApiKeys.options());
        visitSome();

        JsonNode v = visits(admin, "/rest/v3/short-urls/v/visits");
        assertThat(agents(v)).containsExactly(GOOGLEBOT, CHROME_ANDROID, FIREFOX); // newest first
        JsonNode first = v.get("data").get(2);
        assertThat(fields(first)).containsExactly("referer", "date", "userAgent", "visitLocation", "potentialBot", "visitedUrl",
                "redirectUrl");
        assertThat(first.get("referer").asText()).isEqualTo("https://news.example/story");
        assertThat(first.get("date").asText()).isEqualTo("2026-01-10T10:00:00+00:00").matches(DATE);
        assertThat(first.get("visitLocation").isNull()).isTrue();
        assertThat(first.get("potentialBot").asBoolean()).isFalse();
        assertThat(first.get("visitedUrl").asText()).isEqualTo("http://goto.test/v");
        assertThat(first.get("redirectUrl").asText()).isEqualTo("https://example.com/v");
        assertThat(v.get("data").get(1).get("visitedUrl").asText()).isEqualTo("http://goto.test/v?utm=x");
        assertThat(v.get("data").get(0).get("potentialBot").asBoolean()).isTrue();
        assertThat(v.get("data").get(0).get("referer").asText()).isEmpty();
        assertThat(v.get("pagination").toString()).isEqualTo("{\"currentPage\":1,\"pagesCount\":1,\"itemsPerPage\":3,"
                + "\"itemsInCurrentPage\":3,\"totalItems\":3}");

        assertThat(agents(visits(admin, "/rest/v3/short-urls/v/visits?excludeBots=true"))).containsExactly(CHROME_ANDROID, FIREFOX);
        assertThat(agents(visits(admin, "/rest/v3/short-urls/v/visits?startDate=2026-01-11&endDate=2026-01-11T23:59:59Z")))
                .containsExactly(CHROME_ANDROID);
        assertThat(agents(visits(admin, "/rest/v3/short-urls/v/visits?startDate=2026-01-11T10:00:00%2B00:00")))
                .containsExactly(GOOGLEBOT, CHROME_ANDROID);
        assertThat(agents(visits(admin, "/rest/v3/short-urls/v/visits?endDate=2026-01-10T10:00:00Z"))).containsExactly(FIREFOX);
        JsonNode page1 = visits(admin, "/rest/v3/short-urls/v/visits?page=1&itemsPerPage=2");
        assertThat(agents(page1)).containsExactly(GOOGLEBOT, CHROME_ANDROID);
        assertThat(page1.get("pagination").toString()).isEqualTo("{\"currentPage\":1,\"pagesCount\":2,\"itemsPerPage\":2,"
                + "\"itemsInCurrentPage\":2,\"totalItems\":3}");
        JsonNode page2 = visits(admin, "/rest/v3/short-urls/v/visits?page=2&itemsPerPage=2&domain=DEFAULT");
        assertThat(agents(page2)).containsExactly(FIREFOX);
        assertThat(page2.get("pagination").get("currentPage").asInt()).isEqualTo(2);
        assertThat(page2.get("pagination").get("itemsInCurrentPage").asInt()).isEqualTo(1);

        JsonNode overview = admin.get("/rest/v3/visits").body();
        assertThat(overview.toString()).isEqualTo("{\"visits\":{\"nonOrphanVisits\":{\"total\":5,\"nonBots\":4,\"bots\":1},"
                + "\"orphanVisits\":{\"total\":3,\"nonBots\":2,\"bots\":1},\"visitsCount\":5,\"orphanVisitsCount\":3}}");

        JsonNode orphans = visits(admin, "/rest/v3/visits/orphan");
        assertThat(orphans.get("data")).extracting(o -> o.get("type").asText()).containsExactly("base_url", "regular_404",
                "invalid_short_url");
        JsonNode base = visits(admin, "/rest/v3/visits/orphan?type=base_url").get("data");
        assertThat(base).hasSize(1);
        assertThat(fields(base.get(0))).containsExactly("referer", "date", "userAgent", "visitLocation", "potentialBot",
                "visitedUrl", "redirectUrl", "type");
        assertThat(base.get(0).get("visitedUrl").asText()).isEqualTo("http://goto.test/");
        assertThat(base.get(0).get("redirectUrl").isNull()).isTrue();
        assertThat(visits(admin, "/rest/v3/visits/orphan?excludeBots=true").get("data")).hasSize(2);
        assertThat(visits(admin, "/rest/v3/visits/orphan?type=invalid_short_url").get("data").get(0).get("visitedUrl").asText())
                .isEqualTo("http://goto.test/nope");

        assertThat(visits(admin, "/rest/v3/visits/non-orphan").get("pagination").get("totalItems").asInt()).isEqualTo(5);
        assertThat(visits(admin, "/rest/v3/visits/non-orphan?excludeBots=true").get("data")).hasSize(4);
        assertThat(visits(admin, "/rest/v3/domains/DEFAULT/visits").get("data")).hasSize(5);
        JsonNode tagged = visits(admin, "/rest/v3/tags/t/visits");
        assertThat(tagged.get("data")).extracting(x -> x.get("redirectUrl").asText())
                .containsExactly("https://example.com/v", "https://example.com/w", "https://example.com/v?utm=x", // query forwarded
                        "https://example.com/v");

        // The short URL list and get carry the counts, and order by them.
        JsonNode got = admin.get("/rest/v3/short-urls/v").body();
        assertThat(got.get("visitsSummary").toString()).isEqualTo("{\"total\":3,\"nonBots\":2,\"bots\":1}");
        assertThat(got.get("visitsCount").asInt()).isEqualTo(3);
        assertThat(admin.get("/rest/v3/short-urls?orderBy=visits-DESC").body().get("shortUrls").get("data"))
                .extracting(s -> s.get("shortCode").asText()).startsWith("v");
        assertThat(admin.get("/rest/v3/short-urls?orderBy=visits-ASC").body().get("shortUrls").get("data"))
                .extracting(s -> s.get("shortCode").asText()).endsWith("v");
        assertThat(admin.get("/rest/v3/short-urls?orderBy=nonBotVisits-DESC").body().get("shortUrls").get("data").get(0)
                .get("shortCode").asText()).isEqualTo("v");
        assertThat(admin.get("/rest/v3/tags/stats").body().get("tags").get("data").get(0).get("visitsSummary").toString())
                .isEqualTo("{\"total\":4,\"nonBots\":3,\"bots\":1}");

        // Errors name what is wrong.
        assertThat(admin.get("/rest/v3/short-urls/nope/visits").type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
        assertThat(admin.get("/rest/v3/tags/nope/visits").type()).isEqualTo("https://shlink.io/api/error/tag-not-found");
        Api.Answer badType = admin.get("/rest/v3/visits/orphan?type=bogus");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.body().get("invalidElements").toString()).isEqualTo("[\"type\"]");
        Api.Answer bad = admin.get("/rest/v3/short-urls/v/visits?itemsPerPage=0&startDate=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("invalidElements").toString()).isEqualTo("[\"itemsPerPage\",\"startDate\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void anAuthorKeySeesOnlyItsOwnLinksVisits(String store) throws Exception {
        start(store, TestApiKeys.options());
        visitSome();
        assertThat(alice.get("/rest/v3/short-urls/v/visits").type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
        assertThat(alice.delete("/rest/v3/short-urls/v/visits").status()).isEqualTo(404);
        assertThat(agents(visits(alice, "/rest/v3/short-urls/a1/visits"))).containsExactly(CHROME_ANDROID);
        assertThat(alice.get("/rest/v3/visits").body().toString()).isEqualTo("{\"visits\":{\"nonOrphanVisits\":{\"total\":1,"
                + "\"nonBots\":1,\"bots\":0},\"orphanVisits\":{\"total\":0,\"nonBots\":0,\"bots\":0},\"visitsCount\":1,"
                + "\"orphanVisitsCount\":0}}");
        assertThat(visits(alice, "/rest/v3/visits/non-orphan").get("data")).extracting(x -> x.get("redirectUrl").asText())
                .containsExactly("https://example.com/a");
        assertThat(visits(alice, "/rest/v3/visits/orphan").get("data")).isEmpty();
        assertThat(alice.delete("/rest/v3/visits/orphan").body().toString()).isEqualTo("{\"deletedVisits\":0}");
        assertThat(alice.get("/rest/v3/tags/t/visits").type()).isEqualTo("https://shlink.io/api/error/tag-not-found");
        assertThat(alice.get("/rest/v3/visits/aggregate").body().get("aggregate").get("visitsSummary").toString())
                .isEqualTo("{\"total\":1,\"nonBots\":1,\"bots\":0}");
        assertThat(alice.get("/rest/v3/short-urls/v/visits/aggregate").status()).isEqualTo(404);
        assertThat(visits(admin, "/rest/v3/visits/orphan").get("data")).hasSize(3); // Alice's delete deleted none
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void aggregatesCountPerDayAndTheTopNamesAsTheContractSays(String store) throws Exception {
        start(store, TestApiKeys.options());
        visitSome();
        JsonNode v = admin.get("/rest/v3/short-urls/v/visits/aggregate").body();
        assertThat(fields(v)).containsExactly("aggregate");
        JsonNode aggregate = v.get("aggregate");
        assertThat(fields(aggregate)).containsExactly("visitsSummary", "perDay", "referrerHosts", "browsers", "operatingSystems");
        assertThat(aggregate.get("visitsSummary").toString()).isEqualTo("{\"total\":3,\"nonBots\":2,\"bots\":1}");
        assertThat(aggregate.get("perDay").toString()).isEqualTo("[{\"date\":\"2026-01-10\",\"total\":1,\"nonBots\":1,\"bots\":0},"
                + "{\"date\":\"2026-01-11\",\"total\":1,\"nonBots\":1,\"bots\":0},"
                + "{\"date\":\"2026-01-12\",\"total\":1,\"nonBots\":0,\"bots\":1}]");
        assertThat(aggregate.get("referrerHosts").toString()).isEqualTo("[{\"name\":\"news.example\",\"count\":2},{\"name\":\"\",\"count\":1}]");
        assertThat(aggregate.get("browsers")).extracting(b -> b.get("name").asText())
                .containsExactlyInAnyOrder("Firefox", "Chrome", "Googlebot");
        assertThat(aggregate.get("operatingSystems")).isNotEmpty();

        JsonNode all = admin.get("/rest/v3/visits/aggregate?startDate=2026-01-11&endDate=2026-01-11T20:00:00Z").body().get("aggregate");
        assertThat(all.get("visitsSummary").toString()).isEqualTo("{\"total\":3,\"nonBots\":3,\"bots\":0}");
        assertThat(all.get("perDay")).hasSize(1);
        assertThat(all.get("referrerHosts").toString()).isEqualTo("[{\"name\":\"\",\"count\":1},{\"name\":\"news.example\",\"count\":1},"
                + "{\"name\":\"t.co\",\"count\":1}]");
        assertThat(admin.get("/rest/v3/visits/aggregate").body().get("aggregate").get("visitsSummary").get("total").asInt())
                .isEqualTo(5); // orphans are no link's
        assertThat(admin.get("/rest/v3/visits/aggregate?endDate=2026-01-01").body().get("aggregate").get("perDay")).isEmpty();
        assertThat(admin.get("/rest/v3/visits/aggregate?startDate=2026-02-01&endDate=2026-01-01").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void deletedVisitsCountZeroAndTheThresholdAndMaxVisitsUseRealCounts(String store) throws Exception {
        start(store, TestApiKeys.options().withDeleteShortUrlThreshold(2));
        visitSome();
        assertThat(admin.delete("/rest/v3/short-urls/v").type()).isEqualTo("https://shlink.io/api/error/invalid-short-url-deletion");
        assertThat(admin.delete("/rest/v3/short-urls/v/visits").body().toString()).isEqualTo("{\"deletedVisits\":3}");
        assertThat(admin.get("/rest/v3/short-urls/v").body().get("visitsSummary").toString())
                .isEqualTo("{\"total\":0,\"nonBots\":0,\"bots\":0}");
        assertThat(visits(admin, "/rest/v3/short-urls/v/visits").get("data")).isEmpty();
        assertThat(admin.get("/rest/v3/short-urls/v/visits/aggregate").body().get("aggregate").get("perDay")).isEmpty();
        assertThat(admin.get("/rest/v3/visits").body().get("visits").get("nonOrphanVisits").get("total").asInt()).isEqualTo(2);
        assertThat(admin.delete("/rest/v3/visits/orphan").body().toString()).isEqualTo("{\"deletedVisits\":3}");
        assertThat(admin.get("/rest/v3/visits").body().get("visits").get("orphanVisits").get("total").asInt()).isZero();
        assertThat(visits(admin, "/rest/v3/visits/orphan").get("data")).isEmpty();
        assertThat(admin.delete("/rest/v3/short-urls/v").status()).isEqualTo(204);

        // A slug claimed again starts from zero.
        admin.create("{\"longUrl\": \"https://example.com/again\", \"customSlug\": \"w2\", \"maxVisits\": 2}");
        assertThat(admin.delete("/rest/v3/short-urls/w").status()).isEqualTo(204);
        clock.advance(Duration.ofSeconds(1));
        admin.create("{\"longUrl\": \"https://example.com/new-w\", \"customSlug\": \"w\"}");
        assertThat(admin.get("/rest/v3/short-urls/w").body().get("visitsSummary").get("total").asInt()).isZero();
        assertThat(visits(admin, "/rest/v3/short-urls/w/visits").get("data")).isEmpty();

        // maxVisits reached, by real visits: excluded on request.
        assertThat(visit(app, "/w2", FIREFOX, null)).isEqualTo(302);
        assertThat(visit(app, "/w2", FIREFOX, null)).isEqualTo(302);
        assertThat(visit(app, "/w2", FIREFOX, null)).isEqualTo(404);
        awaitRecorded(app, 8 + 3);
        assertThat(admin.get("/rest/v3/short-urls?excludeMaxVisitsReached=true").body().get("shortUrls").get("data"))
                .extracting(s -> s.get("shortCode").asText()).doesNotContain("w2").contains("w", "a1");
        assertThat(admin.get("/rest/v3/short-urls/w2").body().get("visitsSummary").get("total").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void theRoutesAnswerFromTheVisitsEvenWithTrackingOff(String store) throws Exception {
        app = RunningGoto.start(RunningGoto.config(store.equals("file") ? dir.resolve("goto.data") : null).withTracking(false, null),
                store.equals("file") ? GotoService.defaultStoreOpener(clock) : (c, m) -> new MemoryLinkStore(clock),
                TestApiKeys.options(), clock);
        admin = new Api(app, TestApiKeys.ADMIN);
        admin.create("{\"longUrl\": \"https://example.com/v\", \"customSlug\": \"v\"}");
        HttpResponse<String> redirect = app.get("/v");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(visits(admin, "/rest/v3/short-urls/v/visits").get("data")).isEmpty();
        assertThat(admin.get("/rest/v3/short-urls/v").body().get("visitsSummary").get("total").asInt()).isZero();
    }
}
