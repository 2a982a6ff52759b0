package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client no one here wrote: Shlink's JS SDK ({@code @shlinkio/shlink-js-sdk}, version pinned in
 * {@code src/test/node/shlink-sdk/package.json} and its lock file) drives a started goto through
 * its fetch client: create, list, get, edit, redirect rules, delete, tags, domains, visits read after real redirects
 * (a bot among them) and deleted, and errors parsed as
 * Shlink's. npm installs the SDK once into {@code target/node-cache/shlink-sdk} (again only when
 * the lock file changes). Needs Node.js 18+ and npm; without them the test fails saying so.
 */
class ShlinkSdkTest {
    private static final Path SOURCES = Path.of("src/test/node/shlink-sdk");
    private static final Path CACHE = Path.of("target/node-cache/shlink-sdk");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "sdk-drive.mjs");

    @TempDir
    Path dir;

    @Test
    void theShlinkSdkCreatesListsEditsAndDeletesThroughGoto() throws Exception {
        requireNode();
        install();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o),
                TestApiKeys.options())) {
            Run run = run(List.of("node", "sdk-drive.mjs"), Map.of(
                    "GOTO_URL", "http://127.0.0.1:" + app.service().appPort(),
                    "GOTO_API_KEY", TestApiKeys.ADMIN,
                    "GOTO_SHORT_URL_BASE", "http://" + RunningGoto.HOST), 300);
            if (run.exit() != 0) {
                fail("the Shlink SDK script failed (exit " + run.exit() + "):\n" + run.output());
            }
            assertThat(run.output()).contains("all steps passed");
            assertThat(app.service().store().size()).isEqualTo(13);
        }
    }

    private static void requireNode() throws Exception {
        try {
            Run version = run(List.of("node", "--version"), Map.of(), 30);
            if (version.exit() == 0 && version.output().startsWith("v")
                    && Integer.parseInt(version.output().substring(1, version.output().indexOf('.'))) >= 18) {
                return;
            }
            fail("Node.js 18 or newer is needed for this test (found " + version.output().trim() + "): install it"
                    + " (Debian: apt-get install nodejs npm), as .ci/run does");
        } catch (IOException e) {
            fail("Node.js is needed for this test and was not found: install Node.js 18+ and npm"
                    + " (Debian: apt-get install nodejs npm), as .ci/run does (" + e.getMessage() + ")");
        }
    }

    /** Copies the script and the pinned package files into the cache; runs npm ci there when the lock file changed. */
    private static void install() throws Exception {
        Files.createDirectories(CACHE);
        Path lock = CACHE.resolve("package-lock.json");
        Path installed = CACHE.resolve("node_modules/.installed-lock.json");
        boolean fresh = Files.exists(installed) && Files.mismatch(installed, SOURCES.resolve("package-lock.json")) == -1;
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), CACHE.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (fresh) {
            return;
        }
        Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 300);
        if (npm.exit() != 0) {
            fail("npm ci of the Shlink SDK failed (exit " + npm.exit() + "); is npm installed and the registry reachable?\n"
                    + npm.output());
        }
        Files.copy(lock, installed, StandardCopyOption.REPLACE_EXISTING);
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CACHE.toFile()).redirectErrorStream(true);
        if (command.getFirst().equals("node") && command.get(1).equals("--version")) {
            builder.directory(null);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5_000);
            return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                    + (output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8)));
        }
        reader.join(5_000);
        return new Run(process.exitValue(), output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8));
    }
}
