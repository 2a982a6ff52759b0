package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real goto loads on its way to serving, for the costs of a start that a benchmark found
 * and that nothing else would notice coming back: picocli (Java 5 classes, which the ahead-of-time
 * cache cannot hold; {@link ServeFlags} reads the serve flags without it, {@link ImportFlags} an
 * import's) and the JMX platform
 * MBean server (Jetty builds it for one answer unless told the answer; see {@code WebServer}).
 * Speed itself is measured by {@code bench/start}, not here.
 */
class StartPathTest {
    @Test
    void aRealGotoServesWithoutPicocliOrTheMBeanServer(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("goto.log"),
                List.of("-Xlog:class+load=info:file=" + classes, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                "-http=127.0.0.1:0", "-admin=127.0.0.1:0", "-file=" + dir.resolve("goto.data"), "-shutdown-timeout=5s")) {
            child.awaitServing(Duration.ofSeconds(60));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), child.appPort())) {
                assertThat(RawHttp.exchange(socket, "GET /nosuch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .startsWith("HTTP/1.1 404");
            }
            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).as("classes loaded").anyMatch(line -> line.contains(" gotourl.ServeFlags "))
                    .anyMatch(line -> line.contains(" org.eclipse.jetty.util.MemoryUtils "));
            assertThat(loaded).as("picocli classes loaded").noneMatch(line -> line.contains(" picocli."));
            assertThat(loaded).as("the JMX platform MBean server").noneMatch(line -> line.contains(" com.sun.jmx.mbeanserver.JmxMBeanServer "));
        }
    }

    @Test
    void aRealImportRunsWithoutPicocli(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        Path urls = Files.writeString(dir.resolve("urls.txt"), "https://example.com/a\nhttps://example.com/b\n");
        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("goto.log"),
                List.of("-Xlog:class+load=info:file=" + classes, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                "import", "-file=" + dir.resolve("goto.data"), urls.toString())) {
            assertThat(child.awaitExit(Duration.ofSeconds(60))).as("exit code; the log: %s", child.log()).isZero();
            assertThat(child.log()).contains("2 added");
            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).as("classes loaded").anyMatch(line -> line.contains(" gotourl.ImportFlags "));
            assertThat(loaded).as("picocli classes loaded").noneMatch(line -> line.contains(" picocli."));
        }
    }
}
