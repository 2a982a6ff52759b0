package gotourl.store.log;

import gotourl.files.OwnerOnly;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online compaction: rewrites the live links into a new data file while goto serves and takes
 * changes, then renames it over the old one. Owns one thread, {@code goto-compactor}.
 *
 * <p>Design note. Edits and deletes leave dead records; compaction writes one record per live
 * link instead. Its steps, and why a crash at any of them leaves exactly what was acknowledged:
 * <ol>
 *   <li>The writer, between group commits, takes a snapshot of the links ({@link LinkState#beginSnapshot})
 *       and notes how many bytes of the old file it has written: the snapshot holds exactly those
 *       records' effect.</li>
 *   <li>This thread writes the snapshot to {@code FILE.compacting} (a header, one record per link,
 *       the freed codes, one record per API key, a key reservation for the counter), then copies the old file's records
 *       written since, as they are, and forces the new file. The writer meanwhile appends and
 *       acknowledges on the old file, which stays the data file: a crash now leaves it whole, and
 *       the next start deletes the unfinished new file.</li>
 *   <li>The writer, between group commits, copies the last records, forces the new file, renames
 *       it over the old one (atomic: the data file is the old one or the new one, both complete),
 *       forces the directory so the rename survives a power loss, and only then appends and
 *       acknowledges on the new file.</li>
 * </ol>
 * A failure before the rename (a full disk) abandons the new file and leaves the old one in use;
 * compaction is tried again after {@link #RETRY_AFTER}. Nothing here can lose an acknowledged
 * change; what it can lose is the work of a compaction cut short.
 *
 * <p>When: dead bytes (the file minus what its live links take) reach the live bytes, i.e. the
 * file is twice its compacted size, and at least {@link #DEFAULT_MIN_DEAD_BYTES}. Start time grows
 * with the file, so it is bounded by twice that of a compacted file; each compaction rewrites at
 * most as many bytes as had died since the last, so the disk writes stay within twice what the
 * changes themselves wrote. BENCHMARKS.md has what it costs.
 */
final class Compaction implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.compaction");
    /**
     * Below this many dead bytes compaction is not worth a file rewrite: replaying 8 MiB takes
     * ~40 ms at the ~200 MB/s replay measured at start (BENCHMARKS.md).
     */
    static final long DEFAULT_MIN_DEAD_BYTES = 8L << 20;
    /** After a failed compaction, the next is not tried before this. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);
    /** The writer takes over the tail copy once this little is left (a few group commits' worth). */
    private static final long FINAL_COPY_BYTES = 256 * 1024;
    private static final int BUFFER_BYTES = 1 << 20;

    /** A point in a compaction, for tests that crash or fail it there. */
    enum Step { SNAPSHOT_TAKEN, BASE_WRITTEN, BASE_FORCED, TAIL_COPIED, BEFORE_RENAME, AFTER_RENAME, DIRECTORY_FORCED }

    /** Called at each {@link Step}; may block, or throw to fail the compaction there. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = (step, file) -> {};

        void at(Step step, Path compacting) throws IOException;
    }

    private enum Phase { IDLE, COPYING, SWITCH_WANTED, STOPPED }

    private final Path target;
    private final Path temporary;
    private final LinkState state;
    private final AtomicLong liveBytes;
    private final UnaryOperator<FileChannel> wrap;
    private final Clock clock;
    private final Hook hook;
    private final long minDeadBytes;
    private final LogWriter.Admission keys;
    private final CommitObserver observer;
    private final LogApiKeys apiKeys;
    /** A command's store: a failed compaction is the command's to report, and none follows it. */
    private final boolean command;
    private final Thread thread;

    // Guarded by this.
    private Phase phase = Phase.IDLE;
    private CompletableFuture<CompactionResult> requested;
    private CompletableFuture<CompactionResult> running;
    private Instant retryAt = Instant.MIN;
    private volatile LogFile log;
    /** Whether a compaction has replaced the data file since it was opened. */
    private volatile boolean renamed;
    private LinkState.Snapshot snapshot;
    private long snapshotEnd;
    private long liveAtSnapshot;
    private long baseBytes;
    private long reservedAtSnapshot;
    /** The API keys as published when the snapshot was taken: exactly those in the file up to {@link #snapshotEnd}. */
    private gotourl.apikey.ApiKeyTable apiKeysAtSnapshot;
    private FileChannel compacting;
    /** {@link #compacting} as goto writes through it (wrapped, as every channel goto writes). */
    private FileChannel compactingOut;
    private FileLock compactingLock;
    private long copied;
    private long startNanos;
    private long links;

    Compaction(LogFile log, LinkState state, AtomicLong liveBytes, UnaryOperator<FileChannel> wrap, Clock clock, Hook hook,
               long minDeadBytes, LogWriter.Admission keys, CommitObserver observer, LogApiKeys apiKeys, boolean command) throws IOException {
        this.log = log;
        this.target = log.file().toRealPath();
        this.temporary = LogFile.temporary(target);
        this.state = state;
        this.liveBytes = liveBytes;
        this.wrap = wrap;
        this.clock = clock;
        this.hook = hook;
        this.minDeadBytes = minDeadBytes;
        this.keys = keys;
        this.observer = observer;
        this.apiKeys = apiKeys;
        this.command = command;
        this.thread = new Thread(this, "goto-compactor");
    }

    void start() {
        thread.start();
    }

    /** The data file as it is now: after a compaction, the new one. */
    LogFile log() {
        return log;
    }

    /** Asks for a compaction now; completes when it is done (or exceptionally when it fails). */
    synchronized CompletableFuture<CompactionResult> request() {
        if (phase == Phase.STOPPED) {
            return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
        }
        if (running != null) {
            return running;
        }
        if (requested == null) {
            requested = new CompletableFuture<>();
        }
        return requested;
    }

    /** Whether the file has enough dead bytes to be worth compacting. */
    boolean due(long fileBytes) {
        long live = liveBytes.get();
        long dead = fileBytes - LogFormat.HEADER_BYTES - live;
        return dead >= Math.max(live, minDeadBytes);
    }

    // ---- the writer's turn, on its thread between group commits ----

    void writerTurn(LogWriter writer) throws IOException {
        Phase now;
        synchronized (this) {
            now = phase;
        }
        if (now == Phase.IDLE) {
            boolean wanted;
            synchronized (this) {
                wanted = requested != null || (due(writer.end()) && !clock.instant().isBefore(retryAt));
            }
            if (wanted) {
                begin(writer);
            }
        } else if (now == Phase.SWITCH_WANTED) {
            finish(writer);
        }
    }

    private void begin(LogWriter writer) throws IOException {
        synchronized (keys.lock()) {
            writer.writeQueuedForSnapshot();
            synchronized (this) {
                running = requested != null ? requested : new CompletableFuture<>();
                requested = null;
                snapshot = state.beginSnapshot();
                snapshotEnd = writer.end();
                liveAtSnapshot = liveBytes.get();
                reservedAtSnapshot = keys.reservedThrough();
                // Key changes are published by this thread once written, so between group commits
                // the published keys are exactly those the file holds.
                apiKeysAtSnapshot = apiKeys.published();
                startNanos = System.nanoTime();
                phase = Phase.COPYING;
                notifyAll();
            }
        }
    }

    private void finish(LogWriter writer) {
        CompactionResult result;
        try {
            copyTail(writer.end());
            compactingOut.force(false);
            hook.at(Step.BEFORE_RENAME, temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            abandon(e);
            return;
        }
        // Renamed: the data file is the new one. Until the directory is forced, a power loss may
        // bring back the old name's file, which holds everything too: nothing is acknowledged on
        // the new file before the force.
        long before = writer.end();
        try {
            hook.at(Step.AFTER_RENAME, target);
            LogFile.forceDirectory(target.getParent());
            hook.at(Step.DIRECTORY_FORCED, target);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: after compacting, forcing its directory failed ({}); the file is complete either way", target, e.toString());
        }
        // The index image was of the old file: it cannot match the new one; removed so that no start reads it.
        try {
            Files.deleteIfExists(IndexImage.path(log.file()));
        } catch (IOException e) {
            LOG.warn("{}: could not delete its index image after compacting ({}); a start will find it does not match", target,
                    e.toString());
        }
        renamed = true;
        LogFile old = log;
        long newEnd;
        try {
            newEnd = compacting.size();
            compacting.position(newEnd);
        } catch (IOException e) {
            // The file is in place and complete; without its size the writer cannot go on safely.
            throw new IllegalStateException("the compacted file " + target + " cannot be read back: " + e, e);
        }
        writer.switchTo(compactingOut, newEnd);
        log = old.replacedBy(compacting, compactingLock);
        closeQuietly(old);
        state.endSnapshot();
        // The base is exact: the live bytes are what it holds plus what changed since the snapshot.
        liveBytes.addAndGet(baseBytes - LogFormat.HEADER_BYTES - liveAtSnapshot);
        CompletableFuture<CompactionResult> done;
        synchronized (this) {
            result = new CompactionResult(before, newEnd, links, Duration.ofNanos(System.nanoTime() - startNanos));
            done = running;
            reset(Phase.IDLE);
        }
        LOG.info("{}", result.describe(target));
        // Observers (metrics) first: whoever waits on the compaction then reads counts that include it.
        observer.compacted(result);
        done.complete(result);
    }

    /** The writer ended (stopped or failed): a compaction in progress is abandoned, the thread ends. */
    void writerEnded() {
        synchronized (this) {
            if (phase == Phase.COPYING || phase == Phase.SWITCH_WANTED) {
                abandonLocked(new IOException("the writer stopped before the compaction finished"));
            }
            if (requested != null) {
                requested.completeExceptionally(new IOException("the store stopped before the compaction began"));
                requested = null;
            }
            phase = Phase.STOPPED;
            notifyAll();
        }
    }

    /** Whether a compaction has replaced the data file since this store opened it. */
    boolean renamed() {
        return renamed;
    }

    /** Whether the compactor thread still runs. */
    boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits for the compactor thread to end after {@link #writerEnded}. */
    void await(Duration timeout) throws InterruptedException {
        synchronized (this) {
            phase = Phase.STOPPED;
            notifyAll();
        }
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            LOG.warn("the compactor did not stop within {}", timeout);
            thread.interrupt();
        }
    }

    // ---- the compactor thread ----

    @Override
    public void run() {
        while (true) {
            synchronized (this) {
                while (phase != Phase.COPYING && phase != Phase.STOPPED) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (phase == Phase.STOPPED) {
                    return;
                }
            }
            try {
                hook.at(Step.SNAPSHOT_TAKEN, temporary);
                writeBase();
                hook.at(Step.BASE_WRITTEN, temporary);
                compactingOut.force(false);
                hook.at(Step.BASE_FORCED, temporary);
                long writerEnd;
                do {
                    writerEnd = currentWriterEnd();
                    copyTail(writerEnd);
                } while (currentWriterEnd() - copied > FINAL_COPY_BYTES && stillCopying());
                compactingOut.force(false);
                hook.at(Step.TAIL_COPIED, temporary);
                synchronized (this) {
                    if (phase == Phase.COPYING) {
                        phase = Phase.SWITCH_WANTED;
                    }
                }
            } catch (IOException | RuntimeException e) {
                abandon(e);
            }
        }
    }

    private volatile LogWriter writerForEnd;

    void writer(LogWriter writer) {
        this.writerForEnd = writer;
    }

    private long currentWriterEnd() {
        return writerForEnd.end();
    }

    private synchronized boolean stillCopying() {
        return phase == Phase.COPYING;
    }

    private void writeBase() throws IOException {
        // Made 0600, then given the data file's own mode (which the new file takes over) before a byte is written.
        FileChannel raw = OwnerOnly.fresh(temporary, StandardOpenOption.READ);
        try {
            FileLock lock = raw.tryLock();
            if (lock == null) {
                throw new IOException(temporary + " is locked by another process");
            }
            OwnerOnly.keepPermissions(target, temporary);
            synchronized (this) {
                compacting = raw;
                compactingOut = wrap.apply(raw);
                compactingLock = lock;
            }
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        links = SnapshotFile.write(state, snapshot, apiKeysAtSnapshot, Math.max(snapshot.nextCounter(), reservedAtSnapshot), compactingOut, clock.millis());
        baseBytes = raw.size();
        copied = snapshotEnd;
    }

    /** Copies the old file's records from {@link #copied} up to {@code until}, unchanged. */
    private void copyTail(long until) throws IOException {
        FileChannel from = log.channel();
        FileChannel to = compactingOut;
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_BYTES, Math.max(1, until - copied)));
        while (copied < until) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), until - copied));
            int read = from.read(buffer, copied);
            if (read < 0) {
                throw new IOException("the data file ended at " + copied + " before the " + until + " bytes written");
            }
            buffer.flip();
            long at = compacting.size();
            while (buffer.hasRemaining()) {
                at += to.write(buffer, at);
            }
            copied += read;
        }
    }

    private void abandon(Throwable why) {
        synchronized (this) {
            abandonLocked(why);
        }
    }

    private void abandonLocked(Throwable why) {
        if (phase != Phase.COPYING && phase != Phase.SWITCH_WANTED) {
            return;
        }
        state.endSnapshot();
        try {
            if (compacting != null) {
                compacting.close();
            }
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            LOG.warn("{}: could not remove the unfinished {}: {}", target, temporary, e.toString());
        }
        retryAt = clock.instant().plus(RETRY_AFTER);
        CompletableFuture<CompactionResult> failed = running;
        reset(phase == Phase.STOPPED ? Phase.STOPPED : Phase.IDLE);
        if (command) {
            LOG.debug("{}: compaction failed, the data file is unchanged: {}", target, why.toString());
        } else if (minDeadBytes == Long.MAX_VALUE) {
            // Compacting by itself is off: nothing will try again unless asked.
            LOG.warn("{}: compaction failed, the data file is unchanged and in use: {}", target, why.toString());
        } else {
            LOG.warn("{}: compaction abandoned, the data file is unchanged and in use (next try in {}): {}", target,
                    RETRY_AFTER, why.toString());
        }
        observer.compacted(null);
        if (failed != null) {
            failed.completeExceptionally(why);
        }
    }

    private void reset(Phase next) {
        phase = next;
        running = null;
        snapshot = null;
        apiKeysAtSnapshot = null;
        compacting = null;
        compactingOut = null;
        compactingLock = null;
        copied = 0;
        links = 0;
    }

    private static void closeQuietly(LogFile old) {
        try {
            if (old.lock().isValid()) {
                old.lock().release();
            }
            old.channel().close();
        } catch (IOException e) {
            LOG.warn("closing the data file replaced by compaction failed: {}", e.toString());
        }
    }
}
