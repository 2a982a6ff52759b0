package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash leaves beside the data file (an index image, or a compaction's copy, whose writing
 * was cut short) is deleted when a real goto starts, each with a log line naming the file and
 * why, and the links are served as before.
 */
class CrashLeftoversTest {
    @TempDir
    Path dir;

    @Test
    void aRealGotoDeletesWhatACrashLeftAndSaysSo() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            assertThat(store.add("https://example.com/kept").join()).isEqualTo("a");
        }
        Path image = Files.write(dir.resolve("goto.data.image.writing"), new byte[1234]);
        Path compaction = Files.write(dir.resolve("goto.data.compacting"), new byte[567]);
        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("goto.log"), ChildGoto.QUICK_START, "-http=127.0.0.1:0",
                "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(60))) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), child.appPort())) {
                assertThat(RawHttp.exchange(socket, "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .startsWith("HTTP/1.1 302").contains("Location: https://example.com/kept");
            }
            assertThat(image).doesNotExist();
            assertThat(compaction).doesNotExist();
            assertThat(child.log()).contains(" WARN goto.replay - " + file + ": deleted " + image
                    + " (1234 bytes), an index image whose writing was cut short (a crash or kill during a stop or an import)");
            assertThat(child.log()).contains(" WARN goto.replay - " + file + ": deleted " + compaction
                    + " (567 bytes), a compaction's copy whose writing was cut short");
        }
    }
}
