package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.Config;
import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.TestClock;
import gotourl.store.MemoryLinkStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -visits-retention}, end to end on a clock the test moves: visits older than the cutoff
 * vanish from every list (and from the lists' totals) once the background pass runs, while each
 * link's counts and the per-day aggregates stay, as the README says; after a restart too.
 */
class VisitsRetentionTest {
    private static final Instant DAY1 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(DAY1);
    private RunningGoto app;
    private Api admin;

    private void start(String store) throws Exception {
        Config config = RunningGoto.config(store.equals("file") ? dir.resolve("goto.data") : null)
                .withTracking(true, Duration.ofDays(1));
        GotoService.StoreOpener opener = store.equals("file") ? GotoService.defaultStoreOpener(clock)
                : (c, m) -> new MemoryLinkStore(clock);
        app = RunningGoto.start(config, opener, TestApiKeys.options(), clock);
        admin = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private void visitAndWait(String path, int status) throws Exception {
        long before = app.service().tracker().recorded();
        assertThat(VisitsApiTest.visit(app, path, VisitsApiTest.FIREFOX, null)).as(path).isEqualTo(status);
        VisitsApiTest.awaitRecorded(app, before + 1);
    }

    private JsonNode list(String path) throws Exception {
        Api.Answer answer = admin.get(path);
        assertThat(answer.status()).as(path).isEqualTo(200);
        return answer.body().get("visits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void visitsPastTheRetentionLeaveTheListsAndTheCountsStay(String store) throws Exception {
        start(store);
        admin.create("{\"longUrl\": \"https://example.com/r\", \"customSlug\": \"r\"}");
        for (int i = 0; i < 3; i++) {
            visitAndWait("/r", 302);
        }
        visitAndWait("/zz", 404);
        assertThat(list("/rest/v3/short-urls/r/visits").get("data")).hasSize(3);

        clock.advance(Duration.ofDays(3));
        visitAndWait("/r", 302);
        clock.advance(Duration.ofMinutes(11)); // past the pass interval: the worker's next look drops the old day
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (list("/rest/v3/short-urls/r/visits").get("data").size() != 1) {
            assertThat(System.nanoTime()).as("the visits of three days ago were not dropped").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertListsShowOnlyTheRecentVisitAndCountsStay();

        if (store.equals("file")) { // what was dropped stays dropped, and the totals stay honest, after a restart
            app.close();
            start(store);
            assertListsShowOnlyTheRecentVisitAndCountsStay();
        }
    }

    private void assertListsShowOnlyTheRecentVisitAndCountsStay() throws Exception {
        JsonNode r = list("/rest/v3/short-urls/r/visits");
        assertThat(r.get("data").get(0).get("date").asText()).isEqualTo("2026-03-04T10:00:00+00:00");
        assertThat(r.get("pagination").get("totalItems").asInt()).isEqualTo(1);
        assertThat(list("/rest/v3/short-urls/r/visits?excludeBots=true").get("pagination").get("totalItems").asInt()).isEqualTo(1);
        assertThat(list("/rest/v3/visits/non-orphan").get("pagination").get("totalItems").asInt()).isEqualTo(1);
        assertThat(list("/rest/v3/visits/orphan").get("data")).isEmpty();
        assertThat(list("/rest/v3/visits/orphan").get("pagination").get("totalItems").asInt()).isZero();
        // Counts and per-day aggregates stay.
        assertThat(admin.get("/rest/v3/short-urls/r").body().get("visitsSummary").toString())
                .isEqualTo("{\"total\":4,\"nonBots\":4,\"bots\":0}");
        assertThat(admin.get("/rest/v3/visits").body().get("visits").get("orphanVisits").get("total").asInt()).isEqualTo(1);
        JsonNode aggregate = admin.get("/rest/v3/short-urls/r/visits/aggregate").body().get("aggregate");
        assertThat(aggregate.get("perDay").toString()).isEqualTo("[{\"date\":\"2026-03-01\",\"total\":3,\"nonBots\":3,\"bots\":0},"
                + "{\"date\":\"2026-03-04\",\"total\":1,\"nonBots\":1,\"bots\":0}]");
    }
}
