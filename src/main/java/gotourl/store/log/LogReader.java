package gotourl.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads the records of a data file in order, checking each frame's length and CRC.
 *
 * <p>A bad frame (wrong length, wrong CRC, cut short) is told apart by what follows it. If no
 * valid frame follows, it is the torn tail of an interrupted write: reading ends there and
 * {@link #validEnd()} says where to truncate. If a valid frame follows, the file is corrupt before
 * its end: a strict reader throws {@link LogFormatException} naming the offset; a salvaging reader
 * reports the lost range and goes on from the next valid frame.
 */
final class LogReader {
    /** Told of each damaged range a salvaging reader skips. */
    interface LossListener {
        void lost(long from, long to, String problem);
    }

    /** Large enough for the largest frame, small enough to keep RSS down while replaying. */
    private static final int BUFFER_BYTES = 1 << 20;

    private final FileChannel channel;
    private final Path file;
    private final long fileSize;
    private final LossListener salvage;
    private final CRC32C crc = new CRC32C();
    private final byte[] bytes = new byte[BUFFER_BYTES];
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);

    private long bufferStart;
    private int position;
    private int limit;
    private long validEnd;
    private long records;

    // The current record, valid after next() returned true.
    private long recordOffset;
    private int bodyOffset;
    private int bodyLength;

    /** A reader of {@code channel} from just after the header; {@code salvage} null means strict. */
    LogReader(FileChannel channel, Path file, LossListener salvage) throws IOException {
        this(channel, file, salvage, LogFormat.HEADER_BYTES);
    }

    /**
     * A reader of {@code channel} from {@code from}, which must be where a record starts (the
     * end of the part of the file an index image covers); {@code salvage} null means strict.
     */
    LogReader(FileChannel channel, Path file, LossListener salvage, long from) throws IOException {
        this.channel = channel;
        this.file = file;
        this.fileSize = channel.size();
        this.salvage = salvage;
        this.bufferStart = from;
        this.validEnd = from;
    }

    /** Moves to the next valid record; false at the end of the valid part of the file. */
    boolean next() throws IOException {
        while (true) {
            long offset = bufferStart + position;
            if (offset >= fileSize) {
                return false;
            }
            if (limit - position < LogFormat.MAX_FRAME_BYTES && bufferStart + limit < fileSize) {
                refill();
            }
            String problem = frameProblem(bytes, position, limit - position);
            if (problem == null) {
                int length = intAt(bytes, position);
                recordOffset = offset;
                bodyOffset = position + LogFormat.FRAME_BYTES;
                bodyLength = length;
                position += LogFormat.FRAME_BYTES + length;
                validEnd = bufferStart + position;
                records++;
                return true;
            }
            long nextValid = findValidFrame(offset + 1);
            if (nextValid < 0) {
                return false; // a torn tail: everything from validEnd on is dropped
            }
            if (salvage == null) {
                throw new LogFormatException(file, offset, "damaged record (" + problem + ") followed by valid ones at "
                        + nextValid + "; the file is corrupt, not just cut short. Run 'goto repair -file=" + file
                        + "' to keep every readable link");
            }
            salvage.lost(offset, nextValid, problem);
            seek(nextValid);
        }
    }

    long recordOffset() {
        return recordOffset;
    }

    byte type() {
        return bytes[bodyOffset];
    }

    /** The buffer holding the current record; its body starts at {@link #bodyOffset()}. */
    byte[] bytes() {
        return bytes;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    int bodyOffset() {
        return bodyOffset;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** The end of the last valid record read so far: where appending resumes. */
    long validEnd() {
        return validEnd;
    }

    long fileSize() {
        return fileSize;
    }

    long records() {
        return records;
    }

    Path file() {
        return file;
    }

    /** Why the frame at {@code at} is bad, or null if it is valid. {@code available} bytes follow it. */
    private String frameProblem(byte[] data, int at, int available) {
        if (available < LogFormat.FRAME_BYTES) {
            return "frame cut short";
        }
        int length = intAt(data, at);
        if (length < LogFormat.MIN_BODY_BYTES || length > LogFormat.MAX_BODY_BYTES) {
            return "impossible length " + Integer.toUnsignedString(length);
        }
        if (available < LogFormat.FRAME_BYTES + length) {
            return "record cut short";
        }
        crc.reset();
        crc.update(data, at, 4);
        crc.update(data, at + LogFormat.FRAME_BYTES, length);
        if ((int) crc.getValue() != intAt(data, at + 4)) {
            return "checksum mismatch";
        }
        return null;
    }

    /** The offset of the first valid frame at or after {@code from}, or -1. */
    private long findValidFrame(long from) throws IOException {
        int window = 1 << 20;
        byte[] scan = new byte[window + LogFormat.MAX_FRAME_BYTES];
        for (long start = from; start < fileSize; start += window) {
            int read = readFully(scan, start);
            int candidates = (int) Math.min(window, fileSize - start);
            for (int i = 0; i < candidates; i++) {
                if (frameProblem(scan, i, read - i) == null) {
                    return start + i;
                }
            }
        }
        return -1;
    }

    private void seek(long offset) throws IOException {
        bufferStart = offset;
        position = 0;
        limit = readFully(bytes, offset);
    }

    private void refill() throws IOException {
        int remaining = limit - position;
        System.arraycopy(bytes, position, bytes, 0, remaining);
        bufferStart += position;
        position = 0;
        limit = remaining;
        ByteBuffer target = ByteBuffer.wrap(bytes, limit, bytes.length - limit);
        while (target.hasRemaining()) {
            int read = channel.read(target, bufferStart + target.position());
            if (read < 0) {
                break;
            }
        }
        limit = target.position();
    }

    private int readFully(byte[] into, long offset) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(into);
        while (target.hasRemaining()) {
            int read = channel.read(target, offset + target.position());
            if (read < 0) {
                break;
            }
        }
        return target.position();
    }

    static int intAt(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }

    static long longAt(byte[] data, int at) {
        return ((long) intAt(data, at) << 32) | (intAt(data, at + 4) & 0xFFFF_FFFFL);
    }
}
