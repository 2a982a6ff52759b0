package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.pg.PgSettings;
import gotourl.store.pg.PgVisitStore;
import gotourl.store.pg.TestPostgres;
import gotourl.visits.VisitsQuery;
import gotourl.visits.VisitsSummary;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code -db}, visits go to PostgreSQL, where every node reads them; while the database is
 * down, redirects go on, health says visits wait, and once it is back the visits made meanwhile
 * are written, without a restart.
 */
class PgVisitsOverHttpTest {
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    @TempDir
    Path dir;
    private TestPostgres postgres;
    private RunningGoto app;

    @BeforeEach
    void startDatabase() throws Exception {
        postgres = TestPostgres.start(); // its own: this test stops and starts it
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        postgres.close();
    }

    private static long total(PgVisitStore store, String code) {
        try {
            return store.summary(code).total();
        } catch (RuntimeException e) {
            return -1; // the database is still coming back
        }
    }

    private HttpResponse<String> visit(String key) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri("/" + key)).header("User-Agent", FIREFOX).GET().build());
    }

    @Test
    void visitsGoToTheDatabaseAndSurviveItsRestart() throws Exception {
        PgSettings db = PgSettings.parse(postgres.newDatabase(), null, Map.of());
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withDatabase(db));
        String key = app.addKey("https://example.com/landing");
        assertThat(visit(key).statusCode()).isEqualTo(302);
        assertThat(visit("nope-" + key).statusCode()).isEqualTo(404);

        try (PgVisitStore otherNode = PgVisitStore.open(db)) {
            VisitsOverHttpTest.await("the visit is in the database", () -> total(otherNode, key) == 1);
            assertThat(otherNode.linkVisits(key, VisitsQuery.all()).data().getFirst().browser()).isEqualTo("Firefox");
            VisitsOverHttpTest.await("the orphan visit is in the database", () -> otherNode.stats().orphanVisits().total() == 1);
            assertThat(app.service().tracker().store()).isInstanceOf(PgVisitStore.class);

            postgres.stopServer("fast");
            for (int i = 0; i < 3; i++) {
                assertThat(visit(key).statusCode()).as("a redirect while the database is down").isEqualTo(302);
            }
            VisitsOverHttpTest.await("health says visits wait", () -> {
                try {
                    HttpResponse<String> visits = app.admin("/health/visits");
                    return visits.statusCode() == 503 && visits.body().contains("database");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(app.service().tracker().failure()).contains("visits wait to be written");

            postgres.startServer();
            VisitsOverHttpTest.await("the visits made during the outage are written", () -> total(otherNode, key) == 4);
            VisitsOverHttpTest.await("health says visits are recorded", () -> {
                try {
                    return app.admin("/health/visits").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(visit(key).statusCode()).isEqualTo(302);
            VisitsOverHttpTest.await("a visit after the outage is written", () -> total(otherNode, key) == 5);
            assertThat(otherNode.summary(key)).isEqualTo(new VisitsSummary(5, 5, 0));
            assertThat(app.service().tracker().lost()).isZero();
        }
    }
}
