package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.Link;
import java.time.Instant;
import java.util.Set;
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
 * A redirect's store work for a rich link with a generated code (a title makes it rich): the
 * slot says {@code RICH} and the link is looked up whole by its code, among {@code links} such
 * links with consecutive counters, as a store whose links all carry a title holds them.
 * Generated codes are short base-62 strings, to which {@code String.hashCode} gives few distinct
 * values (100,000 codes, 21,985): this measures what that costs the look-up. {@code lookupSlug}
 * is the same look-up for custom slugs ({@code s-0} ...), whose String hashes spread well.
 *
 * <p>Run: {@code bench/jmh/run RichLookupBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RichLookupBench {
    private static final int SAMPLES = 1 << 16;
    private static final Instant CREATED = Instant.parse("2026-11-30T12:00:00Z");

    @Param({"100000", "1000000"})
    public int links;

    private final LinkIndex keysIndex = new LinkIndex();
    private final LinkIndex slugsIndex = new LinkIndex();
    private final String[] keys = new String[SAMPLES];
    private final String[] slugs = new String[SAMPLES];

    @Setup
    public void fill() {
        for (int i = 0; i < links; i++) {
            String url = "https://example.com/page/" + i;
            String code = Keys.encode(i);
            keysIndex.set(i, new Link(code, url, CREATED, "title " + i, Set.of(), null, null, null, false, true, null,
                    Link.CodeOrigin.COUNTER));
            String slug = "s-" + i;
            slugsIndex.set(-1, new Link(slug, url, CREATED, null, Set.of(), null, null, null, false, true, null,
                    Link.CodeOrigin.CUSTOM_SLUG));
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SAMPLES; i++) {
            keys[i] = Keys.encode(random.nextInt(links));
            slugs[i] = "s-" + random.nextInt(links);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Link lookupRichKey(Cursor cursor) {
        // A new String per lookup, as Jetty's path is: its hash is not cached.
        return keysIndex.get(new String(keys[cursor.next++ & (SAMPLES - 1)]));
    }

    @Benchmark
    public Link lookupSlug(Cursor cursor) {
        return slugsIndex.get(new String(slugs[cursor.next++ & (SAMPLES - 1)]));
    }
}
