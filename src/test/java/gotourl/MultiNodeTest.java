package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkEdit;
import gotourl.store.pg.PgLinkStore;
import gotourl.store.pg.PgSettings;
import gotourl.store.pg.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three goto processes on one PostgreSQL server, as behind a load balancer: concurrent adds
 * through all three, an edit and a delete seen by every node within a second, kill -9 of a node,
 * and a restart of the database. Each check counts what was acknowledged and looks for it after.
 */
class MultiNodeTest {
    private static final int NODES = 3;
    private static final int CLIENTS_PER_NODE = 3;
    private static final int ADDS_PER_CLIENT = 60;
    private static final Duration PROPAGATION = Duration.ofSeconds(1);
    private static final String INITIAL_KEY = "multi-node-initial-0123456789";

    private static TestPostgres postgres;
    private static String jdbcUrl;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = TestPostgres.start(); // its own: this test stops and starts it
        jdbcUrl = postgres.newDatabase();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    private ChildGoto node(int index) throws IOException, InterruptedException {
        return ChildGoto.start(dir.resolve("node-" + index + "-" + System.nanoTime() + ".log"), "-http=127.0.0.1:0",
                "-admin=127.0.0.1:0", "-host=goto.test", "-db=" + jdbcUrl, "-file=" + nodeFile(index),
                "-initial-api-key=" + INITIAL_KEY).awaitServing(Duration.ofSeconds(60));
    }

    /** Where node {@code index}'s control socket lives ({@code FILE.sock}): with -db, -file holds no links. */
    private Path nodeFile(int index) {
        return dir.resolve("node-" + index + ".data");
    }

    @Test
    void threeNodesShareTheirLinksSurviveAKillNineAndADatabaseRestart() throws Exception {
        List<ChildGoto> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(node(i));
            }
            Map<String, String> acknowledged = new ConcurrentHashMap<>();

            // Concurrent adds through all three: no code twice, every link redirects on every node.
            List<String> problems = addConcurrently(nodes, acknowledged);
            assertThat(problems).isEmpty();
            assertThat(acknowledged).hasSize(NODES * CLIENTS_PER_NODE * ADDS_PER_CLIENT);
            for (ChildGoto node : nodes) {
                awaitRedirects(node, acknowledged, Duration.ofSeconds(5));
            }

            // API keys live in the database: the initial key works on every node, a key made
            // through one node's control socket works on another within 1 s, and so does a disable.
            for (ChildGoto node : nodes) {
                assertThat(rest(node, INITIAL_KEY).statusCode()).as("the initial key on node " + node.appPort()).isEqualTo(200);
            }
            CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-file=" + nodeFile(1), "--name=shared", "--role=admin");
            assertThat(generated.exitCode()).as(generated.err()).isZero();
            assertThat(generated.err()).contains("the running goto");
            String shared = generated.out().strip();
            awaitRestStatus(nodes.get(2), shared, 200);
            CliRun disabled = CliRun.of(Map.of(), "api-key", "disable", "-file=" + nodeFile(2), "shared");
            assertThat(disabled.exitCode()).as(disabled.err()).isZero();
            awaitRestStatus(nodes.get(0), shared, 401);
            // A key made on the database itself (no node's socket) works on every node.
            CliRun fromDb = CliRun.of(Map.of(), "api-key", "generate", "-db=" + jdbcUrl, "--name=from-db", "--role=author");
            assertThat(fromDb.exitCode()).as(fromDb.err()).isZero();
            for (ChildGoto node : nodes) {
                awaitRestStatus(node, fromDb.out().strip(), 200);
            }

            // An edit and a delete on one node (this test's own) are honoured by the others within 1 s.
            try (PgLinkStore editor = PgLinkStore.open(PgSettings.parse(jdbcUrl, null, Map.of()), PgLinkStore.Options.defaults())) {
                String edited = acknowledged.keySet().iterator().next();
                editor.edit(edited, LinkEdit.none().longUrl("https://example.com/edited")).get();
                long editedAt = System.nanoTime();
                for (ChildGoto node : nodes) {
                    awaitLocation(node, edited, "https://example.com/edited", editedAt);
                }
                acknowledged.put(edited, "https://example.com/edited");
                String deleted = acknowledged.keySet().stream().filter(k -> !k.equals(edited)).findFirst().orElseThrow();
                editor.delete(deleted).get();
                long deletedAt = System.nanoTime();
                for (ChildGoto node : nodes) {
                    awaitLocation(node, deleted, null, deletedAt);
                }
                acknowledged.remove(deleted);
            }

            // kill -9 of a node amid adds: nothing it acknowledged is lost.
            Map<String, String> throughVictim = new ConcurrentHashMap<>();
            List<String> victimProblems = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread client = Thread.ofPlatform().start(() -> KillNineTest.addUntilGotoDies(nodes.get(0).appPort(),
                    "https://example.com/victim/", go, throughVictim, victimProblems));
            go.countDown();
            KillNineTest.awaitAcknowledged(throughVictim, 20);
            nodes.get(0).kill9();
            client.join(30_000);
            assertThat(victimProblems).isEmpty();
            acknowledged.putAll(throughVictim);
            assertEveryLinkIsInTheDatabase(acknowledged);
            awaitRedirects(nodes.get(1), acknowledged, Duration.ofSeconds(5));
            nodes.set(0, node(0));
            awaitRedirects(nodes.get(0), acknowledged, Duration.ofSeconds(5));

            // The database restarts: 503 with Retry-After meanwhile, redirects from memory, health
            // not ready; then every node takes adds again by itself, and nothing is lost.
            postgres.stopServer("fast");
            ChildGoto node = nodes.get(1);
            HttpResponse<String> refused = awaitAddStatus(node, 503, Duration.ofSeconds(10));
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("database");
            String someKey = acknowledged.keySet().iterator().next();
            assertThat(get(node, "/" + someKey).statusCode()).as("a redirect while the database is down").isEqualTo(302);
            HttpResponse<String> health = admin(node, "/health/ready");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("database");
            postgres.startServer();
            for (ChildGoto each : nodes) {
                HttpResponse<String> added = awaitAddStatus(each, 200, Duration.ofSeconds(30));
                acknowledged.put(RunningGoto.keyOf(added.body().strip()), added.request().uri().getQuery().substring(4));
                assertThat(admin(each, "/health/ready").statusCode()).isEqualTo(200);
            }
            assertEveryLinkIsInTheDatabase(acknowledged);
            for (ChildGoto each : nodes) {
                awaitRedirects(each, acknowledged, Duration.ofSeconds(5));
            }
        } finally {
            for (ChildGoto node : nodes) {
                node.close();
            }
        }
    }

    private List<String> addConcurrently(List<ChildGoto> nodes, Map<String, String> acknowledged) throws InterruptedException {
        List<String> problems = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            ChildGoto node = nodes.get(n);
            for (int c = 0; c < CLIENTS_PER_NODE; c++) {
                String prefix = "https://example.com/" + n + "/" + c + "/";
                clients.add(Thread.ofPlatform().name("client-" + n + "-" + c).start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < ADDS_PER_CLIENT; i++) {
                            HttpResponse<String> added = add(node, prefix + i);
                            if (added.statusCode() != 200) {
                                problems.add("add answered " + added.statusCode() + ": " + added.body());
                                return;
                            }
                            String key = RunningGoto.keyOf(added.body().strip());
                            String before = acknowledged.putIfAbsent(key, prefix + i);
                            if (before != null) {
                                problems.add("key " + key + " acknowledged for " + before + " and for " + prefix + i);
                            }
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }));
            }
        }
        start.countDown();
        for (Thread client : clients) {
            client.join(120_000);
        }
        return problems;
    }

    private void awaitRedirects(ChildGoto node, Map<String, String> links, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, String> link : links.entrySet()) {
            while (true) {
                HttpResponse<String> answer = get(node, "/" + link.getKey());
                if (answer.statusCode() == 302 && link.getValue().equals(answer.headers().firstValue("Location").orElse(null))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("node on port " + node.appPort() + ": /" + link.getKey() + " answered "
                            + answer.statusCode() + " " + answer.headers().firstValue("Location") + ", not " + link.getValue());
                }
                Thread.sleep(20);
            }
        }
    }

    /** Waits until {@code node} redirects {@code key} to {@code location} (null: answers 404); at most 1 s after {@code since}. */
    private void awaitLocation(ChildGoto node, String key, String location, long since) throws Exception {
        while (true) {
            HttpResponse<String> answer = get(node, "/" + key);
            String seen = answer.statusCode() == 302 ? answer.headers().firstValue("Location").orElse(null) : null;
            if (location == null ? answer.statusCode() == 404 : location.equals(seen)) {
                return;
            }
            long waited = System.nanoTime() - since;
            if (waited > PROPAGATION.toNanos()) {
                throw new AssertionError("node on port " + node.appPort() + " still answers " + answer.statusCode() + " " + seen
                        + " for /" + key + " " + waited / 1_000_000 + " ms after the change (expected " + location + ")");
            }
            Thread.sleep(10);
        }
    }

    private HttpResponse<String> awaitAddStatus(ChildGoto node, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; ; i++) {
            HttpResponse<String> answer = add(node, "https://example.com/outage/" + node.appPort() + "/" + i + "/" + System.nanoTime());
            if (answer.statusCode() == status) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("add answered " + answer.statusCode() + " " + answer.body() + ", not " + status + ", for " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private void assertEveryLinkIsInTheDatabase(Map<String, String> links) throws Exception {
        Map<String, String> stored = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT short_code, long_url FROM short_urls WHERE NOT deleted")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getString(2));
            }
        }
        List<String> missing = new ArrayList<>();
        links.forEach((key, url) -> {
            if (!url.equals(stored.get(key))) {
                missing.add(key + " -> " + url + " (stored: " + stored.get(key) + ")");
            }
        });
        assertThat(missing).as("acknowledged links missing from the database").isEmpty();
    }

    private HttpResponse<String> rest(ChildGoto node, String apiKey) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.appPort() + "/rest/v3/short-urls"))
                .header("X-Api-Key", apiKey).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code node}'s REST API answers {@code status} to {@code apiKey}: at most 1 s. */
    private void awaitRestStatus(ChildGoto node, String apiKey, int status) throws Exception {
        long since = System.nanoTime();
        while (true) {
            int answered = rest(node, apiKey).statusCode();
            if (answered == status) {
                return;
            }
            if (System.nanoTime() - since > PROPAGATION.toNanos()) {
                throw new AssertionError("node on port " + node.appPort() + " still answers " + answered + " to the key, not " + status);
            }
            Thread.sleep(10);
        }
    }

    private HttpResponse<String> add(ChildGoto node, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.appPort() + "/add?url="
                + URLEncoder.encode(url, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ChildGoto node, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.appPort() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(ChildGoto node, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
