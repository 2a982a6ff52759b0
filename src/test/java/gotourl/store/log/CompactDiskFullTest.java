package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto compact} that cannot write its compacted copy: a child JVM under a file size limit
 * ({@code prlimit --fsize}, half the data file), so that writing {@code FILE.compacting} fails for
 * real with {@code EFBIG}, as a full disk fails it with {@code ENOSPC}. The command runs once:
 * it says that compaction failed, why, and that the file is unchanged, and never that it will
 * try again (a running goto's warning), and it leaves nothing beside the file.
 */
class CompactDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aCompactThatCannotWriteSaysItFailedAndPromisesNoNextTry() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "util-linux's prlimit is not installed");
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 2_000);
        byte[] before = Files.readAllBytes(file);

        List<String> command = List.of("/usr/bin/prlimit", "--fsize=" + before.length / 2,
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "gotourl.Main", "compact", "-file=" + file);
        // Its output through a pipe: a file would be held to the same limit.
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("compact still running").isTrue();

        assertThat(child.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("goto compact: compaction failed: " + file + " was not compacted and is unchanged: File too large")
                .contains("make room there, then run goto compact again").doesNotContain("abandoned")
                .doesNotContain("next try").doesNotContain("in use").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .as("nothing half-written is left beside the file").containsExactlyInAnyOrder("goto.data");
        }
    }
}
