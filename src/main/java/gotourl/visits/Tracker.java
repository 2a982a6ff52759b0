package gotourl.visits;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' Tracker: requests hand visit events to one bounded queue and go on; one named
 * worker ({@code goto-visits}) drains it in batches into a {@link VisitStore}.
 *
 * <p>Design note. {@link #offer} is on the redirect path, on a selector thread: it claims a slot
 * of a lock-free bounded queue (JCTools' {@code MpscAtomicArrayQueue}: one compare-and-set, no
 * lock, so no selector ever parks behind the worker's drain or another selector, which on one
 * core cost a futex wake-up per contended offer and tens of milliseconds of p99 when the lock's
 * holder was preempted), never waits for room (a full queue drops the event and counts it, the
 * seeds' {@code select { case ch <- x: default: }}), never wakes the worker and allocates
 * nothing. The worker is never parked on the queue, which would make every offer after
 * a quiet moment pay a futex wake-up: it sleeps {@link #IDLE_PARK_NANOS} when the queue is empty,
 * twice as long each time it is still empty up to {@link #MAX_IDLE_PARK_NANOS}, and otherwise takes
 * up to {@link #MAX_BATCH} events at a time. It classifies each agent (memoized,
 * see {@link UserAgents}), appends the batch, and forces the store every {@link #SYNC_INTERVAL}: a
 * crash of the machine loses at most the last second of visits, a crash of goto only what was
 * still queued (milliseconds). A store that fails is a failure of visits, never of redirects: the
 * worker keeps draining (so offers never back up), counts what it could not record, and
 * {@link #failure()} says why, for health and metrics. Stop drains what is queued within a deadline.
 */
public final class Tracker {
    private static final Logger LOG = LoggerFactory.getLogger("goto.visits");

    /**
     * Room for 65,536 events: at the ~120,000 redirects/s one server core answers, half a second
     * of a stalled disk (a force can take tens of milliseconds, more on a busy machine) or of the
     * agent rules loading; at most ~20 MB held (an event and the header strings it points to).
     * The figure that matters, {@code goto_visits_queue_high_water}, stayed far below it at full
     * load (BENCHMARKS.md).
     */
    public static final int DEFAULT_CAPACITY = 1 << 16;
    /**
     * The query parameter that asks for a request not to be tracked, as YOURLS's and Shlink's
     * {@code nostat}; goto drops it from the query it forwards to the long URL, as Shlink does.
     */
    public static final String NO_STAT_PARAM = "nostat";
    /**
     * Events per append at most, and the most the worker records before it gives the core back
     * ({@link #REST_NANOS}): 0.1-0.4 ms of work at the 2-6 µs a visit costs on one busy core. goto
     * is often given one core, where the worker and the selector thread that answers redirects take
     * turns: while the worker records, every request in flight waits. Batches of up to 4,096 ran
     * 1-4 ms each (the scheduler lets a thread that slept run that long before it switches back),
     * and those waits were most of the redirect p99 with tracking on; batches of 128 still ran
     * past a millisecond when a visit cost 6 µs (BENCHMARKS.md, "Where the redirect tail comes
     * from").
     */
    static final int MAX_BATCH = 64;
    /**
     * After a full batch (more visits are likely waiting), the worker sleeps this long before the
     * next: a sleep, not {@link Thread#yield}, which the scheduler may answer by running the worker
     * again. 64 visits per ~0.2 ms of rest plus their work is above the redirects one core answers
     * (~120,000/s at 2 µs a visit; ~30,000/s on a core slow enough for a visit to cost 6 µs), and
     * a worker that falls behind stops resting ({@link #REST_BELOW_DIVISOR}).
     */
    static final long REST_NANOS = 200_000;
    /**
     * The worker rests only while fewer than this share of the queue's capacity wait: one that
     * falls behind (a machine whose cores answer more redirects than it records between rests)
     * records without rests until it has caught up, so that a rest never costs a dropped visit.
     */
    static final int REST_BELOW_DIVISOR = 8;
    /** How the worker sleeps between full batches: {@link LockSupport#parkNanos}; a test watches it. */
    java.util.function.LongConsumer rest = LockSupport::parkNanos;
    /**
     * A worker that finds the queue empty looks again 10 ms later: under load, that gathers
     * batches (~500 visits at 50,000 redirects/s). On the one core goto is given in
     * {@code bench/run}, each look is a wake-up that takes the core, and the caches, from the
     * redirects: at 2 ms there were five times as many for the same visits. A crash of goto (not
     * of the machine) loses what is queued: up to ~10 ms of visits, where it was ~2.
     */
    static final long IDLE_PARK_NANOS = 10_000_000;
    /**
     * A worker that keeps finding the queue empty looks at most every 50 ms: ~20 wake-ups a second
     * instead of 500 when nothing is tracked ({@code -track=false}) or goto is quiet. Each wake-up
     * takes the redirects' core from them (measured on a busy 2-core machine: ~4% of a core at 500
     * a second). 50 ms of the most redirects one core answers is far below the queue's capacity.
     */
    static final long MAX_IDLE_PARK_NANOS = 50_000_000;
    /** How often appended visits are forced to disk: what a crash of the machine can lose. */
    public static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    /** How often retention looks for visits to drop, when it is on, by the tracker's clock. */
    static final Duration RETENTION_INTERVAL = Duration.ofMinutes(10);
    /** How often a failed store is reported again in the log, with what it has lost since. */
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);
    /**
     * Events held while the user-agent rules load (a second or two after start): ~5 s of the
     * ~120,000 redirects/s one core answers, ~100 MB at most; beyond it they are dropped and counted.
     */
    static final int MAX_HELD = 1 << 19;

    private final MpscAtomicArrayQueue<VisitEvent> queue;
    /** Events that may wait at once: the queue's own size is this rounded up to a power of two. */
    private final int capacity;
    private final VisitStore store;
    private final UserAgents agents;
    private final Clock clock;
    private final Duration retention;
    private final Thread worker;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();

    private final LongAdder dropped = new LongAdder();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();
    private volatile String failure;
    /** Told of each batch once stored (the live feed); null for none. Runs on the worker: must not block. */
    private volatile java.util.function.Consumer<List<Visit>> stored;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private long lastSyncNanos = System.nanoTime();
    /** When retention last looked, by {@link #clock}: tests move the clock instead of waiting. */
    private Instant lastRetention;
    private long lastFailureLogNanos;
    private boolean unsynced;
    /** Events taken while the agent rules were loading, in order; only the worker touches it. */
    private final ArrayList<VisitEvent> held = new ArrayList<>();
    /** {@code held.size()} for other threads (a stop's report). */
    private volatile int heldCount;

    /** Work other than visits that must run on the worker, in order with the visits before it. */
    private record Command(String what, StoreCall call, CompletableFuture<Long> done) {}

    /** A change to the store, run on the worker. */
    @FunctionalInterface
    public interface StoreCall {
        long run(VisitStore store) throws IOException;
    }

    /**
     * @param store     where visits go; the tracker does not close it
     * @param agents    how agents are classified
     * @param capacity  events that may wait for the worker before new ones are dropped
     * @param retention how long raw visits are kept, or null to keep them all
     * @param clock     the clock retention reads
     */
    public Tracker(VisitStore store, UserAgents agents, int capacity, Duration retention, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("visit queue capacity must be at least 1, not " + capacity);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("visits retention must be positive, not " + retention);
        }
        this.queue = new MpscAtomicArrayQueue<>(Math.max(2, capacity));
        this.capacity = capacity;
        this.store = store;
        this.agents = agents;
        this.clock = clock;
        this.retention = retention;
        this.worker = new Thread(this::run, "goto-visits");
        this.noAgent = new SeenAgent(null, agents.classify(null));
    }

    public void start() {
        worker.start();
    }

    /**
     * Hands {@code event} to the worker; returns false, counting a drop, when the queue is full or
     * the tracker is stopping. Never blocks and allocates nothing: fit for a selector thread.
     */
    public boolean offer(VisitEvent event) {
        if (!stopping && queue.offerIfBelowThreshold(event, capacity)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /**
     * Runs {@code call} on the worker after the visits queued before it (deletes of visits, a
     * link's deletion); the future completes with its result, or exceptionally if the store
     * fails or the tracker stops first.
     */
    public CompletableFuture<Long> change(String what, StoreCall call) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (stopping) {
            done.completeExceptionally(new IllegalStateException(what + " refused: goto is shutting down"));
            return done;
        }
        commands.add(new Command(what, call, done));
        LockSupport.unpark(worker);
        return done;
    }

    /** Deletes the visits of {@code shortCode}'s current life (Shlink's {@code DELETE /short-urls/{code}/visits}); completes with how many. */
    public CompletableFuture<Long> deleteVisits(String shortCode) {
        return change("deleting the visits of " + shortCode, s -> s.deleteVisits(shortCode));
    }

    /** Deletes every orphan visit (Shlink's {@code DELETE /visits/orphan}); completes with how many. */
    public CompletableFuture<Long> deleteOrphanVisits() {
        return change("deleting orphan visits", VisitStore::deleteOrphanVisits);
    }

    /**
     * The link {@code shortCode} created at {@code linkCreatedMillis} was deleted: its visits go
     * with it. The link store calls this after the delete is durable; completes with 0.
     */
    public CompletableFuture<Long> linkDeleted(String shortCode, long linkCreatedMillis) {
        return change("deleting the visits of deleted link " + shortCode, s -> {
            s.linkDeleted(shortCode, linkCreatedMillis);
            return 0L;
        });
    }

    /**
     * Calls {@code listener} on the worker with each batch of visits once it is stored (the live
     * feed); the listener must not block, and must copy what it keeps, as the list is reused.
     */
    public void publishTo(java.util.function.Consumer<List<Visit>> listener) {
        stored = listener;
    }

    /** The store queries read from. */
    public VisitStore store() {
        return store;
    }

    /** Why visits are not being recorded, or null while they are: the worker's failure, else the store's outage. */
    public String failure() {
        String failed = failure;
        return failed != null ? failed : store.unavailable();
    }

    /** Events dropped because the queue was full or goto was stopping ({@code goto_visits_dropped_total}). */
    public long dropped() {
        return dropped.sum();
    }

    /** Visits written to the store. */
    public long recorded() {
        return recorded.get();
    }

    /** Events taken from the queue but not recorded, because the store had failed or was unavailable. */
    public long lost() {
        return lost.get() + store.lostVisits();
    }

    public int queueDepth() {
        return queue.size();
    }

    /**
     * Visit events taken from the queue and held, in order, while the user-agent rules load (they
     * are recorded once the rules are in); 0 once loaded. Read by any thread.
     */
    public int held() {
        return heldCount;
    }

    /** The most events seen waiting at once: how close the queue came to dropping. */
    public long queueHighWater() {
        return highWater.get();
    }

    public int capacity() {
        return capacity;
    }

    private void run() {
        List<VisitEvent> events = new ArrayList<>(MAX_BATCH);
        List<Visit> visits = new ArrayList<>(MAX_BATCH);
        MessagePassingQueue.Consumer<VisitEvent> take = events::add;
        long idlePark = IDLE_PARK_NANOS;
        try {
            while (!abandoned) {
                runCommands(events, visits);
                int depth = queue.size();
                if (depth > highWater.get()) {
                    highWater.set(depth);
                }
                int taken = queue.drain(take, MAX_BATCH);
                if (taken == 0) {
                    if (stopping) {
                        break;
                    }
                    if (!held.isEmpty() && agents.isReady()) {
                        recordHeld(visits);
                    }
                    housekeeping();
                    LockSupport.parkNanos(idlePark);
                    idlePark = Math.min(idlePark * 2, MAX_IDLE_PARK_NANOS);
                    continue;
                }
                idlePark = IDLE_PARK_NANOS;
                record(events, visits);
                events.clear();
                visits.clear();
                housekeeping();
                if (taken == MAX_BATCH && queue.size() < capacity / REST_BELOW_DIVISOR) {
                    rest.accept(REST_NANOS);
                }
            }
            runCommands(events, visits);
            if (awaitRulesForHeld()) {
                recordHeld(visits);
            } else {
                lost.addAndGet(held.size()); // the stop's deadline came before the rules
                held.clear();
            }
            syncNow();
        } catch (RuntimeException | Error e) {
            failed("the visits worker failed", e);
            events.clear();
            drainLost();
        }
    }

    private void record(List<VisitEvent> events, List<Visit> visits) {
        if (failure == null && agents.loadFailure() != null) {
            failed(agents.loadFailure(), null);
        }
        if (failure != null) {
            lost.addAndGet(events.size() + held.size());
            held.clear();
            return;
        }
        if (!agents.isReady() && !stopping) {
            if (held.isEmpty() && !anyAgent(events)) {
                append(events, visits); // no agent to parse: no need of the rules yet
                return;
            }
            // The rules are loading: hold the visits, in order, and classify them once loaded.
            agents.startLoading();
            int room = Math.max(0, MAX_HELD - held.size());
            if (events.size() > room) {
                dropped.add(events.size() - room);
                held.addAll(events.subList(0, room));
            } else {
                held.addAll(events);
            }
            heldCount = held.size();
            return;
        }
        if (!held.isEmpty()) {
            recordHeld(visits);
        }
        append(events, visits);
    }

    private static boolean anyAgent(List<VisitEvent> events) {
        for (VisitEvent event : events) {
            if (event.userAgent() != null && !event.userAgent().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * At a stop, waits for the rules the held visits need, until they are loaded or the stop
     * gives up ({@link #abandoned}); never blocked where an abandoning stop could not end it.
     */
    private boolean awaitRulesForHeld() {
        while (!held.isEmpty() && !agents.isReady() && agents.loadFailure() == null) {
            if (abandoned) {
                return false;
            }
            try {
                agents.startLoading();
                agents.awaitReady(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Records the events held while the rules loaded, oldest first, in batches. {@link #held()}
     * drops by each batch before it is recorded, so a reader never counts a visit both held and
     * recorded: {@code held() == 0} once {@code recorded()} has counted the last one.
     */
    private void recordHeld(List<Visit> visits) {
        for (int from = 0; from < held.size() && failure == null; from += MAX_BATCH) {
            visits.clear();
            int to = Math.min(held.size(), from + MAX_BATCH);
            heldCount = held.size() - to;
            append(held.subList(from, to), visits);
            if (!stopping) {
                rest.accept(REST_NANOS);
            }
        }
        held.clear();
        heldCount = 0;
        visits.clear();
    }

    private void append(List<VisitEvent> events, List<Visit> visits) {
        if (failure != null) {
            lost.addAndGet(events.size());
            return;
        }
        for (VisitEvent event : events) {
            visits.add(toVisit(event));
        }
        try {
            store.append(visits);
            recorded.addAndGet(visits.size());
            unsynced = true;
            java.util.function.Consumer<List<Visit>> listener = stored;
            if (listener != null) {
                listener.accept(visits); // it copies what it keeps: the list is reused
            }
        } catch (IOException | RuntimeException e) {
            lost.addAndGet(visits.size());
            failed("writing visits failed", e);
        }
    }

    Visit toVisit(VisitEvent event) {
        SeenAgent agent = seenAgent(event.userAgent());
        SeenReferer referer = seenReferer(event.referer());
        String visited = event.query() == null ? event.path() : event.path() + "?" + event.query();
        return new Visit(event.type(), event.shortCode(), event.linkCreatedMillis(), event.timeMillis(),
                referer.referer(), agent.userAgent(), agent.agent().bot(), visited, event.redirectUrl(), agent.agent().browser(),
                agent.agent().operatingSystem(), referer.host());
    }

    /**
     * The worker's own memo of the agents and referers it saw last: each request brings a new
     * String of the same few values, and the visit log looks each one up (its strings, its
     * per-day counts); handing it the first instance seen, whose hash is computed and which
     * compares equal by identity, made those lookups cheaper (profiled, BENCHMARKS.md). Worker
     * only, so plain maps; emptied when full, so bounded.
     */
    private record SeenAgent(String userAgent, UserAgents.Agent agent) {}

    private record SeenReferer(String referer, String host) {}

    /** Distinct agents and referers the worker remembers before it starts afresh. */
    static final int SEEN_ENTRIES = 4096;
    private static final SeenReferer NO_REFERER = new SeenReferer(null, "");
    private final java.util.HashMap<String, SeenAgent> seenAgents = new java.util.HashMap<>();
    private final java.util.HashMap<String, SeenReferer> seenReferers = new java.util.HashMap<>();
    private final SeenAgent noAgent;

    /**
     * A header value as Jetty hands it (each byte a char, ISO-8859-1: RFC 9110, section 5.5)
     * read as the UTF-8 its client almost surely sent ({@code Mozilla/5.0 Café} rather than
     * {@code CafÃ©}), a byte sequence that is not UTF-8 as U+FFFD. An ASCII value is returned
     * itself; a value already holding chars beyond U+00FF is not bytes and is kept. Runs on the
     * worker, once per distinct value (the memo above), never on the redirect. The access log
     * reads User-Agent and Referer through it too.
     *
     * @param value a header value as Jetty gives it, not null
     * @return the value as text: itself when it is ASCII (or not bytes), else its bytes decoded as UTF-8
     */
    public static String headerText(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                for (int j = i; j < value.length(); j++) {
                    if (value.charAt(j) > 0xFF) {
                        return value;
                    }
                }
                return new String(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private SeenAgent seenAgent(String userAgent) {
        if (userAgent == null) {
            return noAgent;
        }
        SeenAgent seen = seenAgents.get(userAgent);
        if (seen == null) {
            if (seenAgents.size() >= SEEN_ENTRIES) {
                seenAgents.clear();
            }
            String text = headerText(userAgent);
            seen = new SeenAgent(text, agents.classify(text));
            seenAgents.put(userAgent, seen);
        }
        return seen;
    }

    private SeenReferer seenReferer(String referer) {
        if (referer == null) {
            return NO_REFERER;
        }
        SeenReferer seen = seenReferers.get(referer);
        if (seen == null) {
            if (seenReferers.size() >= SEEN_ENTRIES) {
                seenReferers.clear();
            }
            String text = headerText(referer);
            seen = new SeenReferer(text, RefererHosts.hostOf(text));
            seenReferers.put(referer, seen);
        }
        return seen;
    }

    private void housekeeping() {
        long now = System.nanoTime();
        if (failure != null) {
            if (now - lastFailureLogNanos >= FAILURE_LOG_INTERVAL.toNanos()) {
                lastFailureLogNanos = now;
                LOG.error("visits are not being recorded ({}): {} lost since; redirects and links are not affected."
                        + " Fix the cause and restart goto.", failure, lost.get());
            }
            return;
        }
        if (unsynced && now - lastSyncNanos >= SYNC_INTERVAL.toNanos()) {
            syncNow();
        }
        Instant wall = retention == null ? null : clock.instant();
        if (wall != null && (lastRetention == null || !wall.isBefore(lastRetention.plus(RETENTION_INTERVAL))
                || wall.isBefore(lastRetention))) {
            lastRetention = wall;
            try {
                long expired = store.dropRawVisitsBefore(wall.minus(retention));
                if (expired > 0) {
                    LOG.info("retention: deleted {} visits recorded more than {} ago", expired, retention);
                }
            } catch (VisitStoreUnavailableException e) {
                LOG.warn("retention skipped, tried again in {}: {}", RETENTION_INTERVAL, e.getMessage());
            } catch (IOException | RuntimeException e) {
                failed("dropping visits past retention failed", e);
            }
        }
    }

    private void syncNow() {
        if (!unsynced || failure != null) {
            return;
        }
        try {
            store.sync();
            // A store waiting for its database holds visits to write: sync it again each second,
            // so that they are written once it is back even if no visit comes meanwhile.
            unsynced = store.unavailable() != null;
            lastSyncNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            failed("forcing visits to disk failed", e);
        }
    }

    private void runCommands(List<VisitEvent> events, List<Visit> visits) {
        while (commands.peek() != null) {
            // The visits offered before the command was queued are in the queue now: they come first.
            while (queue.drain(events::add, MAX_BATCH) > 0) {
                record(events, visits);
                events.clear();
                visits.clear();
            }
            Command command = commands.poll();
            if (failure != null) {
                command.done().completeExceptionally(new IOException(command.what() + " failed: " + failure));
                continue;
            }
            try {
                command.done().complete(command.call().run(store));
                unsynced = true;
            } catch (VisitStoreUnavailableException e) {
                command.done().completeExceptionally(e); // the store is away for now, not broken
            } catch (IOException | RuntimeException e) {
                command.done().completeExceptionally(e);
                failed(command.what() + " failed", e);
            }
        }
    }

    /**
     * Marks visits as failed from the start: the store could not be opened. Events are then taken
     * and counted as lost, so that offers never back up, and health and metrics say why.
     */
    public void failedToOpen(String why, Exception cause) {
        failed(why, cause);
    }

    private void failed(String what, Throwable cause) {
        if (failure == null) {
            lastFailureLogNanos = System.nanoTime();
            failure = cause == null ? what : what + ": " + cause;
            LOG.error("{}. goto stops recording visits (redirects and links are not affected; visits are counted"
                    + " in goto_visits_lost_total until goto restarts). Fix the cause and restart goto.", failure, cause);
        }
    }

    private void drainLost() {
        List<VisitEvent> rest = new ArrayList<>();
        queue.drain(rest::add);
        lost.addAndGet(rest.size());
    }

    /**
     * Stops taking events, records what is queued and forces it, within {@code deadline}.
     * Returns how many queued events were not recorded (0 when all made it).
     */
    public int stop(Duration deadline) {
        stopping = true;
        LockSupport.unpark(worker);
        try {
            worker.join(Math.max(1, deadline.toMillis()));
            if (worker.isAlive()) {
                int held = heldCount;
                int unrecorded = queue.size() + held;
                boolean rulesLoading = held > 0 && !agents.isReady();
                abandoned = true;
                worker.interrupt();
                worker.join(1_000);
                // Said with its cause: a stop soon after the first visit waits the whole deadline for
                // the user-agent rules (seconds of CPU, longer on a busy machine) and then gives up.
                LOG.warn("the visits worker was stopped at the deadline with {} not recorded{}", plural(unrecorded, "visit"),
                        rulesLoading ? ": " + plural(held, "visit was", "visits were") + " held for the user-agent rules, which"
                                + " load once the first visit comes and were not loaded within the stop's deadline; a longer"
                                + " -shutdown-timeout lets them finish" : "");
                return unrecorded;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            return queue.size();
        }
        Command left;
        while ((left = commands.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException(left.what() + " refused: goto is shutting down"));
        }
        return 0;
    }

    public boolean isAlive() {
        return worker.isAlive();
    }

    private static String plural(long count, String noun) {
        return plural(count, noun, noun + "s");
    }

    private static String plural(long count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
