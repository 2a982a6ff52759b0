package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gotourl.FileSizeLimit;
import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto import} into a data file that cannot grow: a child JVM under a
 * {@link FileSizeLimit} of the file's current size, so that every write to it fails for real. The import
 * says that writing failed (not that its input could not be read), claims no link as added,
 * exits 1, and the file keeps exactly the links it had.
 */
class ImportDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void anImportThatCannotWriteSaysSoAndClaimsNothing() throws Exception {
        assumeTrue(FileSizeLimit.available(), "util-linux's prlimit is not installed");
        Path data = dir.resolve("goto.data");
        Path first = dir.resolve("first.txt");
        Files.write(first, IntStream.range(0, 100).mapToObj(i -> "https://example.com/first/" + i).toList());
        FileSizeLimit.Run before = importInto(data, first, Long.MAX_VALUE);
        assertThat(before.exitCode()).as(before.output()).isZero();
        long size = Files.size(data);

        // More than the import's 1 MiB write buffer, so that a write fails while lines are still being read.
        Path second = dir.resolve("second.txt");
        Files.write(second, IntStream.range(0, 20_000).mapToObj(i -> "https://example.org/second/" + i + "?pad=" + "y".repeat(40)).toList());
        FileSizeLimit.Run full = importInto(data, second, size);

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

    /** {@code goto import -file=data input} in a child JVM whose files may not grow past {@code maxFileBytes}. */
    private static FileSizeLimit.Run importInto(Path data, Path input, long maxFileBytes) throws Exception {
        return FileSizeLimit.run(maxFileBytes, "import", "-file=" + data, "-host=go.example", input.toString());
    }
}
