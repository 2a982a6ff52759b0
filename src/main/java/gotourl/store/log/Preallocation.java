package gotourl.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data file extended ahead of the writer's end with zeros written and forced once
 * ({@code goto-prealloc}), so that the writer's group commits overwrite blocks the file already
 * has and its {@code fdatasync} need not commit a new file size: measured on goto's disk, that
 * halved the force's own p99 (BENCHMARKS.md, "Durable adds, round six", and "Durable adds, round
 * seven: forcing over preallocated zeros").
 *
 * <p>Design note. Zeros are never a record (a frame's length is at least 1), so readers end the
 * log at them ({@link LogReader}); the writer resumes at the end of the last record, not at the
 * file's size. This thread extends the file in slices of {@link #SLICE_BYTES}, each written and
 * forced at once, so that the writer's concurrent force finds at most one slice of them dirty.
 * It writes a slice only past everything the writer has written, under this object's lock; the
 * writer takes the same lock for a write that reaches past {@link #zeroedEnd()}, so a slice of
 * zeros is never written over records, whichever thread comes first. A failure here loses
 * nothing: it is logged and the writer appends as it would without preallocation.
 *
 * <p>It starts only once the writer has written something since the file was opened (a goto that
 * only redirects never grows its file), and a compaction's new file is extended afresh after the
 * writer moves to it ({@link #switchTo}).
 */
final class Preallocation implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.writer");
    /**
     * 16 MiB of zeros at a time: at ~60 bytes a durable add and 15k adds/s, one chunk per ~18 s;
     * small enough that a start reads the zeros after the last record (to tell them from damage)
     * in a few milliseconds (~3 ms from the page cache), and that the file is never more than one
     * chunk and a low-water mark larger than its records.
     */
    static final long CHUNK_BYTES = 16L << 20;
    /**
     * Written and forced at a time: what a concurrent force of the writer may have to write out
     * with its own. The next chunk is begun once fewer zeros than a quarter of one are left ahead
     * of the writer (4 MiB: seconds of adds at any rate goto reaches).
     */
    static final int SLICE_BYTES = 1 << 20;
    /** How often an idle preallocator looks up on its own; the writer wakes it when zeros run low. */
    private static final long IDLE_PARK_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path file;
    private final long chunkBytes;
    private final long lowWaterBytes;
    private final Thread thread;
    private final ByteBuffer zeros;
    private volatile LongSupplier writerEnd = () -> 0;

    // Guarded by this.
    private FileChannel channel;
    /** Zeros are written and forced from the writer's end up to here (the writer's end when none are). */
    private volatile long zeroedEnd;
    /** Whether the writer has written since the file was opened: only then is the file extended. */
    private volatile boolean writing;
    private volatile boolean stopping;
    private volatile long extended;

    /**
     * A preallocator of {@code channel} (as the writer writes through it) whose bytes from the
     * writer's end up to {@code zeroedEnd} are zeros: at open, the file's size, since replay
     * leaves nothing but zeros after the last record.
     */
    Preallocation(Path file, FileChannel channel, long zeroedEnd, long chunkBytes) {
        this.file = file;
        this.chunkBytes = chunkBytes;
        this.lowWaterBytes = chunkBytes / 4;
        this.zeros = ByteBuffer.allocateDirect((int) Math.min(SLICE_BYTES, Math.max(1, chunkBytes)));
        this.channel = channel;
        this.zeroedEnd = zeroedEnd;
        this.thread = new Thread(this, "goto-prealloc");
        this.thread.setDaemon(true);
    }

    /** One that never extends the file: the writer appends as it did before preallocation. */
    static Preallocation off() {
        return new Preallocation(null, null, -1, 0);
    }

    boolean isOn() {
        return file != null;
    }

    /** Where the writer's end is read from; before {@link #start}. */
    void writer(LongSupplier end) {
        this.writerEnd = end;
    }

    void start() {
        if (isOn()) {
            thread.start();
        }
    }

    /**
     * The end of the zeros written and forced ahead of the writer: a write that ends at or before
     * it overwrites zeros only; one that reaches past it must hold this object's lock.
     */
    long zeroedEnd() {
        return zeroedEnd;
    }

    /** Bytes of zeros this preallocator wrote so far (for tests and the log). */
    long extended() {
        return extended;
    }

    /** Told by the writer after a group commit that ended at {@code end}: wakes this thread when zeros run low. */
    void wrote(long end) {
        if (!isOn()) {
            return;
        }
        if (!writing) {
            writing = true;
            LockSupport.unpark(thread);
        } else if (zeroedEnd - end < lowWaterBytes) {
            LockSupport.unpark(thread);
        }
    }

    /** The writer now appends to {@code next}, a compacted file ending at {@code end}, with no zeros after it yet. */
    synchronized void switchTo(FileChannel next, long end) {
        if (isOn()) {
            channel = next;
            zeroedEnd = end;
        }
    }

    /** Asks the thread to end after the slice it is writing, and waits for it at most {@code timeout}. */
    void stop(Duration timeout) {
        if (!isOn()) {
            return;
        }
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{}: the preallocator did not stop within {} (a slow force); the file is whole either way", file, timeout);
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                if (!writing || zeroedEnd - writerEnd.getAsLong() >= lowWaterBytes) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    continue;
                }
                extend();
            }
        } catch (ClosedChannelException closed) {
            // The store closed the file (its stop, or a writer abandoned at the deadline).
        } catch (IOException | RuntimeException e) {
            // Nothing is lost: the zeros are past every record, and the writer appends from here on.
            if (!stopping) {
                LOG.warn("{}: stopped extending the file ahead of its records ({}); goto goes on appending to it,"
                        + " with slower forces", file, e.toString());
            }
        }
    }

    /** Writes one chunk of zeros past the writer's end, a slice at a time, each forced. */
    private void extend() throws IOException {
        long target = Math.max(zeroedEnd, writerEnd.getAsLong()) + chunkBytes;
        while (!stopping) {
            FileChannel into;
            long to;
            int bytes;
            synchronized (this) {
                into = channel;
                long from = Math.max(zeroedEnd, writerEnd.getAsLong());
                if (from >= target) {
                    return;
                }
                bytes = (int) Math.min(zeros.capacity(), target - from);
                zeros.clear().limit(bytes);
                while (zeros.hasRemaining()) {
                    into.write(zeros, from + zeros.position());
                }
                to = from + bytes;
            }
            try {
                into.force(false);
            } catch (ClosedChannelException closed) {
                synchronized (this) {
                    if (into != channel) {
                        return; // a compaction replaced the file meanwhile: extend the new one
                    }
                }
                throw closed;
            }
            synchronized (this) {
                if (into == channel && to > zeroedEnd) {
                    zeroedEnd = to;
                }
            }
            extended += bytes;
        }
    }
}
