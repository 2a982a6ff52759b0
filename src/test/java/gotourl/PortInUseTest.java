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

    /** -admin on -http's own address said "already in use (is another goto running?)": it was this goto. */
    @Test
    void theAdminListenerOnTheAppListenersAddressNamesTheClash() throws Exception {
        GotoService.StartException refused;
        int port;
        do {
            port = StoreOpeners.freePort();
            refused = catchStartException(Cli.serveConfig(new String[] {"-http=127.0.0.1:" + port, "-admin=127.0.0.1:" + port,
                    "-file=:memory:"}, java.util.Map.of()));
        } while (refused.getMessage().startsWith("app listener")); // the free port was taken meanwhile: pick again
        assertThat(refused).hasMessage("admin listener cannot listen on 127.0.0.1:" + port + ": that is the app listener's port"
                + " (-http): give -admin another one, such as 127.0.0.1:" + (port + 1) + ", or -admin=off");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).as("the app listener let go of its port").isTrue();
        }
    }

    /** An address no interface has (192.0.2.1 is for documentation) was called "already in use". */
    @Test
    void anAddressThisMachineDoesNotHaveIsNotCalledInUse() throws Exception {
        GotoService.StartException refused = catchStartException(Cli.serveConfig(new String[] {"-http=192.0.2.1:0", "-admin=off",
                "-file=:memory:"}, java.util.Map.of()));
        assertThat(refused.getMessage()).startsWith("app listener cannot listen on 192.0.2.1:0: no network interface of this"
                + " machine has that address").contains(":PORT").doesNotContain("in use");
    }

    /** A port below 1024 for a user without the right was called "already in use" (root, who runs these tests, has it). */
    @Test
    void aPrivilegedPortRefusedSaysSo() {
        assertThat(gotourl.http.WebServer.reason(new java.net.BindException("Permission denied")))
                .startsWith("permission denied: ports below 1024").doesNotContain("in use");
        assertThat(gotourl.http.WebServer.reason(new java.net.BindException("Address already in use")))
                .isEqualTo("the address is already in use (is another goto running?)");
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
