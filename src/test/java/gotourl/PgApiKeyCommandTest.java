package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.pg.PgSettings;
import gotourl.store.pg.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto api-key -db}: keys managed on the PostgreSQL database with its URL alone, no goto
 * running here (nor anywhere: a key made before the first node starts works once it does). A key
 * made or disabled this way reaches running nodes within a second; the key is printed once and
 * the database keeps only its hash.
 */
class PgApiKeyCommandTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static int listStatus(RunningGoto running, String key) throws Exception {
        HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/rest/v3/short-urls"))
                .header("X-Api-Key", key).build());
        return answer.statusCode();
    }

    private static void awaitStatus(RunningGoto running, String key, int status) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        int last;
        while ((last = listStatus(running, key)) != status) {
            assertThat(System.nanoTime()).as("the node answers %d (not %d) within %s", status, last, WITHIN).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Config node(String jdbcUrl) {
        return RunningGoto.config(dir.resolve("node.data")).withDatabase(PgSettings.parse(jdbcUrl, null, Map.of()));
    }

    @Test
    void aKeyMadeWithDbWorksOnARunningNodeAndADisableReachesIt() throws Exception {
        String jdbcUrl = TestPostgres.shared().newDatabase();
        try (RunningGoto running = RunningGoto.start(node(jdbcUrl))) {
            CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-db=" + jdbcUrl, "--name=ops", "--role=admin");
            assertThat(generated.exitCode()).as(generated.err()).isZero();
            String key = generated.out().strip();
            assertThat(key).startsWith("goto_").doesNotContain("\n");
            assertThat(generated.err()).contains("made admin key 'ops'").contains("the database jdbc:postgresql://127.0.0.1:")
                    .doesNotContain(key);
            awaitStatus(running, key, 200);
            assertThat(listStatus(running, "goto_not-a-key-0123456789")).isEqualTo(401);

            CliRun listed = CliRun.of(Map.of(), "api-key", "list", "-db=" + jdbcUrl);
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).contains("ops").contains("admin").contains("enabled").doesNotContain(key);

            CliRun taken = CliRun.of(Map.of(), "api-key", "generate", "-db=" + jdbcUrl, "--name=ops");
            assertThat(taken.exitCode()).isEqualTo(1);
            assertThat(taken.err()).contains("ops");
            assertThat(taken.out()).as("no key is printed for a refused name").isEmpty();

            CliRun disabled = CliRun.of(Map.of(), "api-key", "disable", "-db=" + jdbcUrl, "ops");
            assertThat(disabled.exitCode()).as(disabled.err()).isZero();
            assertThat(disabled.out()).contains("disabled admin key 'ops'");
            awaitStatus(running, key, 401);
            assertThat(CliRun.of(Map.of(), "api-key", "list", "-db=" + jdbcUrl).out()).contains("disabled");
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT api_keys::text FROM api_keys")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).as("the stored row holds the key's hash, never the key").doesNotContain("goto_");
        }
    }

    /**
     * docs/POSTGRESQL.md manages keys "through that node's control socket (beside its -file)".
     * With the node stopped, the same command made a data file at that -file and printed a key
     * kept there, which no node on the database ever reads: it now refuses, naming -db.
     */
    @Test
    void apiKeyOnAStoppedNodesFileRefusesAndNamesDbInsteadOfMakingAKeyNoNodeReads() throws Exception {
        String jdbcUrl = TestPostgres.shared().newDatabase();
        Path nodeFile = dir.resolve("node.data");
        try (RunningGoto running = RunningGoto.start(node(jdbcUrl))) {
            CliRun viaSocket = CliRun.of(Map.of(), "api-key", "generate", "-file=" + nodeFile, "--name=live", "--role=admin");
            assertThat(viaSocket.exitCode()).as(viaSocket.err()).isZero();
        }
        CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-file=" + nodeFile, "--name=stopped", "--role=admin");
        assertThat(generated.exitCode()).as(generated.err()).isEqualTo(1);
        assertThat(generated.out()).as("no key is printed").isEmpty();
        assertThat(generated.err()).contains(nodeFile + " is the -file of a goto node on PostgreSQL (jdbc:postgresql://127.0.0.1:")
                .contains("nothing was changed").contains("-db=URL");
        assertThat(nodeFile).as("no data file is made for keys no node reads").doesNotExist();
        CliRun listed = CliRun.of(Map.of(), "api-key", "list", "-file=" + nodeFile);
        assertThat(listed.exitCode()).isEqualTo(1);
        assertThat(listed.err()).contains("is the -file of a goto node on PostgreSQL");

        // The same path served by a goto on its file again: a data file's keys, managed on the file.
        try (RunningGoto onFile = RunningGoto.start(RunningGoto.config(nodeFile))) {
            assertThat(onFile).isNotNull();
        }
        CliRun onTheFile = CliRun.of(Map.of(), "api-key", "generate", "-file=" + nodeFile, "--name=file-key");
        assertThat(onTheFile.exitCode()).as(onTheFile.err()).isZero();
    }

    @Test
    void aKeyMadeBeforeAnyNodeStartedWorksOnceOneDoes() throws Exception {
        String jdbcUrl = TestPostgres.shared().newDatabase(); // empty: no node has migrated it yet
        Path password = Files.writeString(dir.resolve("db-password"), "unused-by-trust-auth\n");
        CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-db=" + jdbcUrl, "-db-password-file=" + password,
                "--name=first", "--role=admin");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        String key = generated.out().strip();
        try (RunningGoto running = RunningGoto.start(node(jdbcUrl))) {
            assertThat(listStatus(running, key)).isEqualTo(200);
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedOrReadIsAClearErrorWithoutThePassword() throws Exception {
        CliRun unreachable = CliRun.of(Map.of("PGPASSWORD", "s3cret-pw"), "api-key", "list",
                "-db=postgresql://goto@127.0.0.1:1/goto");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("goto api-key list: ").contains("127.0.0.1:1").doesNotContain("s3cret-pw");

        CliRun malformed = CliRun.of(Map.of(), "api-key", "list", "-db=mysql://u:secret@h/db");
        assertThat(malformed.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(malformed.err()).contains("postgresql://").doesNotContain("secret");
    }
}
