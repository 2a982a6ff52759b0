package gotourl.store.log;

import gotourl.link.LinkEdit;
import gotourl.store.StoreBusyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One online compaction of a file of 1,000,000 live links that had 1,250,000 adds, 250,000 URL
 * edits and 250,000 deletes: the snapshot, the new file written and forced, the rename. What the
 * automatic compaction costs, and what {@code goto compact} takes.
 *
 * <p>Run: {@code bench/jmh/run CompactionBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CompactionBench {
    @Param({"1000000"})
    public int links;

    private Path directory;
    private Path template;
    private Path file;
    private LogLinkStore store;

    @Setup(Level.Trial)
    public void write() throws IOException {
        directory = Files.createTempDirectory("goto-compaction-bench");
        template = directory.resolve("template.data");
        int adds = links + links / 4;
        try (LogLinkStore writing = LogLinkStore.open(template, LogLinkStore.Options.defaults().withDurable(false)
                .withCompactionThreshold(Long.MAX_VALUE))) {
            CompletableFuture<?> last = null;
            for (int n = 0; n < adds; n++) {
                int i = n;
                last = retry(() -> writing.add("https://example.com/page/" + i));
                if (i % 5 == 4) {
                    String key = (String) last.join();
                    last = retry(() -> writing.edit(key, LinkEdit.none().longUrl("https://example.com/edited/" + i)));
                } else if (i % 5 == 2) {
                    String key = (String) last.join();
                    last = retry(() -> writing.delete(key));
                }
            }
            last.join();
            writing.close(Duration.ofMinutes(1));
        }
    }

    private static CompletableFuture<?> retry(Supplier<CompletableFuture<?>> change) {
        CompletableFuture<?> done = change.get();
        while (done.isCompletedExceptionally() && done.exceptionNow() instanceof StoreBusyException) {
            Thread.onSpinWait();
            done = change.get();
        }
        return done;
    }

    @Setup(Level.Invocation)
    public void open() throws IOException {
        file = directory.resolve("links.data");
        Files.copy(template, file, StandardCopyOption.REPLACE_EXISTING);
        store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE));
    }

    @Benchmark
    public CompactionResult compact() {
        return store.compact().join();
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
        store.close();
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(template);
        Files.deleteIfExists(directory);
    }
}
