package gotourl.store;

import gotourl.link.Keys;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A redirect's store work: decode the key, find its URL in the compact index, make the String.
 * At 1,000 links the index sits in cache; at 10,000,000 most lookups miss it, which is what the
 * end-to-end goal "10M links within 10% of 1,000" is about.
 *
 * <p>Run: {@code bench/jmh/run LinkIndexBench} (the 10M case needs about 1.5 GB of heap, which
 * the fork below gives it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LinkIndexBench {
    private static final int SAMPLES = 1 << 16;

    @Param({"1000", "1000000", "10000000"})
    public int links;

    private final LinkIndex index = new LinkIndex();
    private final String[] keys = new String[SAMPLES];

    @Setup
    public void fill() {
        for (int i = 0; i < links; i++) {
            index.put(i, "https://example.com/page/" + i);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SAMPLES; i++) {
            keys[i] = Keys.encode(random.nextInt(links));
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public String lookup(Cursor cursor) {
        return index.get(Keys.decode(keys[cursor.next++ & (SAMPLES - 1)]));
    }
}
