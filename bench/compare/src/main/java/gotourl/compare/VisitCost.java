package gotourl.compare;

import com.sun.management.OperatingSystemMXBean;
import gotourl.visits.LogVisitStore;
import gotourl.visits.Tracker;
import gotourl.visits.UserAgents;
import gotourl.visits.VisitEvent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * What one visit costs the Tracker path into the visit log, split by thread: the offering thread
 * (the redirect's side: the event built and offered) and the visits worker ({@code goto-visits}:
 * agent memo, visit built, log records, counts and per-day aggregates), then the whole process
 * (GC and JIT included). Visits are offered at a fixed rate in bursts every 2 ms (as requests
 * arrive between the worker's looks at the queue); a warm-up runs first so that JIT is done and
 * every link has its per-day state; then N visits are measured. Also prints how the process's
 * memory moved during the N visits: heap kept (after a GC), RSS, and the part of RSS that is
 * mapped files.
 *
 * <p>Three shapes: {@code wrk}, the load of {@code bench/run visits} (100,000 links visited at
 * random, no agent, no referer, as wrk sends); {@code mixed}, 10,000 links skewed, a dozen agents
 * and referers as {@link VisitStores} (the agents classified by a stand-in through goto's memo,
 * so that Yauaa's rules need not load); {@code fresh}, as {@code wrk} but every visit is its
 * link's first (warm-up and N visits over as many links, each visited once, in order): what a
 * link's first visit costs, which the growth curve of {@code bench/run} shows at 1M links and
 * more. Run: {@code bench/compare/run visitcost [N] [REV]}.
 *
 * <p>Args: dir, shape, N, warm-up visits, visits per second.
 */
public final class VisitCost {
    private static final long BURST_NANOS = 2_000_000;

    private VisitCost() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String shape = args[1];
        long n = Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        long rate = Long.parseLong(args[4]);
        boolean fresh = shape.equals("fresh");
        boolean wrk = fresh || shape.equals("wrk");
        int links = fresh ? Math.toIntExact(warmup + n) : wrk ? 100_000 : VisitStores.LINKS;
        String[] codes = new String[links];
        String[] paths = new String[links];
        String[] urls = new String[links];
        for (int i = 0; i < links; i++) {
            codes[i] = VisitStores.code(i);
            paths[i] = "/" + codes[i];
            urls[i] = "https://example.com/page/" + i;
        }
        UserAgents agents = UserAgents.using(agent -> {
            for (int i = 0; i < VisitStores.AGENTS.length; i++) {
                if (VisitStores.AGENTS[i].equals(agent)) {
                    return new UserAgents.Agent(i >= 6, VisitStores.BROWSERS[i], i == 1 ? "iOS" : i == 4 ? "Android" : "Windows NT");
                }
            }
            return new UserAgents.Agent(false, "Unknown", "Unknown");
        });
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Files.createDirectories(dir);
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            Tracker tracker = new Tracker(store, agents, Tracker.DEFAULT_CAPACITY, null, Clock.systemUTC());
            tracker.start();
            long worker = workerId();
            SplittableRandom random = new SplittableRandom(42);
            offer(tracker, warmup, rate, wrk, fresh, random, codes, paths, urls, null);
            drained(tracker, warmup);
            System.gc();
            long heap0 = usedHeap();
            long[] rss0 = rss();
            long gc0 = gcMillis();
            long cpu0 = os.getProcessCpuTime();
            long work0 = threads.getThreadCpuTime(worker);
            long me0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            StringBuilder trace = new StringBuilder();
            offer(tracker, n, rate, wrk, fresh, random, codes, paths, urls, trace);
            long me = threads.getCurrentThreadCpuTime() - me0;
            drained(tracker, warmup + n);
            long work = threads.getThreadCpuTime(worker) - work0;
            long cpu = os.getProcessCpuTime() - cpu0;
            double seconds = (System.nanoTime() - wall0) / 1e9;
            long gc = gcMillis() - gc0;
            long[] rss1 = rss();
            System.gc();
            long heap1 = usedHeap();
            tracker.stop(Duration.ofSeconds(60));
            System.out.printf("%s, %,d visits over %,d links at %,.0f/s: worker %.3f µs CPU per visit, offering thread %.3f µs,"
                            + " process %.3f µs (GC pauses %d ms); recorded %,d, dropped %,d, queue high water %,d;"
                            + " heap kept %,d -> %,d MB, RSS %,d -> %,d MB (mapped files %,d -> %,d MB)%n",
                    shape, n, links, n / seconds, work / 1000.0 / n, me / 1000.0 / n, cpu / 1000.0 / n, gc,
                    tracker.recorded(), tracker.dropped(), tracker.queueHighWater(), heap0 >> 20, heap1 >> 20,
                    rss0[0] >> 10, rss1[0] >> 10, rss0[1] >> 10, rss1[1] >> 10);
            System.out.printf("  RSS (mapped files) every %,d visits, MB:%s%n", n / 5, trace);
        }
    }

    /** The next link a {@code fresh} visit goes to: each is visited once. */
    private static int nextFresh;

    private static void offer(Tracker tracker, long n, long rate, boolean wrk, boolean fresh, SplittableRandom random,
                              String[] codes, String[] paths, String[] urls, StringBuilder trace) throws java.io.IOException {
        long perBurst = Math.max(1, rate * BURST_NANOS / 1_000_000_000L);
        long next = System.nanoTime();
        for (long i = 0; i < n; i++) {
            if (trace != null && n >= 5 && i % (n / 5) == 0 && i > 0) {
                long[] kb = rss();
                trace.append(String.format(" %,d (%,d)", kb[0] >> 10, kb[1] >> 10));
            }
            if (i % perBurst == 0) {
                next += BURST_NANOS;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            }
            int link;
            String referer = null;
            String agent = null;
            if (fresh) {
                link = nextFresh++;
            } else if (wrk) {
                link = random.nextInt(codes.length);
            } else {
                double r = random.nextDouble();
                link = (int) (codes.length * r * r * r);
                // Header values are new Strings per request, as Jetty's are.
                agent = new String(VisitStores.AGENTS[random.nextInt(VisitStores.AGENTS.length)]);
                String ref = VisitStores.REFERERS[random.nextInt(VisitStores.REFERERS.length)];
                referer = ref.isEmpty() ? null : new String(ref);
            }
            // The code, path and URL are new Strings per request too, as goto's are (the path is
            // Jetty's, the code a substring of it, the Location built afresh): what the worker
            // looks up and compares is never the instance it kept. Their bytes are new too: a
            // new String(String) shares the old one's bytes, which made hashing the code a
            // read of old memory, at a fifth of the worker's profile, where goto's are new.
            String path = "/".concat(codes[link]);
            tracker.offer(VisitEvent.redirect(System.currentTimeMillis(), path.substring(1), 1, path, null, referer, agent,
                    new String(urls[link].getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)));
        }
    }

    private static void drained(Tracker tracker, long expected) throws InterruptedException {
        while (tracker.recorded() + tracker.dropped() < expected) {
            Thread.sleep(1);
        }
    }

    private static long workerId() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("goto-visits")) {
                return thread.threadId();
            }
        }
        throw new IllegalStateException("no goto-visits thread");
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    /** VmRSS and RssFile of this process, in kB (0 where /proc does not say). */
    private static long[] rss() throws java.io.IOException {
        long[] kb = new long[2];
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                kb[0] = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("RssFile:")) {
                kb[1] = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kb;
    }
}
