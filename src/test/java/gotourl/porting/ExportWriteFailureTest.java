package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export to standard output that cannot be written (a full disk under {@code > file}, here
 * {@code /dev/full}) fails: a non-zero exit, the reason on stderr, and no success line. A
 * PrintStream swallows write errors, and the export used to say "exported 3 links" over an empty
 * or torn file.
 */
class ExportWriteFailureTest {
    @TempDir
    Path dir;

    private Path dataFile() throws Exception {
        Path data = dir.resolve("a.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            for (String key : List.of("a", "b", "c")) {
                store.add("https://example.com/" + key).join();
            }
        }
        return data;
    }

    private String exportToDevFull(Path data, String format) throws Exception {
        Path err = dir.resolve("export-" + format + ".err");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "gotourl.Main",
                "export", "-file=" + data, "-format=" + format)
                .redirectOutput(new File("/dev/full")).redirectError(err.toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("export still running").isTrue();
        String said = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(said).isEqualTo(1);
        return said;
    }

    @Test
    void anExportToAFullStdoutFailsAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        Path data = dataFile();
        for (String format : List.of("jsonl", "csv")) {
            assertThat(exportToDevFull(data, format)).as(format)
                    .contains("goto export: writing to standard output failed: No space left on device; the export is incomplete")
                    .doesNotContain("exported");
        }
    }
}
