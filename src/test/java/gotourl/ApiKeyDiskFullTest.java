package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto api-key generate} on a stopped goto's data file that cannot grow (a child JVM under
 * a {@link FileSizeLimit} of the file's size), so that appending the key's record fails for real.
 * The command says in one line what failed, that no key was made and what to do, with no stack
 * trace and no advice to restart a goto that is not running; the file is unchanged.
 */
class ApiKeyDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aKeyThatCannotBeWrittenIsOneLineSayingNoKeyWasMade() throws Exception {
        assumeTrue(FileSizeLimit.available(), "util-linux's prlimit is not installed");
        Path file = dir.resolve("goto.data");
        CliRun first = CliRun.of(Map.of(), "api-key", "generate", "-file=" + file, "--name=first");
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] before = Files.readAllBytes(file);

        FileSizeLimit.Run run = FileSizeLimit.run(Files.size(file), "api-key", "generate", "-file=" + file, "--name=second");
        String err = run.err();

        assertThat(run.exitCode()).as(err).isEqualTo(1);
        assertThat(run.out()).as("no key printed").isEmpty();
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).startsWith("goto api-key generate: no key was made: writing " + file + " failed: File too large")
                .contains("run the command again").doesNotContain("\tat ").doesNotContain("ERROR").doesNotContain("restart goto")
                .doesNotContain("java.io.");
        assertThat(Files.readAllBytes(file)).as("the file as it was").isEqualTo(before);
    }
}
