package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.apikey.ApiKeys.Authentication;
import gotourl.apikey.KeyHash;
import gotourl.apikey.StoredApiKeys;
import gotourl.store.log.LogLinkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto api-key} against a real goto process and a real data file: through the control
 * socket while goto runs, on the file while it is stopped (also after a kill -9 left a stale
 * socket), with {@code -initial-api-key}; keys acknowledged before a kill -9 are there after it,
 * and neither the data file nor goto's log ever holds a key.
 */
class ApiKeyCommandEndToEndTest {
    private static final String INITIAL = "e2e-initial-0123456789abcdef";
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private ChildGoto startGoto(String log) throws Exception {
        return ChildGoto.startWithJvmOptions(dir.resolve(log), ChildGoto.QUICK_START, "-http=127.0.0.1:0", "-admin=off",
                "-file=" + file(), "-initial-api-key=" + INITIAL).awaitServing(START);
    }

    private String generate(String name, String role) {
        CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file(), "--name=" + name, "--role=" + role);
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out()).matches("goto_[0-9A-Za-z]{22}\\n");
        return generated.out().strip();
    }

    @Test
    void whileGotoRunsTheCommandGoesThroughTheSocketAndKeysSurviveKill9() throws Exception {
        String ci;
        String reader;
        Path socket = dir.resolve("goto.data.sock");
        try (ChildGoto running = startGoto("first.log")) {
            assertThat(running.log()).contains("created the initial API key as admin key 'initial-api-key'");
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            CliRun generated = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file(), "--name=ci", "--role=admin", "--expires=30d");
            assertThat(generated.exitCode()).as(generated.err()).isZero();
            assertThat(generated.err()).contains("made admin key 'ci'").contains("the running goto (via " + socket)
                    .contains("Save the key now");
            ci = generated.out().strip();
            reader = generate("reader", "author");

            CliRun taken = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file(), "--name=ci");
            assertThat(taken.exitCode()).isEqualTo(1);
            assertThat(taken.err().strip()).isEqualTo("goto api-key generate: an API key named 'ci' exists already; choose another name"
                    + " (goto api-key list shows the names taken)");
            CliRun unknown = CliRun.of(Map.of(), "api-key", "disable", "-file=" + file(), "nobody");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).contains("no API key has the id or name 'nobody'");
            // Arguments too long for the socket's request line get goto's own words, not a reset connection.
            String huge = "n".repeat(5000);
            CliRun longName = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file(), "--name=" + huge);
            assertThat(longName.exitCode()).isEqualTo(1);
            assertThat(longName.err().strip()).isEqualTo("goto api-key generate: an API key's name has at most 100 characters, not 5000");
            CliRun longDisable = CliRun.of(Map.of(), "api-key", "disable", "-file=" + file(), huge);
            assertThat(longDisable.exitCode()).isEqualTo(1);
            assertThat(longDisable.err()).contains("no API key has the id or name 'nnnn").doesNotContain("Connection reset");

            CliRun disabled = CliRun.of(Map.of(), "api-key", "disable", "-file=" + file(), "initial-api-key");
            assertThat(disabled.exitCode()).as(disabled.err()).isZero();
            assertThat(disabled.out()).contains("disabled admin key 'initial-api-key'").contains("the running goto");

            CliRun listed = CliRun.of(Map.of(), "api-key", "list", "-file=" + file());
            assertThat(listed.exitCode()).isZero();
            assertThat(listed.out()).containsPattern("initial-api-key +admin .* never +disabled")
                    .containsPattern("ci +admin .* enabled").containsPattern("reader +author .* never +enabled");
            assertNoSecretIn(listed.out(), ci, reader);

            running.kill9(); // right after the acknowledgements: no drain, no clean close
        }
        assertThat(socket).as("a kill -9 leaves its socket behind").exists();

        CliRun offline = CliRun.of(Map.of(), "api-key", "list", "-file=" + file());
        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(offline.out()).containsPattern("initial-api-key +admin .* disabled").contains("ci").contains("reader");
        String offlineKey = generate("made while stopped", "author");

        String third;
        try (ChildGoto again = startGoto("second.log")) {
            assertThat(again.log()).doesNotContain("created the initial API key")
                    .contains("the initial API key (-initial-api-key) is key 'initial-api-key', which was disabled");
            assertThat(CliRun.of(Map.of(), "api-key", "list", "-file=" + file()).out()).contains("made while stopped");
            third = generate("third", "admin");
            again.sigterm();
            assertThat(again.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(socket).as("a clean stop removes its socket").doesNotExist();

        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults())) {
            StoredApiKeys keys = StoredApiKeys.of(store);
            Instant now = Instant.now();
            assertThat(keys.authenticate(ci, now)).isInstanceOf(Authentication.Granted.class);
            assertThat(keys.authenticate(reader, now)).isInstanceOf(Authentication.Granted.class);
            assertThat(keys.authenticate(offlineKey, now)).isInstanceOf(Authentication.Granted.class);
            assertThat(keys.authenticate(third, now)).isInstanceOf(Authentication.Granted.class);
            assertThat(keys.authenticate(INITIAL, now)).isInstanceOf(Authentication.Refused.class);
        }
        String data = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        assertNoSecretIn(data, ci, reader, offlineKey, third, INITIAL);
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file()))).contains(HexFormat.of().formatHex(KeyHash.of(ci).bytes()));
        for (String log : new String[] {"first.log", "second.log"}) {
            assertNoSecretIn(Files.readString(dir.resolve(log)), ci, reader, offlineKey, third, INITIAL);
        }
    }

    @Test
    void listingOrDisablingTheKeysOfAFileThatDoesNotExistSaysSoAndCreatesNothing() throws Exception {
        for (String[] command : List.of(new String[] {"list"}, new String[] {"disable", "first"})) {
            List<String> args = new java.util.ArrayList<>(List.of("api-key", command[0], "-file=" + file()));
            args.addAll(List.of(command).subList(1, command.length));
            CliRun run = CliRun.of(Map.of(), args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).contains("goto api-key " + command[0] + ": " + file() + " does not exist, so it holds no keys;"
                    + " give the -file your goto runs with");
            try (var listing = Files.list(dir)) {
                assertThat(listing.toList()).as("no file made").isEmpty();
            }
        }
    }

    @Test
    void whileGotoIsStoppedTheCommandWorksOnTheFileItCreates() {
        String admin = generate("first", "admin");
        CliRun listed = CliRun.of(Map.of(), "api-key", "list", "-file=" + file());
        assertThat(listed.out()).containsPattern("first +admin");
        CliRun disabled = CliRun.of(Map.of(), "api-key", "disable", "-file=" + file(), "first");
        assertThat(disabled.out()).contains("disabled admin key 'first'").contains("(goto is not running)");
        assertThat(CliRun.of(Map.of(), "api-key", "list", "-file=" + file()).out()).containsPattern("first +admin .* disabled");
        assertNoSecretIn(listed.out(), admin);
    }

    @Test
    void whenSomethingBlocksTheSocketGotoRunsAndTheCommandSaysWhatToDo() throws Exception {
        Path inTheWay = dir.resolve("goto.data.sock");
        Files.writeString(inTheWay, "not a socket");
        try (ChildGoto running = startGoto("blocked.log")) {
            assertThat(running.log()).contains(inTheWay + " exists and is not a socket; move it away")
                    .contains("stop goto to manage keys on its file");
            assertThat(Files.readString(inTheWay)).as("goto removes only sockets").isEqualTo("not a socket");

            CliRun refused = CliRun.of(Map.of(), "api-key", "list", "-file=" + file());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).startsWith("goto api-key list: a goto is running with " + file())
                    .contains("its control socket " + inTheWay + " cannot be reached").contains("restart goto");
        }
    }

    private static void assertNoSecretIn(String text, String... secrets) {
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
            assertThat(text).doesNotContain(HexFormat.of().formatHex(KeyHash.of(secret).bytes()));
        }
    }
}
