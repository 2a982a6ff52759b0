package gotourl.ops;

import gotourl.store.log.CommitObserver;

import gotourl.store.LinkStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Every meter goto has, registered here once. Request paths touch only the pre-resolved counters
 * and timers in arrays indexed by route and status, never a lookup by name; a disabled instance
 * (no admin listener) skips even that.
 */
public final class Metrics implements AutoCloseable {

    /** The routes goto counts requests of; the admin listener's own requests are not counted. */
    public enum Route { REDIRECT, ADD, FORM, ROBOTS, API, OTHER, QR_CODE, EVENTS }

    private static final int[] STATUSES = {200, 204, 301, 302, 307, 308, 400, 401, 403, 404, 405, 408, 409, 413, 414, 422, 431, 500, 503};
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofSeconds(1),
    };

    private final PrometheusMeterRegistry registry;
    private final Counter[][] requests;
    private final Timer[] latency;
    private final Counter[] refusedAdds;
    private final DistributionSummary batchSize;
    private final Timer forceLatency;
    private final AtomicLong replayMillis = new AtomicLong();
    private final Counter[] heldAtStart;
    private final Counter compactionsDone;
    private final Counter compactionsFailed;
    /** The JVM's meters' GC listener, once {@link #bindJvmMeters} bound them; closed with the registry. */
    private JvmGcMetrics gcMetrics;
    /** Set once the JVM's meters are bound: a scrape reads it without the lock. */
    private volatile boolean jvmBound;
    /** Set by {@link #close} (under the lock): a bind after it would leave a GC listener on the JVM's collectors that nothing closes. */
    private boolean closed;

    /** Why an add was refused: the {@code reason} tag of {@code goto.adds.refused} (scraped as {@code goto_adds_refused_total}). */
    public enum Refusal { INVALID, BUSY, FAILED, STOPPING, CLOSED, RATE_LIMITED, KEYS_EXHAUSTED }

    /**
     * What became of a request that arrived while goto was starting: the {@code outcome} tag of
     * {@code goto.start.requests}. Each held request is counted {@code held}, then once more as
     * {@code served} (once goto opened), {@code timed_out} (503 after the wait) or {@code stopped}
     * (503, the start failed); {@code over_limit} is one answered 503 at once, as too many were held.
     */
    public enum HeldOutcome { HELD, SERVED, TIMED_OUT, STOPPED, OVER_LIMIT }

    private Metrics(boolean enabled) {
        if (!enabled) {
            registry = null;
            requests = null;
            latency = null;
            refusedAdds = null;
            batchSize = null;
            forceLatency = null;
            heldAtStart = null;
            compactionsDone = null;
            compactionsFailed = null;
            return;
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Route[] routes = Route.values();
        requests = new Counter[routes.length][STATUSES.length + 1];
        latency = new Timer[routes.length];
        for (Route route : routes) {
            String name = route.name().toLowerCase(java.util.Locale.ROOT);
            for (int i = 0; i <= STATUSES.length; i++) {
                String status = i < STATUSES.length ? String.valueOf(STATUSES[i]) : "other";
                requests[route.ordinal()][i] = Counter.builder("goto.requests")
                        .description("HTTP requests answered, by route and status")
                        .tags("route", name, "status", status).register(registry);
            }
            latency[route.ordinal()] = Timer.builder("goto.request.latency")
                    .description("Time from request headers to response completion")
                    .tags("route", name)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }
        Refusal[] refusals = Refusal.values();
        refusedAdds = new Counter[refusals.length];
        for (Refusal refusal : refusals) {
            refusedAdds[refusal.ordinal()] = Counter.builder("goto.adds.refused")
                    .description("Adds answered with an error; nothing was stored")
                    .tag("reason", refusal.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        HeldOutcome[] outcomes = HeldOutcome.values();
        heldAtStart = new Counter[outcomes.length];
        for (HeldOutcome outcome : outcomes) {
            heldAtStart[outcome.ordinal()] = Counter.builder("goto.start.requests")
                    .description("Requests that arrived while goto was loading its links, held until it could serve them, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        batchSize = DistributionSummary.builder("goto.writer.batch.records")
                .description("Records per group commit (one write, one force)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
                .register(registry);
        forceLatency = Timer.builder("goto.writer.force.latency")
                .description("Time to force the data file to disk: each group commit with -sync=true, each flush with -sync=false")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        compactionsDone = Counter.builder("goto.compactions").description("Compactions of the data file, by result")
                .tag("result", "done").register(registry);
        compactionsFailed = Counter.builder("goto.compactions").description("Compactions of the data file, by result")
                .tag("result", "failed").register(registry);
        Gauge.builder("goto.replay.seconds", replayMillis, millis -> millis.get() / 1000.0)
                .description("Time the last start spent replaying the data file").register(registry);
    }

    /**
     * Binds Micrometer's JVM and process meters ({@code jvm_*}, {@code process_*},
     * {@code system_cpu_*}) to the registry; calling it again does nothing. Not done in the
     * constructor nor at start: the binders ask the JVM's management beans for their pools,
     * collectors and threads, 60–80 ms of CPU on one core with what it makes the JIT compile, so
     * {@link #scrape} binds them at the first scrape: a start does not pay for them, nor shares
     * its core with them while it answers its first requests, and a goto nobody scrapes never
     * does. Collections before the bind are not in {@code jvm_gc_pause} and
     * {@code jvm_gc_memory_*} (those count from the bind on); every other JVM meter reads the
     * JVM's own totals when scraped, so the first scrape already shows them whole. After
     * {@link #close} it binds nothing: a scrape racing a stop must not leave the GC listener, which
     * the JVM's collectors keep for the life of the process, on a closed registry.
     */
    public synchronized void bindJvmMeters() {
        if (registry == null || gcMetrics != null || closed) {
            return;
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        gcMetrics = gc;
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        jvmBound = true;
    }

    /** Whether the registry holds a meter named {@code name} (Micrometer's dotted name); false without a registry. For tests. */
    boolean hasMeter(String name) {
        return registry != null && registry.find(name).meter() != null;
    }

    /** Whether {@link #bindJvmMeters} bound the JVM's meters (and so a GC listener). For tests. */
    synchronized boolean jvmMetersBound() {
        return gcMetrics != null;
    }

    public static Metrics enabled() {
        return new Metrics(true);
    }

    public static Metrics disabled() {
        return new Metrics(false);
    }

    public boolean isEnabled() {
        return registry != null;
    }

    /** Counts one answered request and its latency since {@code startNanos}. */
    public void request(Route route, int status, long startNanos) {
        if (registry == null) {
            return;
        }
        requests[route.ordinal()][statusIndex(status)].increment();
        latency[route.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one request held while goto starts, or what became of it ({@link HeldOutcome}). */
    public void heldAtStart(HeldOutcome outcome) {
        if (registry != null) {
            heldAtStart[outcome.ordinal()].increment();
        }
    }

    /** Counts a request the HTTP server refused before any route ran (too large, malformed, stopping). */
    public void refusedByServer(int status) {
        if (registry != null) {
            requests[Route.OTHER.ordinal()][statusIndex(status)].increment();
        }
    }

    public void refusedAdd(Refusal refusal) {
        if (registry != null) {
            refusedAdds[refusal.ordinal()].increment();
        }
    }

    /**
     * What the file store's writer reports: the records of each group commit, and the time of
     * each force (in async mode not one per commit, but one per flush interval).
     */
    public CommitObserver commitObserver() {
        return new CommitObserver() {
            @Override
            public void committed(int records) {
                if (registry != null) {
                    batchSize.record(records);
                }
            }

            @Override
            public void forced(long nanos) {
                if (registry != null) {
                    forceLatency.record(nanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void compacted(gotourl.store.log.CompactionResult result) {
                compaction(result != null);
            }
        };
    }

    /** A compaction finished ({@code done}) or failed, leaving the data file as it was. */
    public void compaction(boolean done) {
        if (registry != null) {
            (done ? compactionsDone : compactionsFailed).increment();
        }
    }

    /**
     * Gauges of the data file, read when scraped: its size, and how much of it its live links
     * take (the rest is dead until the next compaction).
     */
    public <S> void watchDataFile(S store, ToDoubleFunction<S> fileBytes, ToDoubleFunction<S> liveBytes) {
        if (registry == null) {
            return;
        }
        Gauge.builder("goto.data.file.bytes", store, fileBytes).description("Bytes of the data file's records (the file may be longer by zeros preallocated after them)").baseUnit("bytes")
                .register(registry);
        Gauge.builder("goto.data.file.live.bytes", store, liveBytes)
                .description("Bytes of the data file its live links take; the rest goes at the next compaction")
                .baseUnit("bytes").register(registry);
    }

    public void replayed(Duration time) {
        replayMillis.set(time.toMillis());
    }

    /** Gauges read from the store when scraped: links stored and, where it has one, its queue. */
    public <S extends LinkStore> void watchStore(S store, ToDoubleFunction<S> queueDepth) {
        if (registry == null) {
            return;
        }
        Gauge.builder("goto.links", store, LinkStore::size).description("Links stored").register(registry);
        if (queueDepth != null) {
            Gauge.builder("goto.writer.queue.depth", store, queueDepth)
                    .description("Adds waiting for the writer").register(registry);
        }
    }

    /**
     * The visits' meters, read from {@code tracker} when scraped: visits recorded, events dropped
     * by a full queue ({@code goto_visits_dropped_total}: not in any count or summary), events lost
     * to a failed store, the queue's depth and high water, whether the store has failed, and the
     * visit log's size.
     */
    public void watchVisits(gotourl.visits.Tracker tracker) {
        if (registry == null) {
            return;
        }
        io.micrometer.core.instrument.FunctionCounter.builder("goto.visits.recorded", tracker, gotourl.visits.Tracker::recorded)
                .description("Visits written to the visits store").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.visits.dropped", tracker, gotourl.visits.Tracker::dropped)
                .description("Visit events dropped, never recorded: the queue was full or goto was stopping").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.visits.lost", tracker, gotourl.visits.Tracker::lost)
                .description("Visit events not recorded because the visits store had failed").register(registry);
        Gauge.builder("goto.visits.queue.depth", tracker, gotourl.visits.Tracker::queueDepth)
                .description("Visit events waiting for the visits worker").register(registry);
        Gauge.builder("goto.visits.held", tracker, gotourl.visits.Tracker::held)
                .description("Visit events held, not yet recorded, while the user-agent rules load (0 once loaded)").register(registry);
        Gauge.builder("goto.visits.queue.high.water", tracker, gotourl.visits.Tracker::queueHighWater)
                .description("The most visit events seen waiting at once").register(registry);
        Gauge.builder("goto.visits.queue.capacity", tracker, gotourl.visits.Tracker::capacity)
                .description("Visit events that may wait before new ones are dropped").register(registry);
        Gauge.builder("goto.visits.store.failed", tracker, t -> t.failure() == null ? 0 : 1)
                .description("1 when the visits store has failed and visits are not being recorded").register(registry);
        Gauge.builder("goto.visits.disk.bytes", tracker, t -> t.store().diskBytes()).baseUnit("bytes")
                .description("Bytes the visit log takes on disk").register(registry);
    }

    /**
     * Link checks' meters, read from {@code checks} when scraped: whether they are failing (a round
     * failed, or link health is not being written: {@code goto_checks_failed}, 0 or 1) and the failed
     * attempts to write link health to the database ({@code goto_checks_health_writes_failed_total};
     * each retry counts).
     */
    public void watchChecks(gotourl.check.Checks checks) {
        if (registry == null) {
            return;
        }
        Gauge.builder("goto.checks.failed", checks, c -> c.failure() == null ? 0 : 1)
                .description("1 when a link check round failed or link health is not being kept").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.checks.health.writes.failed", checks,
                        gotourl.check.Checks::failedWrites)
                .description("Failed attempts to write link health to the database (each retry counts)").register(registry);
    }

    /**
     * The live feed's meters, read from {@code feed} when scraped: streams open, subscribers
     * dropped for falling behind, events dropped by a full queue, visits not sent over the cap.
     */
    public void watchEvents(gotourl.events.EventFeed feed) {
        if (registry == null) {
            return;
        }
        Gauge.builder("goto.events.subscribers", feed, gotourl.events.EventFeed::subscribers)
                .description("Live-feed streams open").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.events.subscribers.dropped", feed,
                gotourl.events.EventFeed::droppedSubscribers)
                .description("Live-feed subscribers closed because they fell behind (they may reconnect)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.events.dropped", feed, gotourl.events.EventFeed::droppedEvents)
                .description("Live-feed events dropped because the broadcaster's queue was full").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("goto.events.visits.skipped", feed, gotourl.events.EventFeed::skippedVisits)
                .description("Visits not sent on the live feed because more came in a second than it sends").register(registry);
    }

    /** The Prometheus text exposition of every meter; the first binds the JVM's meters ({@link #bindJvmMeters}). */
    public String scrape() {
        if (registry == null) {
            return "";
        }
        if (!jvmBound) {
            bindJvmMeters();
        }
        return registry.scrape();
    }

    private static int statusIndex(int status) {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) {
                return i;
            }
        }
        return STATUSES.length;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (registry != null) {
            if (gcMetrics != null) {
                gcMetrics.close();
            }
            registry.close();
        }
    }
}
