package gotourl.compare;

import com.sun.management.OperatingSystemMXBean;
import gotourl.visits.LogVisitStore;
import gotourl.visits.Tracker;
import gotourl.visits.UserAgents;
import gotourl.visits.VisitEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What tracking adds to a redirect in CPU, all of it: the event and the offer on the request's
 * side, and on the worker's the agent memo (Yauaa's rules loaded beforehand), the visit built,
 * and the visit log written and forced every second, for N visits over 10,000 links, offered
 * at 50,000 a second in bursts of 500 every 10 ms (as requests arrive; the offering thread
 * sleeps between bursts, so its own waiting costs no CPU). Run through
 * {@code bench/compare/run tracker}.
 */
public final class TrackerCost {
    private TrackerCost() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        UserAgents agents = UserAgents.yauaa();
        agents.load();
        for (String agent : VisitStores.AGENTS) {
            agents.classify(agent);
        }
        String[] codes = new String[VisitStores.LINKS];
        String[] paths = new String[VisitStores.LINKS];
        String[] urls = new String[VisitStores.LINKS];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = VisitStores.code(i);
            paths[i] = "/" + codes[i];
            urls[i] = "https://example.com/page/" + i;
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            Tracker tracker = new Tracker(store, agents, Tracker.DEFAULT_CAPACITY, null, Clock.systemUTC());
            tracker.start();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long nextBurst = System.nanoTime();
            for (long i = 0; i < n; i++) {
                if (i % 500 == 0) {
                    nextBurst += 10_000_000;
                    long sleep = nextBurst - System.nanoTime();
                    if (sleep > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(sleep);
                    }
                }
                int link = (int) (i * 7919 % codes.length);
                int agent = (int) (i % VisitStores.AGENTS.length);
                // The agent is a new String per request, as Jetty's header value is.
                tracker.offer(VisitEvent.redirect(System.currentTimeMillis(), codes[link], 1, paths[link], null,
                        VisitStores.REFERERS[(int) (i % VisitStores.REFERERS.length)], new String(VisitStores.AGENTS[agent]),
                        urls[link]));
            }
            tracker.stop(Duration.ofSeconds(60));
            double cpu = (os.getProcessCpuTime() - cpu0) / 1000.0 / n;
            double seconds = (System.nanoTime() - wall0) / 1e9;
            System.out.printf("tracker, %,d visits over %,d links: %.2f µs CPU per visit in all (offer and worker), %,.0f visits/s offered,"
                    + " %,d recorded, %,d dropped, queue high water %,d, %.1f bytes on disk per visit%n", n, codes.length, cpu,
                    n / seconds, tracker.recorded(), tracker.dropped(), tracker.queueHighWater(),
                    store.diskBytes() / (double) n);
        }
    }
}
