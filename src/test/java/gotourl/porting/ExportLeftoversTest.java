package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.store.log.LogLinkStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export killed with kill -9 leaves its hidden {@code .NAME.DIGITS.writing} file; the next
 * export to the same output removes it and says so, leaving alone the temporary file of a write
 * to that output still under way in another process, and files of other names.
 */
class ExportLeftoversTest {
    @TempDir
    Path dir;

    /** A write to {@code args[0]} through {@link OutputFile} that never ends: says "writing", then waits for its stdin to close. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            try (OutputFile file = OutputFile.open(Path.of(args[0]))) {
                file.stream().write("{\"half\":".getBytes(StandardCharsets.UTF_8));
                file.stream().flush();
                System.out.println("writing");
                System.out.flush();
                System.in.read();
            }
        }
    }

    private Process writer(Path output) throws IOException {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Writer.class.getName(), output.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String said = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(said).as("the writer started").isEqualTo("writing");
        return child;
    }

    private Set<String> temporaries() throws IOException {
        try (var listing = Files.list(dir)) {
            Set<String> names = new HashSet<>();
            listing.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".writing")).forEach(names::add);
            return names;
        }
    }

    @Test
    void theNextExportRemovesWhatAKilledOneLeftButNotAWriteUnderWay() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/a").join();
            store.add("https://example.com/b").join();
        }
        Path output = dir.resolve("links.jsonl");

        Process underWay = writer(output);
        try {
            Set<String> before = temporaries();
            assertThat(before).hasSize(1);
            String writing = before.iterator().next();
            Process killed = writer(output);
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Set<String> leftOver = temporaries();
            leftOver.remove(writing);
            assertThat(leftOver).as("kill -9 leaves the temporary file").hasSize(1);
            String leftover = leftOver.iterator().next();
            assertThat(leftover).matches("\\.links\\.jsonl\\.\\d+\\.writing");

            List<String> others = List.of(".links.jsonl.x1.writing", ".other.jsonl.123.writing", ".links.jsonl.123.writing.bak");
            for (String other : others) {
                Files.writeString(dir.resolve(other), "not ours");
            }

            CliRun exported = CliRun.of(Map.of(), "export", "-file=" + data, "-o", output.toString());
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            assertThat(exported.err()).contains("goto export: removed " + leftover + ", the leftover of an earlier write that did not finish")
                    .contains("goto export: left " + writing + " alone: another write to it is under way");
            assertThat(Files.readAllLines(output)).as("2 links and the end record").hasSize(3);
            assertThat(dir.resolve(leftover)).doesNotExist();
            assertThat(dir.resolve(writing)).as("the write under way").exists();
            for (String other : others) {
                assertThat(dir.resolve(other)).as(other).hasContent("not ours");
            }

            CliRun again = CliRun.of(Map.of(), "export", "-file=" + data, "-o", output.toString());
            assertThat(again.err()).as("nothing left to remove").doesNotContain("removed");
        } finally {
            underWay.getOutputStream().close();
            underWay.waitFor(30, TimeUnit.SECONDS);
            underWay.destroyForcibly();
        }
    }
}
