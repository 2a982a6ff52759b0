package gotourl.visits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a redirect pays for its visit: building the event and offering it to the Tracker's queue,
 * while the real worker drains it (agents memoized, a store that keeps nothing). Each call also
 * burns ~1 µs of other work, as a redirect does, so that the worker keeps up and what is timed is
 * the accepted offer, not the drop; the cost of the offer is {@code offer - baseline}. One and two
 * offering threads (Jetty's selectors on two cores); the tear-down prints how many were dropped.
 *
 * <p>Run: {@code bench/jmh/run TrackerOfferBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrackerOfferBench {
    private static final int OTHER_WORK_TOKENS = 400;
    private static final String AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36";

    private Tracker tracker;

    @Setup(Level.Trial)
    public void start() {
        UserAgents agents = UserAgents.using(ua -> new UserAgents.Agent(false, "Chrome", "Windows NT"));
        tracker = new Tracker(new DiscardingStore(), agents, Tracker.DEFAULT_CAPACITY, null, Clock.systemUTC());
        tracker.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        tracker.stop(Duration.ofSeconds(10));
        System.out.printf("%n  recorded %,d, dropped %,d, queue high water %,d%n", tracker.recorded(), tracker.dropped(),
                tracker.queueHighWater());
    }

    @Benchmark
    public void baseline() {
        Blackhole.consumeCPU(OTHER_WORK_TOKENS);
    }

    @Benchmark
    public boolean offer() {
        Blackhole.consumeCPU(OTHER_WORK_TOKENS);
        return tracker.offer(VisitEvent.redirect(System.currentTimeMillis(), "abc", 1, "/abc", null, "https://t.co/x", AGENT,
                "https://example.com/"));
    }

    @Benchmark
    @Threads(2)
    public void baselineTwoThreads() {
        Blackhole.consumeCPU(OTHER_WORK_TOKENS);
    }

    @Benchmark
    @Threads(2)
    public boolean offerTwoThreads() {
        return offer();
    }

    /** Keeps nothing: the benchmark is about the queue, not the disk. */
    static final class DiscardingStore implements VisitStore {
        @Override public void append(List<Visit> visits) {}
        @Override public void sync() {}
        @Override public VisitsSummary summary(String shortCode) { return VisitsSummary.NONE; }
        @Override public VisitStats stats() { return new VisitStats(VisitsSummary.NONE, VisitsSummary.NONE); }
        @Override public VisitsPage linkVisits(String shortCode, VisitsQuery query) { return null; }
        @Override public VisitsPage orphanVisits(VisitsQuery query) { return null; }
        @Override public VisitsPage nonOrphanVisits(VisitsQuery query) { return null; }
        @Override public VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) { return null; }
        @Override public VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) { return VisitAggregates.NONE; }
        @Override public long deleteVisits(String shortCode) { return 0; }
        @Override public long deleteOrphanVisits() { return 0; }
        @Override public void linkDeleted(String shortCode, long linkCreatedMillis) {}
        @Override public long dropRawVisitsBefore(Instant cutoff) { return 0; }
        @Override public void close() {}
    }
}
