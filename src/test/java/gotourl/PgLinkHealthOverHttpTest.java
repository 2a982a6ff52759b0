package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.apikey.Secret;
import gotourl.check.CheckSettings;
import gotourl.fetch.TestSite;
import gotourl.link.LinkDraft;
import gotourl.store.pg.PgLinkStore;
import gotourl.store.pg.PgSettings;
import gotourl.store.pg.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Link health with {@code -db}: kept in PostgreSQL, so a verdict one node made is shown by the
 * others and survives a restart of every node, and {@code goto check -db} checks the links of
 * running nodes, which show its verdicts.
 */
class PgLinkHealthOverHttpTest {
    private static final String KEY = "pg-health-test-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private TestSite site;
    private String jdbcUrl;
    private PgSettings db;

    @BeforeEach
    void start() throws Exception {
        site = TestSite.start();
        jdbcUrl = TestPostgres.shared().newDatabase();
        db = PgSettings.parse(jdbcUrl, null, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + site.port() + path;
    }

    /** A node on the test's database; it checks every link each {@code interval}, or never (null). */
    private Config node(String name, Duration interval) {
        return RunningGoto.config(dir.resolve(name + ".data")).withDatabase(db).withInitialApiKey(new Secret(KEY))
                .withChecks(new CheckSettings(interval, 8, 2, Duration.ofSeconds(10), true, false));
    }

    private void createLinks() throws Exception {
        try (PgLinkStore store = PgLinkStore.open(db, PgLinkStore.Options.defaults())) {
            store.create(LinkDraft.of(url("/hops/1")).withCustomSlug("moved")).get();
            store.create(LinkDraft.of(url("/broken")).withCustomSlug("down")).get();
            store.create(LinkDraft.of(url("/ok")).withCustomSlug("fine")).get();
        }
    }

    private static JsonNode health(RunningGoto running, String code) throws Exception {
        HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/rest/v3/short-urls/" + code))
                .header("X-Api-Key", KEY).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("health");
    }

    /** {@code code}'s health as {@code running} shows it, once it shows one; fails after {@link #SEEN_WITHIN}. */
    private static JsonNode awaitHealth(RunningGoto running, String code) throws Exception {
        long deadline = System.nanoTime() + SEEN_WITHIN.toNanos();
        while (true) {
            JsonNode health = health(running, code);
            if (!health.isNull()) {
                return health;
            }
            assertThat(System.nanoTime()).as("node " + running.service().appPort() + " shows the health of " + code
                    + " within " + SEEN_WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void assertVerdicts(RunningGoto running) throws Exception {
        JsonNode down = awaitHealth(running, "down");
        assertThat(down.get("state").asText()).isEqualTo("server-error");
        assertThat(down.get("status").asInt()).isEqualTo(500);
        JsonNode moved = awaitHealth(running, "moved");
        assertThat(moved.get("state").asText()).isEqualTo("redirected");
        assertThat(moved.get("location").asText()).isEqualTo(url("/hops/0"));
        assertThat(awaitHealth(running, "fine").get("state").asText()).isEqualTo("ok");
    }

    @Test
    void healthCheckedOnOneNodeIsShownByAnotherAndSurvivesARestartOfEveryNode() throws Exception {
        createLinks();
        try (RunningGoto quiet = RunningGoto.start(node("b", null))) {
            assertThat(health(quiet, "down").isNull()).as("nothing checked yet").isTrue();
            try (RunningGoto checker = RunningGoto.start(node("a", Duration.ofMinutes(1)))) {
                // The checker's first round runs at once (nothing kept is younger than its interval);
                // the node that checks nothing shows its verdicts, through the database.
                assertVerdicts(checker);
                assertVerdicts(quiet);
            }
        }
        int fetches = site.totalHits();
        assertThat(fetches).as("one round fetched every link").isGreaterThanOrEqualTo(3);

        // Every node restarted: the verdicts are read from the database at start, and a checker
        // whose kept verdicts are younger than its interval does not fetch them all again.
        try (RunningGoto checker = RunningGoto.start(node("a", Duration.ofMinutes(1)))) {
            assertThat(health(checker, "down").isNull()).as("health shown from the start, read from the database").isFalse();
            assertThat(health(checker, "down").get("state").asText()).as("shown from the start").isEqualTo("server-error");
            assertThat(health(checker, "fine").get("state").asText()).isEqualTo("ok");
            Thread.sleep(1_000);
            assertThat(site.totalHits()).as("no round at start: the kept verdicts are a fresh one's").isEqualTo(fetches);
        }
    }

    @Test
    void gotoCheckWithDbChecksTheLinksOfRunningNodesWhichShowItsVerdicts() throws Exception {
        createLinks();
        try (RunningGoto running = RunningGoto.start(node("b", null))) {
            CliRun check = CliRun.of(Map.of(), "check", "-db=" + jdbcUrl, "-fetch-private");
            assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(CheckCommand.SOME_BROKEN);
            assertThat(check.out()).contains("checked 3 of 3 links").contains("health kept in link_health in ");
            assertVerdicts(running);

            // A deleted link's verdict is forgotten by the next round.
            running.service().store().delete("down").get();
            CliRun again = CliRun.of(Map.of(), "check", "-db=" + jdbcUrl, "-fetch-private");
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("checked 2 of 2 links");
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT short_code FROM link_health ORDER BY short_code")) {
            StringBuilder codes = new StringBuilder();
            while (rows.next()) {
                codes.append(rows.getString(1)).append(' ');
            }
            assertThat(codes.toString().strip()).isEqualTo("fine moved");
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** {@code what} becomes true within {@link #SEEN_WITHIN}, polled every 50 ms. */
    private static void within(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + SEEN_WITHIN.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what + " within " + SEEN_WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static double metric(RunningGoto running, String name) throws Exception {
        String scrape = running.admin("/metrics").body();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in /metrics:\n" + scrape);
    }

    @Test
    void aFailingHealthWriteDegradesHealthAndCountsInTheMetricsUntilTheDatabaseTakesItAgain() throws Exception {
        createLinks();
        // Every write to link_health fails (reads still work), as a full disk or a lost grant would.
        sql("ALTER TABLE link_health ADD CONSTRAINT refuse_writes CHECK (false) NOT VALID");
        try (RunningGoto checker = RunningGoto.start(node("a", Duration.ofMinutes(1)))) {
            within("/health/ready says link checks are degraded", () -> checker.admin("/health/ready").body().contains("degraded"));
            HttpResponse<String> ready = checker.admin("/health/ready");
            assertThat(ready.statusCode()).as("still takes traffic").isEqualTo(200);
            assertThat(ready.body()).contains("degraded: link checks: link health is not being written to the database")
                    .contains("refuse_writes");
            assertThat(checker.admin("/health/visits").statusCode()).as("visits are not what failed").isEqualTo(200);
            assertThat(metric(checker, "goto_checks_failed")).isEqualTo(1.0);
            assertThat(metric(checker, "goto_checks_health_writes_failed_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(health(checker, "down").get("state").asText()).as("the verdicts are shown from memory meanwhile")
                    .isEqualTo("server-error");

            sql("ALTER TABLE link_health DROP CONSTRAINT refuse_writes");
            within("the writer's retry writes the verdicts", () -> checker.admin("/health/ready").body().equals("ready\n"));
            assertThat(metric(checker, "goto_checks_failed")).as("recovered").isEqualTo(0.0);
            try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM link_health")) {
                rows.next();
                assertThat(rows.getInt(1)).as("every verdict written once the database took them").isEqualTo(3);
            }
        }
    }
}
