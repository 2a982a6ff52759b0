package gotourl.link;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed's key code both ways: every add encodes its counter, every redirect decodes its path.
 * Counters are drawn at random below 10,000,000 (keys of one to four characters).
 *
 * <p>Run: {@code bench/jmh/run KeysBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeysBench {
    private static final int SAMPLES = 1 << 16;

    private final long[] counters = new long[SAMPLES];
    private final String[] keys = new String[SAMPLES];
    private int next;

    @Setup
    public void draw() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SAMPLES; i++) {
            counters[i] = random.nextLong(10_000_000);
            keys[i] = Keys.encode(counters[i]);
        }
    }

    @Benchmark
    public String encode() {
        return Keys.encode(counters[next++ & (SAMPLES - 1)]);
    }

    @Benchmark
    public long decode() {
        return Keys.decode(keys[next++ & (SAMPLES - 1)]);
    }
}
