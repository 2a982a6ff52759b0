package gotourl.visits;

import gotourl.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.zip.CRC32C;

/**
 * One segment of the visit log: fixed-size visit records in {@code BASE.visits}, memory-mapped,
 * and the strings they point to in {@code BASE.strings}. {@code BASE} is the global sequence
 * number of the segment's first visit, in hex, so segments sort by name.
 *
 * <p>Record layout, {@value #RECORD_BYTES} bytes, big-endian: time (ms since the epoch, 6
 * bytes), the previous visit of the same chain (a sequence number, 6 bytes; all ones for none),
 * the link's life id (4; 0 for orphans), six string references (4 each: user agent, referer,
 * visited path, redirect URL, browser, operating system; offsets into the strings file, all ones
 * for ""), flags (1: bit 0 potential bot, bits 1-2 the {@link VisitType}), 3 spare bytes, and a
 * CRC-32C of the bytes before it. Fixed records make a visit's place its sequence number times
 * the size: a chain is followed by direct reads, and a torn or unwritten record fails its CRC.
 *
 * <p>One writer (the visits worker) builds records in a buffer of its own and writes them to the
 * file at {@link #publish} (one write per batch), strings first; readers on any thread read the
 * records below {@link #count()} (published after they are written) by absolute gets on a
 * mapping of the file. The writer never touches the mapping: pages written through it would stay
 * mapped into goto, and its resident memory would grow by 48 bytes with every visit (measured,
 * BENCHMARKS.md), where pages written to the file are the kernel's cache, counted to no process.
 * A string a crash cut off reads as "". Not an API: {@link LogVisitStore} owns segments.
 */
final class VisitSegment implements AutoCloseable {
    static final int RECORD_BYTES = 48;
    /** About a million visits (48 MB) per segment; segments also end at each UTC midnight. */
    static final int MAX_RECORDS = 1 << 20;
    /** A segment ends when its strings pass 1 GiB, far below the 4 GiB its references reach. */
    static final long MAX_STRING_BYTES = 1L << 30;
    static final int NONE = -1;
    /** The string fields of a record, in order: user agent, referer, visited path, redirect URL, browser, system. */
    static final int FIELDS = 6;
    static final long NO_SEQ = (1L << 48) - 1;
    /**
     * Strings remembered per segment so that a repeated one is written once: agents, referers,
     * URLs. Forgotten all at once when full (a string is then written again), which costs a
     * lookup nothing, where a least-recently-used order relinked an entry on every hit.
     */
    private static final int STRING_CACHE_ENTRIES = 1 << 16;
    /** Records built before they are written: a batch of the worker's is written in one call. */
    private static final int PENDING_RECORDS = 1024;

    final long base;
    final Path recordsFile;
    final Path stringsFile;
    private final FileChannel records;
    private final FileChannel strings;
    private final MappedByteBuffer map;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer stringOut = ByteBuffer.allocate(64 * 1024);
    /** Records put but not written yet, from record {@link #pendingFrom}; the writer's alone. */
    private final ByteBuffer pending;
    private int pendingFrom;
    private final HashMap<String, Integer> written;
    /**
     * The last string put in each field ({@link #string(int, String)}) and its reference: a
     * visit's agent, referer, browser and system are most often the same instances as the visit
     * before's (the worker hands over the first instance it saw of each), so an identity check
     * answers without a look-up in {@link #written}.
     */
    private final String[] lastString = new String[FIELDS];
    private final int[] lastRef = new int[FIELDS];
    private long stringsEnd;
    private volatile int count;
    private volatile long firstMillis = Long.MIN_VALUE;
    private volatile long lastMillis = Long.MIN_VALUE;
    private long putMillis = Long.MIN_VALUE;
    private boolean sealed;

    private VisitSegment(long base, Path recordsFile, Path stringsFile, FileChannel records, FileChannel strings,
                         MappedByteBuffer map, int count, long stringsEnd, boolean sealed) {
        this.base = base;
        this.recordsFile = recordsFile;
        this.stringsFile = stringsFile;
        this.records = records;
        this.strings = strings;
        this.map = map;
        this.count = count;
        this.stringsEnd = stringsEnd;
        this.sealed = sealed;
        this.written = sealed ? null : new HashMap<>(1024);
        this.pending = sealed ? null : ByteBuffer.allocate(PENDING_RECORDS * RECORD_BYTES);
        this.pendingFrom = count;
        if (count > 0) {
            firstMillis = millis(0);
            lastMillis = millis(count - 1);
        }
    }

    static String name(long base) {
        return String.format("%012x", base);
    }

    /** Creates the segment starting at {@code base} in {@code dir}, for writing. */
    static VisitSegment create(Path dir, long base) throws IOException {
        Path recordsFile = dir.resolve(name(base) + ".visits");
        Path stringsFile = dir.resolve(name(base) + ".strings");
        FileChannel records = OwnerOnly.open(recordsFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileChannel strings = OwnerOnly.open(stringsFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        MappedByteBuffer map = records.map(FileChannel.MapMode.READ_WRITE, 0, (long) MAX_RECORDS * RECORD_BYTES);
        return new VisitSegment(base, recordsFile, stringsFile, records, strings, map, 0, 0, false);
    }

    /**
     * Opens an existing segment. The last one ({@code writable}) may end in records a crash left
     * unwritten or torn: its count is where the first record fails its CRC, and it stays open
     * for appends. Older ones were sealed to their exact size.
     */
    static VisitSegment open(Path recordsFile, boolean writable, long durableThrough) throws IOException {
        String file = recordsFile.getFileName().toString();
        long base = Long.parseLong(file.substring(0, file.indexOf('.')), 16);
        Path stringsFile = recordsFile.resolveSibling(name(base) + ".strings");
        FileChannel records = FileChannel.open(recordsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel strings = Files.exists(stringsFile)
                ? FileChannel.open(stringsFile, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : OwnerOnly.open(stringsFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = records.size();
        MappedByteBuffer map = writable
                ? records.map(FileChannel.MapMode.READ_WRITE, 0, (long) MAX_RECORDS * RECORD_BYTES)
                : records.map(FileChannel.MapMode.READ_ONLY, 0, size);
        int capacity = (int) Math.min(MAX_RECORDS, (writable ? (long) MAX_RECORDS * RECORD_BYTES : size) / RECORD_BYTES);
        CRC32C crc = new CRC32C();
        // A sealed segment was forced, then cut to its records. In the open one, records a
        // checkpoint counted were forced before it: only those after it can be torn.
        int count = writable ? (int) Math.max(0, Math.min(capacity, durableThrough + 1 - base)) : capacity;
        while (count < capacity && valid(map, count, crc)) {
            count++;
        }
        if (writable) {
            // Zero what a crash left after the last good record, so that it can never be read as
            // a record once later ones are written after it.
            ByteBuffer zeros = ByteBuffer.allocate((Math.min(capacity, count + 64) - count) * RECORD_BYTES);
            while (zeros.hasRemaining()) {
                records.write(zeros, (long) count * RECORD_BYTES + zeros.position());
            }
        }
        return new VisitSegment(base, recordsFile, stringsFile, records, strings, map, count, strings.size(), !writable);
    }

    private static boolean valid(ByteBuffer map, int index, CRC32C crc) {
        int at = index * RECORD_BYTES;
        crc.reset();
        crc.update(map.duplicate().limit(at + RECORD_BYTES - 4).position(at));
        int sum = (int) crc.getValue();
        return map.getInt(at + RECORD_BYTES - 4) == (sum == 0 ? 1 : sum);
    }

    int count() {
        return count;
    }

    long end() {
        return base + count;
    }

    /** True when the record at {@code index} (published or not yet) would not fit. */
    boolean isFull(long index) {
        return index >= MAX_RECORDS || stringsEnd >= MAX_STRING_BYTES;
    }

    long firstMillis() {
        return firstMillis;
    }

    long lastMillis() {
        return lastMillis;
    }

    /**
     * Puts the visit at the next place ({@code index}, one after the last put), with its strings
     * given as references from {@link #string}; readable after {@link #publish}. Worker only.
     */
    void put(int index, long millis, long prev, int life, int agent, int referer, int visited, int redirect, int browser,
             int os, boolean bot, VisitType type) throws IOException {
        if (pending.remaining() < RECORD_BYTES) {
            flushRecords();
        }
        int at = pending.position();
        pending.putShort((short) (millis >>> 32)).putInt((int) millis)
                .putShort((short) (prev >>> 32)).putInt((int) prev)
                .putInt(life).putInt(agent).putInt(referer).putInt(visited).putInt(redirect).putInt(browser).putInt(os)
                .put((byte) ((bot ? 1 : 0) | type.ordinal() << 1)).put((byte) 0).putShort((short) 0);
        crc.reset();
        crc.update(pending.array(), at, RECORD_BYTES - 4);
        int sum = (int) crc.getValue();
        pending.putInt(sum == 0 ? 1 : sum); // 0 marks "never written"
        if (firstMillis == Long.MIN_VALUE) {
            firstMillis = millis;
        }
        putMillis = millis;
        assert index == pendingFrom + (pending.position() - RECORD_BYTES) / RECORD_BYTES;
    }

    /** Writes the strings of the records put since the last publish, then the records, then makes them readable. */
    void publish(int newCount) throws IOException {
        flushRecords();
        count = newCount;
        lastMillis = putMillis;
    }

    /** Strings before the records that refer to them, so that a crash of goto alone leaves none dangling. */
    private void flushRecords() throws IOException {
        flushStrings();
        pending.flip();
        long at = (long) pendingFrom * RECORD_BYTES;
        int records = pending.remaining() / RECORD_BYTES;
        while (pending.hasRemaining()) {
            at += this.records.write(pending, at);
        }
        pending.clear();
        pendingFrom += records;
    }

    /**
     * {@link #string(String)} for record field {@code field} (0 to {@link #FIELDS} - 1, as
     * {@link LogVisitQueries} numbers them): the same instance as the field's last one answers
     * from a memo of one. Worker only.
     */
    int string(int field, String value) throws IOException {
        if (value == lastString[field]) {
            return lastRef[field];
        }
        int ref = string(value);
        lastString[field] = value;
        lastRef[field] = ref;
        return ref;
    }

    /** The reference of {@code value} in this segment's strings, written now if it is not yet (or was forgotten). Worker only. */
    int string(String value) throws IOException {
        if (value.isEmpty()) {
            return NONE;
        }
        Integer known = written.get(value);
        if (known != null) {
            return known;
        }
        int offset = writeString(value);
        if (written.size() >= STRING_CACHE_ENTRIES) {
            written.clear();
        }
        written.put(value, offset);
        return offset;
    }

    /**
     * Writes {@code value} to this segment's strings, without remembering it: for a caller that
     * keeps the reference itself (a link's redirect URL, kept on its chain). Worker only.
     */
    int writeString(String value) throws IOException {
        return value.isEmpty() ? NONE : writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #writeString(String)} of a string's UTF-8 {@code bytes}, which the caller also keeps. Worker only. */
    int writeString(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return NONE;
        }
        if (stringOut.remaining() < 4 + bytes.length) {
            flushStrings();
        }
        int offset = (int) stringsEnd;
        if (4 + bytes.length > stringOut.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
            while (big.hasRemaining()) {
                strings.write(big, stringsEnd + big.position());
            }
        } else {
            stringOut.putInt(bytes.length).put(bytes);
        }
        stringsEnd += 4 + bytes.length;
        return offset;
    }

    private void flushStrings() throws IOException {
        stringOut.flip();
        long at = stringsEnd - stringOut.remaining();
        while (stringOut.hasRemaining()) {
            at += strings.write(stringOut, at);
        }
        stringOut.clear();
    }

    /** Forces records and strings to disk. */
    void sync() throws IOException {
        strings.force(false);
        records.force(false);
    }

    /** Ends writing: forces, and cuts the records file to the records it holds. */
    void seal() throws IOException {
        if (sealed) {
            return;
        }
        flushRecords();
        sync();
        records.truncate((long) count * RECORD_BYTES);
        records.force(true);
        sealed = true;
    }

    // Readers: record fields by index (below count()).

    long millis(int index) {
        return get48(index * RECORD_BYTES);
    }

    long prev(int index) {
        return get48(index * RECORD_BYTES + 6);
    }

    int life(int index) {
        return map.getInt(index * RECORD_BYTES + 12);
    }

    boolean bot(int index) {
        return (map.get(index * RECORD_BYTES + 40) & 1) != 0;
    }

    VisitType type(int index) {
        return VisitType.values()[map.get(index * RECORD_BYTES + 40) >> 1 & 3];
    }

    int stringRef(int index, int field) {
        return map.getInt(index * RECORD_BYTES + 16 + field * 4);
    }

    /** The string at {@code offset} of the strings file; "" for none or one a crash cut off. */
    String string(int offset, ByteBuffer scratch) throws IOException {
        if (offset == NONE) {
            return "";
        }
        long at = Integer.toUnsignedLong(offset);
        scratch.clear().limit(4);
        if (strings.read(scratch, at) < 4) {
            return "";
        }
        int length = scratch.getInt(0);
        if (length < 0 || length > 1 << 20 || at + 4 + length > strings.size()) {
            return "";
        }
        ByteBuffer bytes = length <= scratch.capacity() ? scratch.clear().limit(length) : ByteBuffer.allocate(length);
        long from = at + 4;
        while (bytes.hasRemaining()) {
            int read = strings.read(bytes, from + bytes.position());
            if (read < 0) {
                return "";
            }
        }
        return new String(bytes.array(), 0, length, StandardCharsets.UTF_8);
    }

    private long get48(int at) {
        return (map.getShort(at) & 0xFFFFL) << 32 | map.getInt(at + 2) & 0xFFFFFFFFL;
    }

    long bytesOnDisk() throws IOException {
        return (long) count * RECORD_BYTES + strings.size();
    }

    @Override
    public void close() throws IOException {
        try (records; strings) {
            if (!sealed) {
                flushRecords();
            }
        }
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(recordsFile);
        Files.deleteIfExists(stringsFile);
    }
}
