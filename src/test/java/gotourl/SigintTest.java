package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) stops goto as SIGTERM does: drained, exit code 0, the link kept. */
class SigintTest {
    @TempDir
    Path dir;

    @Test
    void sigintStopsCleanly() throws Exception {
        // A JVM never handles a signal ignored when it started (as background jobs of a script have
        // SIGINT); goto would not see Ctrl-C then, and neither would this test's child.
        Assumptions.assumeFalse(sigintIgnoredHere(), "SIGINT is ignored in this process and so in its children");
        Path data = dir.resolve("goto.data");
        String key;
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + data,
                        "-host=" + RunningGoto.HOST)
                .awaitServing(Duration.ofSeconds(30));
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> added = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + child.appPort() + "/add?url=https://example.com/ctrl-c")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(200);
            key = RunningGoto.keyOf(added.body());

            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -INT").isTrue();

            assertThat(child.awaitExit(Duration.ofSeconds(20))).as(child.log()).isZero();
            assertThat(child.log()).contains("stopping (received a termination signal (SIGTERM or SIGINT))")
                    .containsPattern("stopped cleanly in \\d+ ms; 1 link stored");
        }
        try (gotourl.store.log.LogLinkStore reopened = gotourl.store.log.LogLinkStore.open(data, gotourl.store.log.LogLinkStore.Options.defaults())) {
            assertThat(reopened.longUrlOf(key)).isEqualTo("https://example.com/ctrl-c");
        }
    }

    private static boolean sigintIgnoredHere() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!java.nio.file.Files.exists(status)) {
            return false;
        }
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (2 - 1))) != 0; // SIGINT is signal 2
            }
        }
        return false;
    }
}
