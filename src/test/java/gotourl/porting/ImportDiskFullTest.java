package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto import} into a data file that cannot grow: a child JVM under a file size limit
 * ({@code prlimit --fsize}, the file's current size), so that every write to it fails for real
 * with {@code EFBIG} ("File too large"), as a full disk fails it with {@code ENOSPC}. The import
 * says that writing failed (not that its input could not be read), claims no link as added,
 * exits 1, and the file keeps exactly the links it had.
 */
class ImportDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void anImportThatCannotWriteSaysSoAndClaimsNothing() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "util-linux's prlimit is not installed");
        Path data = dir.resolve("goto.data");
        Path first = dir.resolve("first.txt");
        Files.write(first, IntStream.range(0, 100).mapToObj(i -> "https://example.com/first/" + i).toList());
        Run before = importInto(data, first, Long.MAX_VALUE);
        assertThat(before.exitCode()).as(before.output()).isZero();
        long size = Files.size(data);

        // More than the import's 1 MiB write buffer, so that a write fails while lines are still being read.
        Path second = dir.resolve("second.txt");
        Files.write(second, IntStream.range(0, 20_000).mapToObj(i -> "https://example.org/second/" + i + "?pad=" + "y".repeat(40)).toList());
        Run full = importInto(data, second, size);

        assertThat(full.exitCode()).as(full.output()).isEqualTo(1);
        assertThat(full.output()).contains("goto import: writing the links to " + data + " failed after ")
                .contains("File too large")
                .contains("The links written before it are kept")
                .doesNotContain("reading " + second + " stopped").doesNotContain("after fixing the input")
                .doesNotContain("imported ").doesNotContain(" added").doesNotContain("\tat ");
        assertThat(Files.size(data)).isEqualTo(size);
        List<String> kept = new ArrayList<>();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.forEach((Link link) -> kept.add(link.longUrl()));
        }
        assertThat(kept).hasSize(100).allMatch(url -> url.startsWith("https://example.com/first/"));
    }

    private record Run(int exitCode, String output) {}

    /** {@code goto import -file=data input} in a child JVM whose files may not grow past {@code maxFileBytes}. */
    private Run importInto(Path data, Path input, long maxFileBytes) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (maxFileBytes != Long.MAX_VALUE) {
            command.addAll(List.of("/usr/bin/prlimit", "--fsize=" + maxFileBytes));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "gotourl.Main",
                "import", "-file=" + data, "-host=go.example", input.toString()));
        // Its output through a pipe: a file would be held to the same limit.
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("import still running").isTrue();
        return new Run(child.exitValue(), output);
    }
}
