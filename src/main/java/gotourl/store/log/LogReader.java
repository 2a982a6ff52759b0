package gotourl.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads the records of a data file in order, checking each frame's length and CRC.
 *
 * <p>The records may be followed by zeros: space the writer extends the file by ahead of its end
 * ({@link Preallocation}), or that a file system allocated before a crash. Zeros from the first
 * bad frame to the end of the file are the end of the log, not damage: reading ends there and
 * {@link #dataEnd()} says where they begin.
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
    /**
     * Zeros at the end of a file at least this long say that it was preallocated: no record holds
     * a run of zeros this long (a URL is ASCII without NUL, a title at most 512 characters), and
     * the writer keeps megabytes of zeros ahead of its end ({@link Preallocation}).
     */
    static final int MIN_PREALLOCATED_ZEROS = 4096;
    /** The smallest unit a disk writes whole or not at all: a power loss tears writes at its edges. */
    static final int SECTOR_BYTES = 512;
    private static final byte[] ZEROS = new byte[64 * 1024];

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
    /** Where the zeros that end the file begin, once reading ended at them; else the file's size. */
    private long dataEnd;
    /** Whether reading ended at a write cut short over preallocated zeros (see {@link #cutShortOverZeros}). */
    private boolean cutShortOverZeros;

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
        this.dataEnd = fileSize;
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
            if (allZerosFrom(offset)) {
                dataEnd = offset; // zeros to the end: preallocated space, the end of the log
                return false;
            }
            long nextValid = findValidFrame(offset + 1);
            if (nextValid < 0) {
                return false; // a torn tail: everything from validEnd on is dropped
            }
            if (nextValid - offset <= LogWriter.MAX_UNFORCED_BYTES && cutShortOverZeros(offset, nextValid)) {
                cutShortOverZeros = true;
                return false; // a torn tail too: a write cut short over preallocated zeros
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

    /**
     * Where the file's data ends: where the zeros that end it begin when reading ended at them
     * (preallocated space, kept), else the file's size. Bytes from {@link #validEnd()} to here
     * are a torn tail.
     */
    long dataEnd() {
        return dataEnd;
    }

    /** Whether the torn tail was a write cut short over preallocated zeros, with valid frames of it after a gap. */
    boolean endedCutShortOverZeros() {
        return cutShortOverZeros;
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
                if (i + 4 <= read && (scan[i] | scan[i + 1] | scan[i + 2] | scan[i + 3]) == 0) {
                    // A zero length is no frame, nor is any position whose 4 length bytes are zeros:
                    // skip a run of zeros (preallocated space) to 3 bytes before its end.
                    i = nonZeroFrom(scan, i + 4, read) - 4;
                    continue;
                }
                if (frameProblem(scan, i, read - i) == null) {
                    return start + i;
                }
            }
        }
        return -1;
    }

    /** The first index at or after {@code from} below {@code to} whose byte is not zero, or {@code to}. */
    private static int nonZeroFrom(byte[] data, int from, int to) {
        for (int at = from; at < to; at += ZEROS.length) {
            int length = Math.min(ZEROS.length, to - at);
            int mismatch = java.util.Arrays.mismatch(data, at, at + length, ZEROS, 0, length);
            if (mismatch >= 0) {
                return at + mismatch;
            }
        }
        return to;
    }

    /** Whether every byte from {@code from} to the end of the file is zero (read at the speed of a copy). */
    private boolean allZerosFrom(long from) throws IOException {
        byte[] block = new byte[1 << 20];
        for (long start = from; start < fileSize; start += block.length) {
            int length = (int) Math.min(readFully(block, start), fileSize - start);
            if (nonZeroFrom(block, 0, length) < length) {
                return false;
            }
        }
        return true;
    }

    /** The end of the last byte at or after {@code from} that is not zero, or {@code from} if none is. */
    private long lastDataEnd(long from) throws IOException {
        long last = from;
        byte[] block = new byte[1 << 20];
        for (long start = from; start < fileSize; start += block.length) {
            int length = (int) Math.min(readFully(block, start), fileSize - start);
            for (int at = length - 1; at >= 0; at--) {
                if (block[at] != 0) {
                    last = start + at + 1;
                    break;
                }
            }
        }
        return last;
    }

    /**
     * Whether the damage at {@code offset}, though valid frames follow it from {@code nextValid},
     * is a write cut short over preallocated zeros: a power loss while the writer's last records
     * were on their way to disk may leave some of their pages written and an earlier one still
     * zeros. It is, when the file ends in at least {@link #MIN_PREALLOCATED_ZEROS} zeros,
     * everything that is not zero after {@code offset} lies within
     * {@link LogWriter#MAX_UNFORCED_BYTES} of it (the writer never has more than that written and
     * not forced, so anything further is damage to forced records), and the damaged range holds
     * a sector that never reached the disk ({@link #holdsUnwrittenSector}): a byte damaged in
     * forced records near the end leaves no zeros there, and is corruption.
     */
    private boolean cutShortOverZeros(long offset, long nextValid) throws IOException {
        long last = lastDataEnd(offset);
        return fileSize - last >= MIN_PREALLOCATED_ZEROS && last - offset <= LogWriter.MAX_UNFORCED_BYTES
                && holdsUnwrittenSector(offset, nextValid);
    }

    /**
     * Whether {@code [offset, nextValid)} holds what a sector (the disk's {@link #SECTOR_BYTES})
     * that never got its write leaves over preallocated zeros: a whole aligned sector of zeros, or
     * zeros from {@code offset} (where the last forced write ended mid-sector) to the sector's end,
     * at least a frame's length and CRC ({@link LogFormat#FRAME_BYTES}), which a damaged byte
     * never zeros both of.
     */
    private boolean holdsUnwrittenSector(long offset, long nextValid) throws IOException {
        byte[] range = new byte[(int) (nextValid - offset)];
        readFully(range, offset);
        for (long end = (offset / SECTOR_BYTES + 1) * SECTOR_BYTES; end <= nextValid; end += SECTOR_BYTES) {
            int from = (int) (Math.max(offset, end - SECTOR_BYTES) - offset);
            int to = (int) (end - offset);
            if (to - from >= LogFormat.FRAME_BYTES && nonZeroFrom(range, from, to) == to) {
                return true;
            }
        }
        return false;
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
