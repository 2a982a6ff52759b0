package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto api-key generate} on a stopped goto's data file that cannot grow: a child JVM under
 * a file size limit ({@code prlimit --fsize}, the file's size), so that appending the key's record
 * fails for real with {@code EFBIG}, as a full disk fails it with {@code ENOSPC}. The command says
 * in one line what failed, that no key was made and what to do, with no stack trace and no advice
 * to restart a goto that is not running; the file is unchanged.
 */
class ApiKeyDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aKeyThatCannotBeWrittenIsOneLineSayingNoKeyWasMade() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "util-linux's prlimit is not installed");
        Path file = dir.resolve("goto.data");
        CliRun first = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file, "--name=first");
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] before = Files.readAllBytes(file);

        List<String> command = List.of("/usr/bin/prlimit", "--fsize=" + Files.size(file),
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "gotourl.Main", "api-key", "generate", "-file=" + file, "--name=second");
        // Its output through a pipe: a file would be held to the same limit.
        Process child = new ProcessBuilder(command).start();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("api-key generate still running").isTrue();

        assertThat(child.exitValue()).as(err).isEqualTo(1);
        assertThat(out).as("no key printed").isEmpty();
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).startsWith("goto api-key generate: no key was made: writing " + file + " failed: File too large")
                .contains("run the command again").doesNotContain("\tat ").doesNotContain("ERROR").doesNotContain("restart goto")
                .doesNotContain("java.io.");
        assertThat(Files.readAllBytes(file)).as("the file as it was").isEqualTo(before);
    }
}
