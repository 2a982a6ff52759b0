package gotourl.store.log;

import gotourl.link.LinkEdit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Replay of a data file of 1,000,000 links (the start-time goal's size): read, check every frame's
 * CRC, decode every key and fill the index and the long-URL table. {@code replay} is the warm
 * figure; {@code replayCold} is one replay in a fresh JVM, closer to what a start pays (each fork
 * measures one). {@code shape=fresh} is a file of 1,000,000 adds; {@code shape=compacted} one that
 * had 1,250,000 adds, 250,000 URL edits and 250,000 deletes and was then compacted: the same
 * number of live links, for the goal "a compacted file starts no slower than a fresh one".
 * {@code from=image} loads the index image the store wrote at its close instead (README, "The
 * index image").
 *
 * <p>Run: {@code bench/jmh/run ReplayBench}
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReplayBench {
    @Param({"1000000"})
    public int links;

    @Param({"fresh", "compacted"})
    public String shape;

    /** {@code replay}: every record, as without an index image; {@code image}: the index image the store's close wrote, then the (empty) rest. */
    @Param({"replay", "image"})
    public String from;

    private Path directory;
    private Path file;

    @Setup(Level.Trial)
    public void write() throws IOException {
        directory = Files.createTempDirectory("goto-replay-bench");
        file = directory.resolve("links.data");
        boolean compacted = shape.equals("compacted");
        int adds = compacted ? links + links / 4 : links;
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withDurable(false)
                .withCompactionThreshold(Long.MAX_VALUE))) {
            CompletableFuture<?> last = null;
            for (int n = 0; n < adds; n++) {
                int i = n;
                last = retry(() -> store.add("https://example.com/page/" + i));
                if (compacted && i % 5 == 4) {
                    String key = (String) last.join();
                    last = retry(() -> store.edit(key, LinkEdit.none().longUrl("https://example.com/edited/" + i)));
                } else if (compacted && i % 5 == 2) {
                    String key = (String) last.join();
                    last = retry(() -> store.delete(key));
                }
            }
            last.join();
            if (compacted) {
                store.compact().join();
            }
            store.close(Duration.ofMinutes(1));
        }
    }

    /** Runs {@code change} again while the store's queue is full. */
    private static CompletableFuture<?> retry(java.util.function.Supplier<CompletableFuture<?>> change) {
        CompletableFuture<?> done = change.get();
        while (done.isCompletedExceptionally() && done.exceptionNow() instanceof gotourl.store.StoreBusyException) {
            Thread.onSpinWait();
            done = change.get();
        }
        return done;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(IndexImage.path(file));
        Files.deleteIfExists(directory);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public long replay() throws IOException {
        return replayOnce();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public long replayCold() throws IOException {
        return replayOnce();
    }

    private long replayOnce() throws IOException {
        LogFile log = LogFile.open(file);
        try {
            Replay replay = Replay.run(log, from.equals("image"));
            if (replay.state().size() != links) {
                throw new IllegalStateException("replayed " + replay.state().size() + " links, wrote " + links);
            }
            if ((replay.imageEnd() >= 0) != from.equals("image")) {
                throw new IllegalStateException("the image was " + (replay.imageEnd() >= 0 ? "" : "not ") + "used");
            }
            return replay.state().counter();
        } finally {
            log.close();
        }
    }
}
