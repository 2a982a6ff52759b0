package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ChildGoto;
import gotourl.CliRun;
import gotourl.link.Keys;
import gotourl.store.log.LogLinkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a {@code goto import} into a data file, in the middle of its bulk writes: the file
 * opens, holds its old links and a prefix of the import (never a torn link, never a gap), and
 * the same import run again completes it without adding anything twice.
 */
class ImportKillNineTest {
    private static final int LINES = 400_000;

    @TempDir
    Path dir;

    @Test
    void anImportKilledMidwayLeavesAPrefixAndARerunCompletesIt() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/before").join();
        }
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            urls.append("https://example.com/articles/").append(i).append("/a-page-with-a-longer-name\n");
        }
        Path input = Files.writeString(dir.resolve("urls.txt"), urls);
        long before = Files.size(data);
        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("child.log"), ChildGoto.QUICK_START, "import",
                "-file=" + data, input.toString())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (Files.size(data) < before + (3 << 20) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("the import is still running when killed:\n" + child.log()).isTrue();
            child.kill9();
        }
        long kept;
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            kept = store.size() - 1;
            assertThat(kept).as("some of the import, not all").isPositive().isLessThan(LINES);
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/before");
            for (long i = 0; i < kept; i++) {
                assertThat(store.longUrlOf(Keys.encode(i + 1))).as("line " + (i + 1) + " is in the file, under its key")
                        .isEqualTo("https://example.com/articles/" + i + "/a-page-with-a-longer-name");
            }
        }
        CliRun rerun = CliRun.of(Map.of(), "import", "-file=" + data, input.toString());
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.out()).contains((LINES - kept) + " added, " + kept + " unchanged, 0 conflicts, 0 invalid");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.size()).isEqualTo(1 + LINES);
        }
    }
}
