package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.Link;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@link RichLookupBench}'s look-up measured in CPU time rather than wall time, for a busy
 * machine where another process takes the core in the middle of JMH's iterations: this thread's
 * user+system CPU ({@link ThreadMXBean#getCurrentThreadCpuTime}) per {@link LinkIndex#get}, over
 * rounds of look-ups of random codes among {@code LINKS} rich links with consecutive generated
 * codes (or custom slugs {@code s-0} ..., with {@code slug}); prints the median and quartiles of
 * the rounds after the first {@code ROUNDS / 3} (warm-up), in nanoseconds per look-up.
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -cp bench/jmh/target/benchmarks.jar gotourl.store.RichLookupCpu
 * LINKS [key|slug] [ROUNDS] [PER_ROUND]} (after {@code bench/jmh/run -l}). To compare two commits,
 * build the jar at each and launch them alternately.
 */
public final class RichLookupCpu {
    private RichLookupCpu() {}

    public static void main(String[] args) {
        int links = Integer.parseInt(args[0]);
        boolean slugs = args.length > 1 && args[1].equals("slug");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 500_000;
        Instant created = Instant.parse("2026-11-30T12:00:00Z");
        LinkIndex index = new LinkIndex();
        for (int i = 0; i < links; i++) {
            String url = "https://example.com/page/" + i;
            if (slugs) {
                index.set(-1, new Link("s-" + i, url, created, null, Set.of(), null, null, null, false, true, null,
                        Link.CodeOrigin.CUSTOM_SLUG));
            } else {
                index.set(i, new Link(Keys.encode(i), url, created, "title " + i, Set.of(), null, null, null, false, true, null,
                        Link.CodeOrigin.COUNTER));
            }
        }
        int samples = 1 << 16;
        String[] codes = new String[samples];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < samples; i++) {
            codes[i] = slugs ? "s-" + random.nextInt(links) : Keys.encode(random.nextInt(links));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int warmUp = rounds / 3;
        double[] nanos = new double[rounds - warmUp];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                // A new String per look-up, as Jetty's path is: its hash is not cached.
                sink += index.get(new String(codes[i & (samples - 1)])).longUrl().length();
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            if (r >= warmUp) {
                nanos[r - warmUp] = (double) cpu / perRound;
            }
        }
        Arrays.sort(nanos);
        int n = nanos.length;
        System.out.printf("%s, %,d links: CPU ns per look-up, median %.1f, quartiles %.1f-%.1f (%d rounds of %,d; %d)%n",
                slugs ? "custom slugs" : "rich generated codes", links, nanos[n / 2], nanos[n / 4], nanos[3 * n / 4], n, perRound,
                sink & 1);
    }
}
