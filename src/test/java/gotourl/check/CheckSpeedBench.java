package gotourl.check;

import gotourl.fetch.Cancellation;
import gotourl.fetch.FetchOptions;
import gotourl.fetch.Fetcher;
import gotourl.fetch.TestSite;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How fast link checks go against their bound: 10,000 links on a local site that answers each
 * after {@value #LATENCY_MS} ms, spread over 100 host names (so the per-host bound of 2 leaves the
 * global bound in charge), checked at several concurrency bounds. The ideal is bound / latency
 * links/s; the bench prints links/s and the ratio to the ideal. Not part of the suite (its name
 * does not end in Test); run it with
 * {@code ./run-tests -Dtest=CheckSpeedBench}.
 */
class CheckSpeedBench {
    private static final int LINKS = 10_000;
    private static final int LATENCY_MS = 20;
    private static final int HOSTS = 100;

    @Test
    void checksAtTheConcurrencyBoundsThroughput() throws Exception {
        try (TestSite site = TestSite.start("127.0.0.1", 400);
             Fetcher fetcher = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                     .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)), TestSite.resolver())) {
            List<CheckRun.Target> targets = new ArrayList<>(LINKS);
            for (int i = 0; i < LINKS; i++) {
                targets.add(new CheckRun.Target("l" + i, java.time.Instant.EPOCH,
                        site.base("h" + (i % HOSTS) + ".test") + "/wait?ms=" + LATENCY_MS + "&n=" + i));
            }
            // Warm up the JIT and the connection pools.
            run(fetcher, targets.subList(0, 2_000), 64);
            System.out.printf(Locale.ROOT, "%-12s %10s %12s %12s %8s%n", "concurrency", "seconds", "links/s", "ideal", "ratio");
            for (int concurrency : new int[] {16, 64, 128}) {
                long started = System.nanoTime();
                int checked = run(fetcher, targets, concurrency);
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = checked / seconds;
                double ideal = concurrency * 1000.0 / LATENCY_MS;
                System.out.printf(Locale.ROOT, "%-12d %10.2f %12.0f %12.0f %8.2f%n", concurrency, seconds, rate, ideal, rate / ideal);
                if (checked != LINKS) {
                    throw new AssertionError("checked " + checked + " of " + LINKS);
                }
            }
        }
    }

    private static int run(Fetcher fetcher, List<CheckRun.Target> targets, int concurrency) {
        CheckRun run = new CheckRun(new LinkChecker(fetcher, Clock.systemUTC()), concurrency, 2);
        List<CheckRun.Result> results = run.run(targets, new Cancellation(), result -> {});
        long ok = results.stream().filter(r -> r.health().state() == HealthState.OK).count();
        if (ok != targets.size()) {
            throw new AssertionError(ok + " of " + targets.size() + " ok; first other: "
                    + results.stream().filter(r -> r.health().state() != HealthState.OK).findFirst().orElseThrow());
        }
        return results.size();
    }
}
