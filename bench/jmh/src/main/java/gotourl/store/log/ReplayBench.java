package gotourl.store.log;

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
 * CRC, decode every key and fill the index. {@code replay} is the warm figure; {@code replayCold}
 * is one replay in a fresh JVM, closer to what a start pays (each fork measures one).
 *
 * <p>Run: {@code bench/jmh/run ReplayBench}
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReplayBench {
    @Param({"1000000"})
    public int links;

    private Path directory;
    private Path file;

    @Setup(Level.Trial)
    public void write() throws IOException {
        directory = Files.createTempDirectory("goto-replay-bench");
        file = directory.resolve("links.data");
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withDurable(false))) {
            CompletableFuture<String> last = null;
            for (int i = 0; i < links; i++) {
                CompletableFuture<String> added = store.add("https://example.com/page/" + i);
                while (added.isCompletedExceptionally()) { // the queue is full: let the writer catch up
                    Thread.onSpinWait();
                    added = store.add("https://example.com/page/" + i);
                }
                last = added;
            }
            last.join();
            store.close(Duration.ofMinutes(1));
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
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
            Replay replay = Replay.run(log);
            if (replay.index().size() != links) {
                throw new IllegalStateException("replayed " + replay.index().size() + " links, wrote " + links);
            }
            return replay.nextCounter();
        } finally {
            log.close();
        }
    }
}
