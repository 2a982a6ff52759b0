package gotourl.store.log;

import gotourl.store.LinkIndex;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the data file ({@code goto-writer}), with group commit.
 *
 * <p>Design note. Requests never touch the disk: an add is queued (bounded) and this thread
 * takes every record waiting, encodes them into one buffer, writes them in one go, and then:
 * <ul>
 *   <li>durable mode: forces the file once (fdatasync), then publishes the links to the index,
 *       then completes each add. An add is acknowledged only after its record is on disk, so a
 *       crash at any point loses no acknowledged link; at worst a record that was written but not
 *       yet acknowledged survives (its client saw an error and may add again).</li>
 *   <li>async mode: the links were published and acknowledged when queued; this thread writes
 *       them and forces the file every flush interval and at stop. A process crash loses what
 *       was queued or written but not forced; an OS crash or power loss also what was written
 *       since the last force. Keys are never reused even then: before handing out keys in async
 *       mode, a key reservation record is forced, and a restart resumes after it.</li>
 * </ul>
 * A failed write or force is fatal to writing (the OS may have dropped the data, and a retry
 * could acknowledge a link that is not on disk): every waiting add fails, the store refuses new
 * ones, the thread ends, and {@link #failure()} says why. Lookups go on from memory.
 */
final class LogWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.writer");
    /** How often an idle writer looks up to notice a stop or a due flush. */
    private static final long IDLE_POLL_MILLIS = 50;
    /**
     * After taking a batch while adds come in concurrently, the writer waits this long for the
     * adds already on their way before it writes and forces, as PostgreSQL's commit_delay does.
     * Measured with 64 clients on one server core: durable batches grew from 33 to 62 records,
     * adds/s rose by about 15% and CPU per add fell by a fifth (a force costs CPU in the kernel,
     * not only time); p50 latency fell as well. A lone client (batches of one) never waits.
     */
    static final long GATHER_NANOS = 100_000;
    /** Records written per write call at most; bounds the buffer, not the batch. */
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    /** Async mode reserves keys this many at a time, renewing when half are used. */
    static final long KEYS_PER_RESERVATION = 1 << 16;

    /** One add on its way to disk. */
    record Pending(long counter, String key, String url, long createdMillis, java.util.concurrent.CompletableFuture<String> done) {}

    /** Queued by {@link #stop} so that an idle writer ends at once, not at its next poll. */
    private static final Pending WAKE_UP = new Pending(-1, "", "", 0, new java.util.concurrent.CompletableFuture<>());

    private final FileChannel channel;
    private final Path file;
    private final ArrayBlockingQueue<Pending> queue;
    private final LinkIndex index;
    private final boolean durable;
    private final long flushIntervalNanos;
    private final Clock clock;
    private final CommitObserver observer;
    private final Admission keys;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final Thread thread;

    private volatile String failure;
    private volatile boolean stopping;
    private boolean unforced;
    private int previousBatchSize;
    private long lastForceNanos = System.nanoTime();
    private volatile List<Pending> inFlight = List.of();

    /** The store's side of the queue: its key counter, and the lock that admits adds. */
    interface Admission {
        long next();

        long reservedThrough();

        void reserved(long through);

        /** The lock under which adds are admitted; failing under it means no add slips past. */
        Object lock();
    }

    LogWriter(FileChannel channel, Path file, ArrayBlockingQueue<Pending> queue, LinkIndex index, boolean durable,
              Duration flushInterval, Clock clock, CommitObserver observer, Admission keys) {
        this.channel = channel;
        this.file = file;
        this.queue = queue;
        this.index = index;
        this.durable = durable;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.clock = clock;
        this.observer = observer;
        this.keys = keys;
        this.thread = new Thread(this, "goto-writer");
    }

    void start() {
        thread.start();
    }

    /** Why writing stopped, or null while it works. */
    String failure() {
        return failure;
    }

    /** Writes and forces a key reservation up to {@code through}; before start, or on this thread. */
    void reserveKeys(long through) throws IOException {
        out.clear();
        LogFormat.putReservation(out, crc, clock.millis(), through);
        writeOut();
        channel.force(false);
        unforced = false;
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
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                if (previousBatchSize > 1) {
                    LockSupport.parkNanos(GATHER_NANOS);
                    queue.drainTo(batch);
                }
                previousBatchSize = batch.size();
                batch.removeIf(add -> add == WAKE_UP);
                commit(batch);
                batch.clear();
                forceIfDue();
                renewReservationIfLow();
            }
            if (unforced) {
                force();
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            abandoned(batch, e instanceof InterruptedException);
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            fail(batch, e);
        }
    }

    private void commit(List<Pending> batch) throws IOException {
        inFlight = batch;
        out.clear();
        for (Pending add : batch) {
            if (out.remaining() < LogFormat.linkFrameBytes(add.key(), add.url())) {
                writeOut();
                out.clear();
            }
            LogFormat.putLink(out, crc, add.createdMillis(), add.key(), add.url());
        }
        writeOut();
        if (durable) {
            force();
            for (Pending add : batch) {
                index.put(add.counter(), add.url());
            }
            for (Pending add : batch) {
                add.done().complete(add.key());
            }
        } else {
            unforced = true;
        }
        inFlight = List.of();
        observer.committed(batch.size());
    }

    private void writeOut() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private void force() throws IOException {
        long start = System.nanoTime();
        channel.force(false);
        long end = System.nanoTime();
        lastForceNanos = end;
        unforced = false;
        observer.forced(end - start);
    }

    private void forceIfDue() throws IOException {
        if (unforced && System.nanoTime() - lastForceNanos >= flushIntervalNanos) {
            force();
        }
    }

    private void renewReservationIfLow() throws IOException {
        if (!durable && keys.reservedThrough() - keys.next() < KEYS_PER_RESERVATION / 2) {
            reserveKeys(keys.next() + KEYS_PER_RESERVATION);
        }
    }

    /** Ends writing for good: every waiting add fails, and the store refuses new ones. */
    private void fail(List<Pending> batch, Throwable cause) {
        List<Pending> lost = new ArrayList<>(batch);
        if (lost.isEmpty()) {
            lost.addAll(inFlight);
        }
        synchronized (keys.lock()) {
            failure = "writing " + file + " failed: " + cause;
            queue.drainTo(lost);
        }
        lost.removeIf(add -> add == WAKE_UP);
        StoreFailedException refusal = new StoreFailedException(failure, cause);
        for (Pending add : lost) {
            add.done().completeExceptionally(refusal);
        }
        if (durable) {
            LOG.error("{}. goto stops storing links: {} waiting adds were refused (none had been acknowledged);"
                    + " redirects go on from memory. Fix the disk and restart goto.", failure, lost.size(), cause);
        } else {
            LOG.error("{}. goto stops storing links: {} acknowledged adds (async mode) may not be on disk;"
                    + " redirects go on from memory. Fix the disk and restart goto.", failure, lost.size(), cause);
        }
    }

    /**
     * {@link #abandon} interrupted the writer because the stop deadline passed. That is not a disk
     * failure: the adds it had not written fail (unacknowledged ones were never answered), and,
     * if the channel is still open, what was written is forced, since async mode acknowledged it.
     */
    private void abandoned(List<Pending> batch, boolean channelOpen) {
        List<Pending> unwritten = new ArrayList<>(batch.isEmpty() ? inFlight : batch);
        queue.drainTo(unwritten);
        unwritten.removeIf(add -> add == WAKE_UP);
        StoreFailedException refusal = new StoreFailedException("goto stopped before this add was written", null);
        for (Pending add : unwritten) {
            add.done().completeExceptionally(refusal);
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
            LOG.warn("the writer was stopped at the deadline with {} adds not written to {}", unwritten.size(), file);
        }
    }

    /** Asks the writer to finish what is queued and end; new adds must already be refused. */
    void stop() {
        stopping = true;
        queue.offer(WAKE_UP); // a full queue needs no wake-up: the writer is busy draining it
    }

    /** Waits for the writer to end; false if it is still running at the deadline. */
    boolean await(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Gives up on a writer that missed its deadline; returns how many adds it had not finished. */
    int abandon() throws InterruptedException {
        int unfinished = (int) queue.stream().filter(add -> add != WAKE_UP).count() + inFlight.size();
        thread.interrupt();
        thread.join(1_000);
        return unfinished;
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
