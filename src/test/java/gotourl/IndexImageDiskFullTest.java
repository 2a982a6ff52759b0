package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index image written when a store closes, on a disk that cannot take it: a child JVM under a
 * {@link FileSizeLimit} of 512 KiB, so that the image of links with long URLs fails for real with
 * {@code EFBIG} when its first megabyte of link records is written. The warning must name that
 * cause: it once said only "IllegalStateException: writing the snapshot failed", the words
 * compaction and {@code goto upgrade} gave too for a full disk, since all three write through
 * {@code SnapshotFile}.
 */
class IndexImageDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void anIndexImageThatCannotBeWrittenSaysWhy() throws Exception {
        assumeTrue(FileSizeLimit.available(), "util-linux's prlimit is not installed");
        Path data = dir.resolve("goto.data");
        Path input = dir.resolve("links.jsonl");
        // Links with a title are written as records (not in the image's pages): ~1.6 MB of them.
        Files.write(input, IntStream.range(0, 200).mapToObj(i -> "{\"shortCode\": \"s" + i + "\", \"longUrl\": \"https://example.com/"
                + i + "/" + "x".repeat(8_000) + "\", \"title\": \"Page " + i + "\"}").toList());
        FileSizeLimit.Run imported = FileSizeLimit.run(Long.MAX_VALUE, "import", "-file=" + data, "-host=go.example", input.toString());
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        Path image = data.resolveSibling("goto.data.image");
        Files.deleteIfExists(image); // so that the next close writes one
        long size = Files.size(data);

        FileSizeLimit.Run export = FileSizeLimit.run(512 * 1024, "export", "-file=" + data);

        assertThat(export.exitCode()).as(export.output()).isZero();
        assertThat(export.out().lines()).as("200 links and the end record").hasSize(201);
        assertThat(export.err()).contains("could not write its index image").contains("File too large")
                .doesNotContain("IllegalStateException");
        assertThat(image).doesNotExist();
        assertThat(Files.size(data)).isEqualTo(size);
    }
}
