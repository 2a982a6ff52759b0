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
 * {@code goto repair} that cannot write its repaired copy: a child JVM under a file size limit
 * ({@code prlimit --fsize}, half the damaged file), so that writing {@code FILE.repairing} fails
 * for real with {@code EFBIG}, as a full disk fails it with {@code ENOSPC}. It says the file was
 * not repaired and is unchanged, and what a repair needs; it leaves no {@code FILE.repairing}
 * nor {@code FILE.corrupt-*} behind, and a repair with room then succeeds.
 */
class RepairDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aRepairThatCannotWriteLeavesTheFileAsItWasAndNothingBesideIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "util-linux's prlimit is not installed");
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 2_000);
        List<Long> offsets = DataFiles.recordOffsets(file);
        DataFiles.flipByte(file, offsets.get(1_000) + 30);
        byte[] damaged = Files.readAllBytes(file);

        List<String> command = List.of("/usr/bin/prlimit", "--fsize=" + damaged.length / 2,
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "gotourl.Main", "repair", "-file=" + file);
        // Its output through a pipe: a file would be held to the same limit.
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("repair still running").isTrue();

        assertThat(child.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("goto repair: " + file + " was not repaired and is unchanged: ").contains("File too large")
                .contains("a copy of the original beside it (" + damaged.length + " bytes each at most)")
                .contains("run goto repair again").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .as("nothing half-written is left beside the file").containsExactlyInAnyOrder("goto.data");
        }

        Repairs withRoom = Repairs.run(file);
        assertThat(withRoom.exitCode()).as(withRoom.err()).isZero();
        assertThat(withRoom.out()).contains("kept 1999 records");
    }
}
