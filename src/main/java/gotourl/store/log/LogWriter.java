package gotourl.store.log;

import gotourl.link.Link;
import gotourl.store.LinkState;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the data file ({@code goto-writer}), with group commit.
 *
 * <p>Design note. Requests never touch the disk: a change (an add, a create, an edit, a delete,
 * or a batch of them) is planned under the store's lock, queued (bounded), and this thread takes
 * every plan waiting, encodes their records into one buffer, writes them in one go, and then:
 * <ul>
 *   <li>durable mode: forces the file once (fdatasync), then publishes the plans to the index,
 *       and hands the completion of all their futures, which runs their answers, to the answer
 *       executor ({@link #answerOn}) as one task. A change is acknowledged only after its record
 *       is on disk, so a crash at any point loses no acknowledged change; at worst a record that
 *       was written but not yet acknowledged survives (its client saw an error and may try
 *       again).</li>
 *   <li>async mode: the plans were published and acknowledged when queued; this thread writes
 *       them and forces the file every flush interval and at stop. A process crash loses what
 *       was queued or written but not forced; an OS crash or power loss also what was written
 *       since the last force. Keys are never reused even then: before handing out keys in async
 *       mode, a key reservation record is forced, and a restart resumes after it.</li>
 * </ul>
 * A batch of several changes is preceded by a batch record naming how many follow, so that a
 * crash in the middle of writing it leaves none of it (replay drops a batch cut short).
 *
 * <p>Why one task per group commit: an HTTP answer completed off Jetty's selector thread hands
 * its connection's next read interest back to the selector through a locked queue and a wake-up,
 * once per answer; run on the selector thread, a commit's answers pay that once
 * (BENCHMARKS.md, "Durable adds"). Until {@link #answerOn} is called, answers run on this thread.
 *
 * <p>A failed write or force is fatal to writing (the OS may have dropped the data, and a retry
 * could acknowledge a change that is not on disk): every waiting change fails, the store refuses
 * new ones, the thread ends, and {@link #failure()} says why. Lookups go on from memory.
 *
 * <p>The file may be extended ahead of the writer with zeros ({@link Preallocation}): the writer
 * writes at its end, over them, and takes the preallocator's lock for a write that reaches past
 * the zeros already forced. It never leaves more than {@link #MAX_UNFORCED_BYTES} written and not
 * forced, which bounds how much a power loss can leave half-written over zeros: replay takes
 * damage within that much of a zero tail for a torn write, not corruption ({@link LogReader}).
 *
 * <p>Between group commits the writer gives {@link Compaction} its turn: to start one (a snapshot
 * of the links, taken while nothing is half-published) and to finish one (the last records
 * copied, the new file renamed into place, and appending moved to it), so that both happen at a
 * point where the file and the index agree.
 */
final class LogWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.writer");
    /** How often an idle writer looks up to notice a stop, a due flush or a compaction's turn. */
    private static final long IDLE_POLL_MILLIS = 50;
    /**
     * After taking a batch while adds come in concurrently, the writer waits this long for the
     * adds already on their way before it writes and forces, as PostgreSQL's commit_delay does.
     * Measured with 64 clients on one server core: durable batches grew from 33 to 62 records,
     * adds/s rose by about 15% and CPU per add fell by a fifth (a force costs CPU in the kernel,
     * not only time); p50 latency fell as well. A lone client (batches of one) never waits.
     */
    static final long GATHER_NANOS = 100_000;
    /**
     * After handing a group commit's answers over, the writer waits up to this long for them to
     * have run before it takes the next batch. Each client sends its next add only once answered,
     * so a writer that went straight on took the adds of the few clients not in the last commit:
     * measured with 64 clients on one core, commits shrank from ~56 adds to ~20 and forces tripled
     * (BENCHMARKS.md, "Durable adds"). Waiting for the answers, as the writer did when it wrote
     * them itself, keeps commits as large; the bound only matters when the answering thread stalls.
     */
    static final long ANSWERED_WAIT_NANOS = 2_000_000;
    /** Records written per write call at most; bounds the buffer, not the batch. */
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    /**
     * Bytes written and not yet forced, at most: a write that would pass it is preceded by a
     * force (only a group commit larger than the buffer, or async mode's writes between its
     * flushes, ever get there). Replay relies on it to tell a write cut short over preallocated
     * zeros from damage ({@link LogReader}).
     */
    static final int MAX_UNFORCED_BYTES = WRITE_BUFFER_BYTES;
    /** Async mode reserves keys this many at a time, renewing when half are used. */
    static final long KEYS_PER_RESERVATION = 1 << 16;

    /**
     * A change that is not a link's, written in the group commit like one and always forced before
     * it is acknowledged: an API key's ({@link LogApiKeys.Write}) or the not-found redirects'.
     */
    interface SideWrite {
        long timeMillis();

        int frameBytes();

        void encode(ByteBuffer out, CRC32C crc);

        /** On the writer thread, once the record is forced: readers see the change, then its future completes. */
        void publish();

        /** What the change adds to the bytes a compacted file takes (negative when it takes less). */
        long liveBytesDelta();

        void fail(RuntimeException why);
    }

    /**
     * One plan on its way to disk, with the time its edits and deletes are recorded at; or, with
     * a null plan, one change that is not a link's ({@code keys}: an API key's or the not-found
     * redirects') or one counted visit of a link with maxVisits ({@code visit}).
     */
    record Pending(LinkState.Plan plan, long timeMillis, SideWrite keys, CountedVisit visit) {
        Pending(LinkState.Plan plan, long timeMillis) {
            this(plan, timeMillis, null, null);
        }

        static Pending of(SideWrite keys) {
            return new Pending(null, keys.timeMillis(), keys, null);
        }

        static Pending of(CountedVisit visit, long timeMillis) {
            return new Pending(null, timeMillis, null, visit);
        }

        /** Fails this change: nothing of it was kept (a counted visit's reservation is released). */
        void abandon(LinkState state, StoreFailedException why) {
            if (keys != null) {
                keys.fail(why);
            } else if (visit != null) {
                state.visitCounts().release(visit.link());
                visit.done().completeExceptionally(why);
            } else {
                state.abandon(plan, why);
            }
        }
    }

    /**
     * A visit of {@code link} reserved against its maxVisits: {@code done} completes with true
     * once its record is forced, in either durability mode (the count decides redirects, so it is
     * never acknowledged before it is on disk), or exceptionally, the reservation released.
     */
    record CountedVisit(Link link, CompletableFuture<Boolean> done) {}

    /** Queued by {@link #stop} so that an idle writer ends at once, not at its next poll. */
    private static final Pending WAKE_UP = new Pending(null, 0);

    private volatile FileChannel channel;
    private final Path file;
    private final ArrayBlockingQueue<Pending> queue;
    private final LinkState state;
    private final boolean durable;
    private final long flushIntervalNanos;
    private final Clock clock;
    private final CommitObserver observer;
    private final Admission keys;
    private final AtomicLong liveBytes;
    /** A command's store: a failure is the command's to report (see {@link LogLinkStore.Options#command}). */
    private final boolean command;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final Thread thread;
    private Compaction compaction;
    private Preallocation preallocation = Preallocation.off();
    /** Bytes written since the last force. */
    private long unforcedBytes;

    private volatile String failure;
    private volatile boolean stopping;
    private volatile long end;
    private boolean unforced;
    private int previousBatchSize;
    private long lastForceNanos = System.nanoTime();
    private volatile List<Pending> inFlight = List.of();
    /** Where a group commit's answers run, handed over as one task per commit; at first on this thread. */
    private volatile Executor answers = Runnable::run;
    /** True from a commit's hand-off until its answers have run. */
    private volatile boolean answering;

    /** The store's side of the queue: its key reservations, and the lock that admits changes. */
    interface Admission {
        long reservedThrough();

        void reserved(long through);

        /** The lock under which changes are admitted; failing under it means none slips past. */
        Object lock();
    }

    LogWriter(FileChannel channel, long end, Path file, ArrayBlockingQueue<Pending> queue, LinkState state, boolean durable,
              Duration flushInterval, Clock clock, CommitObserver observer, Admission keys, AtomicLong liveBytes, boolean command) {
        this.channel = channel;
        this.end = end;
        this.file = file;
        this.queue = queue;
        this.state = state;
        this.durable = durable;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.clock = clock;
        this.observer = observer;
        this.keys = keys;
        this.liveBytes = liveBytes;
        this.command = command;
        this.thread = new Thread(this, "goto-writer");
    }

    void compaction(Compaction owner) {
        this.compaction = owner;
    }

    /** Before start: the file is extended ahead of this writer by {@code owner}. */
    void preallocation(Preallocation owner) {
        this.preallocation = owner;
        owner.writer(this::end);
    }

    /** From now on runs each group commit's answers through {@code executor}, one task per commit. */
    void answerOn(Executor executor) {
        this.answers = java.util.Objects.requireNonNull(executor, "executor");
    }

    void start() {
        thread.start();
    }

    /** Why writing stopped, or null while it works. */
    String failure() {
        return failure;
    }

    /** Bytes in the data file that are written (not necessarily forced). */
    long end() {
        return end;
    }

    /** Writes and forces a key reservation up to {@code through}; before start, or on this thread. */
    void reserveKeys(long through) throws IOException {
        out.clear();
        LogFormat.putReservation(out, crc, clock.millis(), through);
        writeOut();
        channel.force(false);
        unforced = false;
        unforcedBytes = 0;
        keys.reserved(through);
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        try {
            while (!(stopping && queue.isEmpty())) {
                Pending first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE_UP) {
                    forceIfDue();
                    compactionTurn();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                if (previousBatchSize > 1) {
                    LockSupport.parkNanos(GATHER_NANOS);
                    queue.drainTo(batch);
                }
                previousBatchSize = batch.size();
                batch.removeIf(pending -> pending == WAKE_UP);
                commit(batch);
                batch.clear();
                awaitAnswers();
                forceIfDue();
                renewReservationIfLow();
                compactionTurn();
            }
            if (unforced) {
                force();
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            abandoned(batch, e instanceof InterruptedException);
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            fail(batch, e);
        } finally {
            if (compaction != null) {
                compaction.writerEnded();
            }
        }
    }

    private void compactionTurn() throws IOException {
        if (compaction != null && !stopping) {
            compaction.writerTurn(this);
        }
    }

    private void commit(List<Pending> batch) throws IOException {
        inFlight = batch;
        out.clear();
        boolean forceNow = false;
        for (Pending pending : batch) {
            if (pending.keys() != null) {
                room(pending.keys().frameBytes());
                pending.keys().encode(out, crc);
                forceNow = true;
            } else {
                encode(pending);
                forceNow |= pending.visit() != null;
            }
        }
        writeOut();
        // An API-key change and a counted visit are forced before they are acknowledged even in
        // async mode: a key printed once and then lost to a crash would leave its owner locked
        // out, and a visit count decides redirects.
        if (durable || forceNow) {
            force();
        } else {
            unforced = true;
        }
        preallocation.wrote(end);
        // Counted before the answers go out: a client that reads the metrics after its answer
        // sees its own group commit there.
        observer.committed(batch.size());
        List<Pending> kept = null;
        for (Pending pending : batch) {
            if (pending.keys() != null) {
                pending.keys().publish();
                liveBytes.addAndGet(pending.keys().liveBytesDelta());
            } else if (pending.visit() != null) {
                Link link = pending.visit().link();
                state.visitCounts().kept(link.shortCode(), link.dateCreated().toEpochMilli());
                kept = answerLater(kept, pending, batch.size());
            } else {
                if (durable) {
                    state.reveal(pending.plan());
                    kept = answerLater(kept, pending, batch.size());
                }
                account(pending.plan());
            }
        }
        inFlight = List.of();
        if (kept != null) {
            // Everything kept is visible to every reader before the first answer goes out.
            List<Pending> answered = kept;
            answering = true;
            answers.execute(() -> {
                try {
                    acknowledge(answered);
                } finally {
                    answering = false;
                    LockSupport.unpark(thread);
                }
            });
        }
    }

    /** Waits, at most {@link #ANSWERED_WAIT_NANOS}, for the last commit's answers to have run. */
    private void awaitAnswers() {
        long deadline = System.nanoTime() + ANSWERED_WAIT_NANOS;
        for (long left = ANSWERED_WAIT_NANOS; answering && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private static List<Pending> answerLater(List<Pending> kept, Pending pending, int batchSize) {
        List<Pending> list = kept != null ? kept : new ArrayList<>(batchSize);
        list.add(pending);
        return list;
    }

    /** Completes the futures of a group commit's kept changes, which runs their callers' answers. */
    private static void acknowledge(List<Pending> kept) {
        for (Pending pending : kept) {
            if (pending.visit() != null) {
                pending.visit().done().complete(true);
            } else {
                pending.plan().acknowledge();
            }
        }
    }

    private void encode(Pending pending) throws IOException {
        if (pending.visit() != null) {
            Link link = pending.visit().link();
            room(VisitRecords.frameBytes(link.shortCode()));
            VisitRecords.putVisit(out, crc, pending.timeMillis(), link.shortCode(), link.dateCreated().toEpochMilli());
            return;
        }
        List<LinkState.Change> writes = pending.plan().writes();
        if (writes.size() > 1) {
            room(LogFormat.FRAME_BYTES + LogFormat.BATCH_BYTES);
            LogFormat.putBatch(out, crc, writes.size());
        }
        for (LinkState.Change change : writes) {
            if (change.after() == null) {
                room(LinkRecords.deleteFrameBytes(change.before().shortCode()));
                LinkRecords.putDelete(out, crc, pending.timeMillis(), change.before().shortCode());
            } else if (change.before() == null && change.counter() >= 0 && change.after().isPlain()) {
                room(LogFormat.linkFrameBytes(change.after().shortCode(), change.after().longUrl()));
                LogFormat.putLink(out, crc, change.after().dateCreated().toEpochMilli(), change.after().shortCode(),
                        change.after().longUrl());
            } else if (change.before() != null && !change.before().redirectRules().equals(change.after().redirectRules())) {
                // New redirect rules: their own record. No change sets them together with other fields.
                room(RuleRecords.frameBytes(change.after().shortCode(), change.after().redirectRules()));
                RuleRecords.put(out, crc, pending.timeMillis(), change.after().shortCode(), change.after().redirectRules());
            } else {
                room(LinkRecords.fieldsFrameBytes(change.after()));
                boolean create = change.before() == null;
                LinkRecords.putFields(out, crc, create ? LogFormat.LINK_FIELDS : LogFormat.EDIT,
                        create ? change.after().dateCreated().toEpochMilli() : pending.timeMillis(), change.after());
            }
        }
    }

    /** Makes room for a record of {@code bytes} in the buffer, writing out what it holds if needed. */
    private void room(int bytes) throws IOException {
        if (out.remaining() < bytes) {
            writeOut();
            out.clear();
        }
    }

    /** Keeps the count of live bytes, which tells when a compaction is due. */
    private void account(LinkState.Plan plan) {
        long delta = 0;
        for (LinkState.Change change : plan.writes()) {
            if (change.before() != null) {
                delta -= Replay.frameBytes(change.before(), change.counter());
            }
            if (change.after() != null) {
                delta += Replay.frameBytes(change.after(), change.counter());
            }
        }
        liveBytes.addAndGet(delta);
    }

    private void writeOut() throws IOException {
        out.flip();
        if (unforcedBytes > 0 && unforcedBytes + out.remaining() > MAX_UNFORCED_BYTES) {
            force();
        }
        unforcedBytes += out.remaining();
        if (end + out.remaining() <= preallocation.zeroedEnd()) {
            while (out.hasRemaining()) {
                end += channel.write(out); // over zeros already forced: no slice of them can be under way here
            }
            return;
        }
        synchronized (preallocation) {
            while (out.hasRemaining()) {
                end += channel.write(out);
            }
        }
    }

    private void force() throws IOException {
        long start = System.nanoTime();
        channel.force(false);
        long now = System.nanoTime();
        lastForceNanos = now;
        unforced = false;
        unforcedBytes = 0;
        observer.forced(now - start);
    }

    private void forceIfDue() throws IOException {
        if (unforced && System.nanoTime() - lastForceNanos >= flushIntervalNanos) {
            force();
        }
    }

    private void renewReservationIfLow() throws IOException {
        if (!durable && keys.reservedThrough() - state.nextCounter() < KEYS_PER_RESERVATION / 2) {
            reserveKeys(state.nextCounter() + KEYS_PER_RESERVATION);
        }
    }

    // ---- for compaction, on this thread ----

    /**
     * Makes the file hold everything the index does, under the admission lock (the caller holds
     * it): in async mode, plans are published when queued, so what is queued is written now.
     */
    void writeQueuedForSnapshot() throws IOException {
        if (durable) {
            return; // published only after written: the file already holds all the index does
        }
        List<Pending> queued = new ArrayList<>();
        queue.drainTo(queued);
        queued.removeIf(pending -> pending == WAKE_UP);
        if (!queued.isEmpty()) {
            commit(queued);
        }
    }

    /** Appends to {@code next}, a compacted file holding all this writer wrote, from now on. */
    void switchTo(FileChannel next, long nextEnd) {
        synchronized (preallocation) { // no slice of zeros starts between the two
            preallocation.switchTo(next, nextEnd);
            channel = next;
            end = nextEnd;
        }
        unforced = false;
        unforcedBytes = 0;
    }

    boolean isDurable() {
        return durable;
    }

    /** Ends writing for good: every waiting change fails, and the store refuses new ones. */
    private void fail(List<Pending> batch, Throwable cause) {
        List<Pending> lost = new ArrayList<>(batch);
        if (lost.isEmpty()) {
            lost.addAll(inFlight);
        }
        synchronized (keys.lock()) {
            failure = "writing " + file + " failed: " + cause;
            queue.drainTo(lost);
        }
        lost.removeIf(pending -> pending == WAKE_UP);
        StoreFailedException refusal = new StoreFailedException(failure, cause);
        for (Pending pending : lost) {
            pending.abandon(state, refusal);
        }
        // A disk's error needs no stack trace; a fault inside goto does.
        Throwable trace = cause instanceof java.io.IOException ? null : cause;
        if (command && trace == null) {
            // A command's store: the command tells its user what failed and what to do, in one line.
            LOG.debug("{}: {} waiting changes refused", failure, lost.size());
            return;
        }
        if (durable) {
            LOG.error("{}. goto stops storing links: {} waiting changes were refused (none had been acknowledged);"
                    + " redirects go on from memory. Fix the disk and restart goto.", failure, lost.size(), trace);
        } else {
            LOG.error("{}. goto stops storing links: {} acknowledged changes (async mode) may not be on disk;"
                    + " redirects go on from memory. Fix the disk and restart goto.", failure, lost.size(), trace);
        }
    }

    /**
     * {@link #abandon} interrupted the writer because the stop deadline passed. That is not a disk
     * failure: the changes it had not written fail (unacknowledged ones were never answered), and,
     * if the channel is still open, what was written is forced, since async mode acknowledged it.
     */
    private void abandoned(List<Pending> batch, boolean channelOpen) {
        List<Pending> unwritten = new ArrayList<>(batch.isEmpty() ? inFlight : batch);
        queue.drainTo(unwritten);
        unwritten.removeIf(pending -> pending == WAKE_UP);
        StoreFailedException refusal = new StoreFailedException("goto stopped before this change was written", null);
        for (Pending pending : unwritten) {
            pending.abandon(state, refusal);
        }
        if (unforced && channelOpen) {
            try {
                force();
            } catch (IOException e) {
                fail(List.of(), e);
                return;
            }
        }
        if (!unwritten.isEmpty()) {
            LOG.warn("the writer was stopped at the deadline with {} changes not written to {}", unwritten.size(), file);
        }
    }

    /** Asks the writer to finish what is queued and end; new changes must already be refused. */
    void stop() {
        stopping = true;
        queue.offer(WAKE_UP); // a full queue needs no wake-up: the writer is busy draining it
    }

    /** Waits for the writer to end; false if it is still running at the deadline. */
    boolean await(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Gives up on a writer that missed its deadline; returns how many changes it had not finished. */
    int abandon() throws InterruptedException {
        int unfinished = (int) queue.stream().filter(pending -> pending != WAKE_UP).count() + inFlight.size();
        thread.interrupt();
        thread.join(1_000);
        return unfinished;
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
