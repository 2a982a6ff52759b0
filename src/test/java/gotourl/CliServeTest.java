package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a real {@code goto} process does when it cannot start: one clear line and a non-zero exit code. */
class CliServeTest {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static ServerSocket occupyAPort() throws Exception {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /** The lines goto printed, failing if any is a stack trace. */
    private static List<String> linesOf(ChildGoto child) throws Exception {
        String log = child.log();
        assertThat(log).as("no stack trace for a start-up problem").doesNotContain("\tat ").doesNotContain("Exception");
        return log.lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void aPortInUseStopsGotoWithOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = occupyAPort();
             ChildGoto child = ChildGoto.start(dir.resolve("goto.log"),
                     "-http=127.0.0.1:" + taken.getLocalPort(), "-admin=off", "-file=:memory:")) {
            assertThat(child.awaitExit(EXIT_WITHIN)).isEqualTo(1);
            List<String> lines = linesOf(child);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("goto: cannot start: ")
                    .contains("127.0.0.1:" + taken.getLocalPort())
                    .contains("already in use");
        }
    }

    @Test
    void anAdminPortInUseStopsGotoNamingTheAdminListener() throws Exception {
        try (ServerSocket taken = occupyAPort();
             ChildGoto child = ChildGoto.start(dir.resolve("goto.log"),
                     "-http=127.0.0.1:0", "-admin=127.0.0.1:" + taken.getLocalPort(), "-file=:memory:")) {
            assertThat(child.awaitExit(EXIT_WITHIN)).isEqualTo(1);
            List<String> lines = linesOf(child);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("goto: cannot start: ").contains("admin")
                    .contains("127.0.0.1:" + taken.getLocalPort()).contains("already in use");
        }
    }

    @Test
    void aBadFlagValueStopsGotoWithExitCode2BeforeItListens() throws Exception {
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=localhost", "-file=:memory:")) {
            assertThat(child.awaitExit(EXIT_WITHIN)).isEqualTo(2);
            List<String> lines = linesOf(child);
            assertThat(lines.get(0)).startsWith("goto: ").contains("-http").contains("'localhost'").contains("HOST:PORT");
            assertThat(String.join("\n", lines)).doesNotContain("serving on");
        }
    }

    @Test
    void aDataFileGotoCannotUseStopsItWithALineNamingTheFile() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("not-a-file"));
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + directory)) {
            assertThat(child.awaitExit(EXIT_WITHIN)).isEqualTo(1);
            List<String> lines = linesOf(child);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("goto: cannot start: ").contains(directory.toString());
        }
    }
}
