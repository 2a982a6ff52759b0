package gotourl.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The counter-to-URL index: lock-free reads for the redirect path, one writer at a time.
 *
 * <p>Keys are counters, so the index is an array, not a hash table: slot {@code n} holds where
 * the URL of counter {@code n} sits in a set of byte pages. URLs are ASCII (the validator encodes
 * anything else), one byte per character, behind a two-byte length. A link costs its URL's length
 * plus ten bytes, against about a hundred for a pair of Strings in a map; a million links fit in
 * about 45 MB of heap.
 *
 * <p>Publication: a writer copies the URL bytes into a page, then stores the slot with release
 * semantics; a reader loads the slot with acquire semantics and so sees the bytes. Page and chunk
 * tables grow by copy and are published through volatile fields, so a reader never sees a table
 * shorter than the slot it just read requires.
 */
public final class LinkIndex {
    private static final int SLOT_BITS = 16;
    private static final int SLOTS_PER_CHUNK = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS_PER_CHUNK - 1;
    /** 1 MiB pages: large enough that the tail wasted at a page end is under 1%. */
    private static final int PAGE_SIZE = 1 << 20;
    private static final int LENGTH_BYTES = 2;
    public static final int MAX_URL_BYTES = 0xFFFF;
    /** Far beyond any real store; bounds the chunk table a corrupt counter could demand. */
    public static final long MAX_COUNTER = 1L << 40;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CHUNK = MethodHandles.arrayElementVarHandle(long[][].class);

    private volatile long[][] chunks = new long[0][];
    private volatile byte[][] pages = new byte[0][];
    private volatile long size;

    // Writer state, guarded by this.
    private int page = -1;
    private int pageFill = PAGE_SIZE;

    /** The URL of {@code counter}, or null. Safe from any thread, never blocks. */
    public String get(long counter) {
        if (counter < 0) {
            return null;
        }
        long[][] table = chunks;
        long chunkIndex = counter >>> SLOT_BITS;
        if (chunkIndex >= table.length) {
            return null;
        }
        long[] chunk = (long[]) CHUNK.getAcquire(table, (int) chunkIndex);
        if (chunk == null) {
            return null;
        }
        long location = (long) SLOT.getAcquire(chunk, (int) counter & SLOT_MASK);
        if (location == 0) {
            return null;
        }
        location--;
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        return new String(bytes, offset + LENGTH_BYTES, length, StandardCharsets.ISO_8859_1);
    }

    public boolean contains(long counter) {
        return get(counter) != null;
    }

    /** How many links the index holds. */
    public long size() {
        return size;
    }

    /**
     * Stores an ASCII {@code url} under {@code counter}. Returns false, changing nothing, when the
     * counter already has a URL: a slot is written once.
     */
    public synchronized boolean put(long counter, String url) {
        int length = url.length();
        checkPut(counter, length);
        if (contains(counter)) {
            return false;
        }
        int at = reserve(length);
        byte[] bytes = pages[page];
        for (int i = 0; i < length; i++) {
            char c = url.charAt(i);
            if (c >= 0x80) {
                pageFill = at; // give the space back: nothing was published
                throw new IllegalArgumentException("URL must be ASCII (percent-encode the rest): char " + (int) c + " at " + i);
            }
            bytes[at + LENGTH_BYTES + i] = (byte) c;
        }
        publish(counter, at, length);
        return true;
    }

    /** As {@link #put(long, String)}, from bytes already known to be ASCII (a replayed record). */
    public synchronized boolean put(long counter, ByteBuffer source, int offset, int length) {
        checkPut(counter, length);
        if (contains(counter)) {
            return false;
        }
        int at = reserve(length);
        source.get(offset, pages[page], at + LENGTH_BYTES, length);
        publish(counter, at, length);
        return true;
    }

    private static void checkPut(long counter, int length) {
        if (counter < 0 || counter >= MAX_COUNTER) {
            throw new IllegalArgumentException("key counter out of range: " + counter);
        }
        if (length > MAX_URL_BYTES) {
            throw new IllegalArgumentException("URL too long for the index: " + length + " bytes");
        }
    }

    /** Finds room for one entry in the current page, opening a new page when it is full. */
    private int reserve(int length) {
        int needed = LENGTH_BYTES + length;
        if (pageFill + needed > PAGE_SIZE) {
            byte[][] grown = Arrays.copyOf(pages, pages.length + 1);
            grown[grown.length - 1] = new byte[PAGE_SIZE];
            pages = grown;
            page = grown.length - 1;
            pageFill = 0;
        }
        int at = pageFill;
        pageFill += needed;
        return at;
    }

    private void publish(long counter, int at, int length) {
        byte[] bytes = pages[page];
        bytes[at] = (byte) (length >>> 8);
        bytes[at + 1] = (byte) length;
        long[] chunk = chunkFor(counter);
        SLOT.setRelease(chunk, (int) counter & SLOT_MASK, (((long) page << 32) | at) + 1);
        size++;
    }

    private long[] chunkFor(long counter) {
        int chunkIndex = (int) (counter >>> SLOT_BITS);
        long[][] table = chunks;
        if (chunkIndex >= table.length) {
            table = Arrays.copyOf(table, Math.max(chunkIndex + 1, table.length * 2));
            chunks = table;
        }
        long[] chunk = table[chunkIndex];
        if (chunk == null) {
            chunk = new long[SLOTS_PER_CHUNK];
            CHUNK.setRelease(table, chunkIndex, chunk);
        }
        return chunk;
    }
}
