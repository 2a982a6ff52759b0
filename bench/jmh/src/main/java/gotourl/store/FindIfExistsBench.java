package gotourl.store;

import gotourl.link.Link;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * Find-if-exists: the links to one long URL, through the open-addressing table of URL hashes
 * (verified against the URL bytes in the pages). {@code hit} finds the one link to a stored URL,
 * {@code miss} looks for a URL no link has (the whole probe run is walked). The goal is
 * microseconds at 10,000,000 links.
 *
 * <p>Run: {@code bench/jmh/run FindIfExistsBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class FindIfExistsBench {
    private static final int SAMPLES = 1 << 14;

    @Param({"1000000", "10000000"})
    public int links;

    private final LinkState state = new LinkState();
    private final String[] stored = new String[SAMPLES];
    private final String[] absent = new String[SAMPLES];

    @Setup
    public void fill() {
        for (int i = 0; i < links; i++) {
            byte[] url = ("https://example.com/page/" + i).getBytes(StandardCharsets.US_ASCII);
            state.putPlain(i, url, 0, url.length, 1_700_000_000L);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < SAMPLES; i++) {
            stored[i] = "https://example.com/page/" + random.nextInt(links);
            absent[i] = "https://example.com/other/" + random.nextInt(links);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public List<Link> hit(Cursor cursor) {
        return state.committedLinksTo(new String(stored[cursor.next++ & (SAMPLES - 1)]));
    }

    @Benchmark
    public List<Link> miss(Cursor cursor) {
        return state.committedLinksTo(new String(absent[cursor.next++ & (SAMPLES - 1)]));
    }
}
