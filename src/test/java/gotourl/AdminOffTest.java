package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -admin=off}: no admin listener at all, and the application serves as usual. */
class AdminOffTest {
    @TempDir
    Path dir;

    @Test
    void adminOffOpensNoAdminListenerAndTheAppWorks() throws Exception {
        Config config = Cli.serveConfig(new String[] {"-http=127.0.0.1:0", "-admin=off", "-host=" + RunningGoto.HOST,
                "-file=" + dir.resolve("goto.data")}, Map.of());
        assertThat(config.admin()).isNull();
        try (StderrCapture log = StderrCapture.start(); RunningGoto app = RunningGoto.start(config)) {
            assertThat(app.service().adminPort()).isEqualTo(-1);
            assertThat(log.text()).containsPattern("serving on 127\\.0\\.0\\.1:\\d+ as http://goto\\.test/KEY; admin \\(health, metrics\\) off");
            String key = QueryAdd.key(app, "https://example.com/admin-off");
            assertThat(app.get("/" + key).headers().firstValue("Location")).contains("https://example.com/admin-off");
            assertThat(app.get("/metrics").statusCode()).as("metrics are not served on the app listener").isEqualTo(404);
            assertThat(app.get("/health/ready").statusCode()).isEqualTo(404);
            assertThat(openListeners()).as("goto's listeners").isEqualTo(1);
        }
    }

    /** Server sockets this JVM listens on for goto: one acceptor thread per listener. */
    private static long openListeners() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("goto-http") && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("accept")))
                .count();
    }
}
