package gotourl.visits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the visits worker does per visit, without the queue and without the machine's other
 * threads: a batch of {@link Tracker#MAX_BATCH} events of links picked at random among
 * {@code links} (as {@code bench/run}'s wrk picks them) made into {@link Visit}s
 * ({@link Tracker#toVisit}: agents memoized, as in steady state) and appended to a
 * {@link LogVisitStore} on disk (never forced: a force is once a second). Every link is visited
 * once in the set-up, as a goto that has served a while has seen them. Time per visit, so the
 * figure compares with {@code bench/tail}'s "worker µs per visit".
 *
 * <p>Run: {@code bench/jmh/run VisitAppendBench}. The store grows by ~50 bytes a visit (a few
 * hundred MB per run, deleted at the end).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VisitAppendBench {
    private static final String AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36";
    /** Events made ahead, picked in turn: the selector makes them, the worker only reads them. */
    private static final int EVENTS = 1 << 20;

    @Param({"100000"})
    public int links;

    private Path dir;
    private LogVisitStore store;
    private Tracker tracker;
    private VisitEvent[] events;
    private final List<Visit> batch = new ArrayList<>(Tracker.MAX_BATCH);
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("goto-visit-append");
        store = LogVisitStore.open(dir.resolve("goto.data.visits"));
        UserAgents agents = UserAgents.using(ua -> new UserAgents.Agent(false, "Chrome", "Windows NT"));
        tracker = new Tracker(store, agents, Tracker.DEFAULT_CAPACITY, null, Clock.systemUTC()); // never started
        long now = System.currentTimeMillis();
        SplittableRandom random = new SplittableRandom(17);
        events = new VisitEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            int link = i < links ? i : random.nextInt(links);
            String code = "k" + link;
            events[i] = VisitEvent.redirect(now, code, 1, "/" + code, null, i % 4 == 0 ? "https://t.co/x" : null, AGENT,
                    "https://example.com/" + link);
        }
        for (int i = 0; i < links; i += Tracker.MAX_BATCH) { // every link's first visit
            appendBatch();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Tracker.MAX_BATCH)
    public void appendBatch() throws IOException {
        batch.clear();
        for (int i = 0; i < Tracker.MAX_BATCH; i++) {
            batch.add(tracker.toVisit(events[next]));
            next = (next + 1) & (EVENTS - 1);
        }
        store.append(batch);
    }
}
