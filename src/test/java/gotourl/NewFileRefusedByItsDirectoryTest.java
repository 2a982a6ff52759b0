package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that create a data file, given one in a directory that refuses new files (Linux's
 * /sys refuses even root; an ordinary directory refuses a user without write access), named the
 * file alone, "goto api-key generate: /sys/goto.data", and not why.
 */
class NewFileRefusedByItsDirectoryTest {
    private static final Path REFUSED = Path.of("/sys/goto.data");

    @TempDir
    Path dir;

    @BeforeEach
    void linuxSys() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "a Linux /sys");
    }

    @Test
    void apiKeyGenerate() {
        CliRun run = CliRun.of(Map.of(), "api-key", "generate", "--name=ci", "-file=" + REFUSED);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).as("no key printed").isEmpty();
        assertThat(run.err().strip()).isEqualTo("goto api-key generate: /sys/goto.data: permission denied creating it: /sys does not"
                + " let this user (" + System.getProperty("user.name") + ") create files there; give it write access, or use another"
                + " directory");
    }

    @Test
    void importIntoIt() throws Exception {
        Path urls = Files.writeString(dir.resolve("urls.txt"), "https://example.com/\n");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + REFUSED, urls.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("goto import: /sys/goto.data: permission denied creating it: /sys does not let this user");
        assertThat(REFUSED).doesNotExist();
    }
}
