package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto import}'s progress line says how much of the input was read. In kB or MB fixed in
 * advance, it said "0/0 kB" for a file under 1 kB and "0/2 kB" for one of 2.8 kB; a pipe given as
 * a path ({@code <(...)}, {@code /dev/stdin}, a FIFO), whose size the file system gives as 0, got
 * a total of 0 that then grew with what was read, so it showed 100% all along.
 */
class ImportProgressTest {
    @TempDir
    Path dir;

    private static String urls(int count) {
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < count; i++) {
            urls.append("https://example.com/page/").append(i).append('\n');
        }
        return urls.toString();
    }

    private CliRun importFrom(Path input) {
        return CliRun.of(Map.of(), "import", "-file=" + dir.resolve("goto.data"), input.toString());
    }

    @Test
    void aFileUnder10KbIsCountedInBytes() throws Exception {
        for (int links : new int[] {1, 30, 100}) {
            Path input = Files.writeString(dir.resolve("urls-" + links + ".txt"), urls(links));
            long size = Files.size(input);
            CliRun run = importFrom(input);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).as("%d links, %d bytes", links, size).contains("100%").contains(size + "/" + size + " B ")
                    .doesNotContain(" kB").doesNotContain(" MB");
            Files.delete(dir.resolve("goto.data"));
        }
    }

    @Test
    void aLargerFileIsCountedInKbAndAnEmptyOneInBytes() throws Exception {
        Path input = Files.writeString(dir.resolve("urls.txt"), urls(2_000));
        long kb = Files.size(input) / 1000; // 58 (58,890 bytes)
        CliRun run = importFrom(input);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("100%").contains(kb + "/" + kb + " kB ");

        CliRun empty = importFrom(Files.writeString(dir.resolve("empty.txt"), ""));
        assertThat(empty.err()).contains("0/0 B ").doesNotContain(" kB");
    }

    /** A FIFO's size is 0 however much it carries: its total is unknown, as stdin's is. */
    @Test
    void aPipeGivenAsAPathHasNoTotal() throws Exception {
        Path fifo = dir.resolve("urls.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        String urls = urls(30);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(urls.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliRun run = importFrom(fifo);
        writer.get(10, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("30 added");
        int bytes = urls.length();
        assertThat(run.err()).contains("? %").contains(bytes + "/? B ").doesNotContain("100%").doesNotContain("/0 ");
    }
}
