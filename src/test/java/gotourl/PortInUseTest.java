package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener that cannot bind stops goto before it serves anything: exit code 1, a line naming
 * the listener and address, and the other listener released too.
 */
class PortInUseTest {
    @TempDir
    Path dir;

    @Test
    void appPortInUseExitsNonZeroNamingTheAppListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:" + taken.getLocalPort(),
                     "-admin=127.0.0.1:0", "-file=" + dir.resolve("goto.data"))) {
            assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.log()).isEqualTo(1);
            assertThat(child.log()).contains("goto: cannot start: app listener cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is already in use");
            assertThat(child.log()).doesNotContain("serving on");
        }
    }

    @Test
    void adminPortInUseExitsNonZeroNamingTheAdminListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0",
                     "-admin=127.0.0.1:" + taken.getLocalPort(), "-file=" + dir.resolve("goto.data"))) {
            assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.log()).isEqualTo(1);
            assertThat(child.log()).contains("goto: cannot start: admin listener cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is already in use");
            assertThat(child.log()).doesNotContain("serving on");
        }
    }

    @Test
    void adminPortInUseReleasesTheAppPortAndOpensNoDataFile() throws Exception {
        java.util.Set<Long> gotoThreadsBefore = GotoThreads.snapshot();
        Path data = dir.resolve("goto.data");
        Config config = RunningGoto.config(data);
        int appPort;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The app port must be known to check that it is released; one that was free a moment
            // ago may be taken by another process first, so a clash there means: pick again.
            GotoService.StartException refused;
            do {
                appPort = StoreOpeners.freePort();
                Config clash = new Config(ListenAddress.parse("127.0.0.1:" + appPort), data, config.host(), true,
                        ListenAddress.parse("127.0.0.1:" + taken.getLocalPort()), config.shutdownTimeout(), null,
                        config.queueWait(), config.limits());
                refused = catchStartException(clash);
            } while (refused.getMessage().startsWith("app listener cannot listen on 127.0.0.1:" + appPort));
            assertThat(refused).hasMessage("admin listener cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is already in use (is another goto running?)");
        }
        try (ServerSocket appPortAgain = new ServerSocket(appPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(appPortAgain.isBound()).as("the app listener let go of its port").isTrue();
        }
        assertThat(Files.exists(data)).as("the data file is not opened before the listeners bind").isFalse();
        assertThat(GotoThreads.aliveExcept(gotoThreadsBefore)).as("goto threads left after a failed start").isEmpty();
    }

    private static GotoService.StartException catchStartException(Config config) {
        try {
            GotoService.start(config, new StopSignal()).shutdown("the test expected a refusal");
        } catch (GotoService.StartException expected) {
            return expected;
        }
        throw new AssertionError("goto started although its admin port is taken");
    }
}
