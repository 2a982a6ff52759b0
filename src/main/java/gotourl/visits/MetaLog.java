package gotourl.visits;

import gotourl.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * An append-only file of small framed records ({@code [length:4][type:1][payload][crc32c:4]},
 * length counting type and payload), read back at an offset or scanned from one. A torn last
 * record (a crash mid-write) is cut off when the file is opened. Used for the visit store's
 * {@code lives} and {@code days} files; one writer, readers on any thread (positional reads).
 */
final class MetaLog implements AutoCloseable {
    /** One record: its type and payload (positioned at the payload's start), and where the next begins. */
    record Entry(long offset, byte type, ByteBuffer payload, long next) {}

    @FunctionalInterface
    interface Visitor {
        void visit(Entry entry) throws IOException;
    }

    private static final int MAX_RECORD_BYTES = 16 << 20;
    /** What {@link #appendLater} holds before it writes: ~1,500 lives' records. */
    static final int PENDING_BYTES = 64 << 10;

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private volatile long end;
    /** Records given to {@link #appendLater} and not yet written, framed; the writer's alone. */
    private final ByteBuffer pending = ByteBuffer.allocate(PENDING_BYTES);

    private MetaLog(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    /** Opens {@code file} (created if missing), scanning it to cut off a torn tail. */
    static MetaLog open(Path file) throws IOException {
        FileChannel channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        MetaLog log = new MetaLog(channel, channel.size());
        long good = log.scanFrom(0, entry -> { });
        if (good < channel.size()) {
            channel.truncate(good);
            channel.force(false);
        }
        log.end = good;
        return log;
    }

    long end() {
        return end;
    }

    /**
     * Appends one record; returns its offset. Visible to readers at once, durable after
     * {@link #sync}. Records held by {@link #appendLater} are written first, so the file keeps
     * the order in which records were given.
     */
    long append(byte type, ByteBuffer payload) throws IOException {
        flush();
        int length = 1 + payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(4 + length + 4);
        frame.putInt(length).put(type).put(payload.duplicate());
        crc.reset();
        crc.update(frame.array(), 4, length);
        frame.putInt((int) crc.getValue()).flip();
        long offset = end;
        long at = offset;
        while (frame.hasRemaining()) {
            at += channel.write(frame, at);
        }
        end = at;
        return offset;
    }

    /**
     * Appends one record to what this log holds until {@link #flush} (or the next {@link #append},
     * {@link #sync} or {@link #close}), when it is written with the others in one write: for the
     * visits worker, which makes a record for each link's first visit, and paid a system call for
     * each of them (most of what a first visit cost it over a million links, BENCHMARKS.md).
     * Readers see it once written. A record larger than the holding buffer is written at once.
     * Writer only. Throws IOException if writing what was held fails.
     */
    void appendLater(byte type, ByteBuffer payload) throws IOException {
        int length = 1 + payload.remaining();
        if (4 + length + 4 > pending.capacity()) {
            append(type, payload);
            return;
        }
        if (pending.remaining() < 4 + length + 4) {
            flush();
        }
        int start = pending.position();
        pending.putInt(length).put(type).put(payload.duplicate());
        crc.reset();
        crc.update(pending.array(), start + 4, length);
        pending.putInt((int) crc.getValue());
    }

    /** Writes the records held by {@link #appendLater}, in order; they are then readable. Writer only. */
    void flush() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        long at = end;
        while (pending.hasRemaining()) {
            at += channel.write(pending, at);
        }
        pending.clear();
        end = at;
    }

    /** The record at {@code offset}, or null if none is there whole and intact. */
    Entry read(long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4);
        if (readFully(head, offset) < 4) {
            return null;
        }
        int length = head.getInt(0);
        if (length < 1 || length > MAX_RECORD_BYTES || offset + 4 + length + 4 > end) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length + 4);
        if (readFully(body, offset + 4) < length + 4) {
            return null;
        }
        CRC32C check = new CRC32C(); // readers run on many threads; the field is the writer's
        check.update(body.array(), 0, length);
        if (body.getInt(length) != (int) check.getValue()) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.wrap(body.array(), 1, length - 1).slice();
        return new Entry(offset, body.get(0), payload, offset + 4 + length + 4);
    }

    /** Calls {@code visitor} for each record from {@code offset} to the end. */
    void scan(long offset, Visitor visitor) throws IOException {
        long stopped = scanFrom(offset, visitor);
        if (stopped < end) {
            throw new IOException("unreadable visits record at offset " + stopped);
        }
    }

    /**
     * Reads the records from {@code offset} in large sequential reads (a start reads these files
     * whole), calling {@code visitor} for each intact one; returns where the intact ones end.
     */
    private long scanFrom(long offset, Visitor visitor) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(1 << 20);
        long windowStart = offset;
        window.limit(0);
        long at = offset;
        CRC32C check = new CRC32C();
        while (at < end) {
            int within = (int) (at - windowStart);
            if (window.limit() - within < 4 || window.limit() - within < 4 + window.getInt(within) + 4) {
                int needed = window.limit() - within >= 4 ? 8 + Math.max(0, window.getInt(within)) : 8;
                if (needed > MAX_RECORD_BYTES + 8) {
                    return at;
                }
                if (window.capacity() < needed) {
                    window = ByteBuffer.allocate(needed);
                }
                window.clear();
                windowStart = at;
                within = 0;
                readFully(window, at);
                window.flip();
                if (window.limit() < 4 || window.limit() < 8 + window.getInt(0)) {
                    return at;
                }
            }
            int length = window.getInt(within);
            if (length < 1 || length > MAX_RECORD_BYTES || at + 4 + length + 4 > end) {
                return at;
            }
            check.reset();
            check.update(window.array(), within + 4, length);
            if (window.getInt(within + 4 + length) != (int) check.getValue()) {
                return at;
            }
            ByteBuffer payload = ByteBuffer.wrap(window.array(), within + 5, length - 1).slice();
            long next = at + 4 + length + 4;
            visitor.visit(new Entry(at, window.get(within + 4), payload, next));
            at = next;
        }
        return at;
    }

    private int readFully(ByteBuffer buffer, long offset) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, offset + total);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    /** Cuts the log at {@code offset} (a record boundary) and forces the cut. */
    void truncate(long offset) throws IOException {
        channel.truncate(offset);
        channel.force(false);
        end = offset;
    }

    /** Writes what {@link #appendLater} holds and forces the file to disk. Writer only. */
    void sync() throws IOException {
        flush();
        channel.force(false);
    }

    long size() {
        return end;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
