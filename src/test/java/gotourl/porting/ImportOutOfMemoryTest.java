package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto import} in a child JVM whose heap is far too small for its input: it says it ran out
 * of memory and how to give it more, exits 1, prints no stack trace, and the links it wrote
 * before are in the file, a prefix of the input, each whole.
 */
class ImportOutOfMemoryTest {
    /** Far more links than a 32 MiB heap holds (each takes its URL and ~24 bytes of index). */
    private static final long MAX_LINES = 5_000_000;

    @TempDir
    Path dir;

    @Test
    void importOutOfHeapSaysSoAndKeepsWhatItWrote() throws Exception {
        Path data = dir.resolve("goto.data");
        Path log = dir.resolve("import.log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "gotourl.Main",
                "import", "-file=" + data, "-host=go.example", "-");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AtomicLong sent = new AtomicLong();
        Thread feeder = Thread.ofPlatform().name("oom-test-feeder").start(() -> {
            try (OutputStream in = child.getOutputStream()) {
                StringBuilder lines = new StringBuilder();
                for (long i = 0; i < MAX_LINES; i++) {
                    lines.append(url(i)).append('\n');
                    if (lines.length() > 1 << 16) {
                        in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                        lines.setLength(0);
                    }
                    sent.set(i + 1);
                }
                in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException childGone) {
                // the import ended (out of memory) before reading all of it
            }
        });
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("import still running").isTrue();
        feeder.join(10_000);
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as(output).isEqualTo(1);
        assertThat(sent.get()).as("the import read its whole input: the heap was not too small").isLessThan(MAX_LINES);
        assertThat(output).contains("goto import: ran out of memory after reading ")
                .contains("The links written before it are kept")
                .contains("running the same import again adds what is missing")
                .containsPattern("GOTO_JVM_OPTS=-Xmx\\d+m ./goto import")
                .doesNotContain("Exception in thread").doesNotContain("OutOfMemoryError").doesNotContain("\tat ");

        List<String> kept = new ArrayList<>();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.forEach((Link link) -> kept.add(link.longUrl()));
        }
        assertThat(kept).as("links written before the failure").isNotEmpty();
        assertThat(kept).as("a prefix of the input, in order").containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.range(0, kept.size()).mapToObj(ImportOutOfMemoryTest::url).toList());
    }

    private static String url(long i) {
        return "https://example.com/out-of-memory/" + i;
    }
}
