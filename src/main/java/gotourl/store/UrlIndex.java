package gotourl.store;

import java.util.function.LongPredicate;

/**
 * Long URL to the plain links that point at it, for find-if-exists: an open-addressing hash table
 * of counters, with no copy of the URLs. A lookup walks the probe run of the URL's hash and lets
 * the caller compare each candidate's URL bytes in the {@link LinkIndex} pages, so a link costs
 * 4 bytes of table (5 to 11 with the free slots a load factor of at most 0.7 leaves), not a
 * String and a map node.
 *
 * <p>The table is split into 256 segments by the hash's top bits, each growing on its own, so a
 * growth rehashes 1/256 of the links (it reads their URLs back from the pages): at 10M links that
 * is ~40,000 URLs, a pause of milliseconds for the writer, never seconds. Linear probing;
 * removal shifts the run back (no tombstones). One thread at a time: the caller's lock.
 */
final class UrlIndex {
    private static final int SEGMENT_BITS = 8;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;
    private static final int INITIAL_CAPACITY = 16;
    /** Counters this table can hold: one is added to each so that 0 marks a free slot. */
    static final long MAX_COUNTER = Integer.MAX_VALUE - 1L;

    /** Reads back a stored link's URL hash, to move it when a segment grows or a run shifts. */
    @FunctionalInterface
    interface Rehash {
        int hashOf(long counter);
    }

    private final int[][] tables = new int[SEGMENTS][];
    private final int[] counts = new int[SEGMENTS];
    private final Rehash rehash;
    private long size;

    UrlIndex(Rehash rehash) {
        this.rehash = rehash;
        for (int i = 0; i < SEGMENTS; i++) {
            tables[i] = new int[INITIAL_CAPACITY];
        }
    }

    /** The hash of a URL: String's own, which equals the same polynomial over ASCII bytes, then mixed. */
    static int hash(String url) {
        return mix(url.hashCode());
    }

    /** MurmurHash3's finalizer: spreads the polynomial hash over the top bits (segments) and low bits (slots). */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    long size() {
        return size;
    }

    void add(int hash, long counter) {
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("counter out of the URL index's range: " + counter);
        }
        int segment = hash >>> (32 - SEGMENT_BITS);
        if ((counts[segment] + 1) * 10L > tables[segment].length * 7L) {
            grow(segment);
        }
        insert(tables[segment], hash, (int) counter + 1);
        counts[segment]++;
        size++;
    }

    /** Links {@link #bulkLoad} hashes and sorts by segment before inserting them: 16 MiB of buffers. */
    private static final int BULK_BLOCK = 1 << 20;

    /**
     * Fills an empty table with many links at once, for a replay. Inserting links one by one in
     * counter order costs a replay of 1M links most of its time (0.7 s): each segment grows ~9
     * times, every growth reading back its URLs from random places in the pages, and each insert
     * lands in a random one of 256 tables (8 MB at 1M links, beyond the CPU's caches). Here each
     * segment is sized once for its share of {@code expected} links, and links are taken in
     * blocks of up to {@link #BULK_BLOCK}, sorted by segment (a counting sort on the hash's top
     * bits), then inserted one segment after the other, so a segment's table stays in cache while
     * it fills. The links are the counters below {@code limit} that {@code holds} accepts, taken
     * in order; each hash is read through the {@link Rehash}. Segments are sized by
     * {@link #reserve}; one that gets more than its share still grows as in {@link #add}.
     *
     * @param expected about how many links {@code holds} accepts (a little above is fine)
     * @param limit    one past the highest counter to offer, at most {@link #MAX_COUNTER} + 1
     * @throws IllegalStateException if the table is not empty
     */
    void bulkLoad(long expected, long limit, LongPredicate holds) {
        if (size != 0) {
            throw new IllegalStateException("bulk load into a URL index that holds " + size + " links");
        }
        if (limit > MAX_COUNTER + 1) {
            throw new IllegalArgumentException("counters out of the URL index's range: up to " + (limit - 1));
        }
        reserve(expected);
        int blockSize = (int) Math.min(BULK_BLOCK, Math.max(expected, 1));
        long[] block = new long[blockSize];
        long[] sorted = new long[blockSize];
        long counter = 0;
        while (counter < limit) {
            int n = 0;
            for (; n < blockSize && counter < limit; counter++) {
                if (holds.test(counter)) {
                    block[n++] = entry(rehash.hashOf(counter), counter);
                }
            }
            addAll(block, n, sorted);
        }
    }

    /** A link as {@link #addAll} takes it: the hash in the high half, the counter plus one in the low. */
    static long entry(int hash, long counter) {
        return ((long) hash << 32) | (counter + 1);
    }

    /**
     * Adds the {@code n} links of {@code entries} ({@link #entry} values) one segment after the
     * other, so that a segment's table stays in cache while it takes its share: a counting sort on
     * the hash's top bits into {@code sorted} (at least {@code n} long). For many links at once (a
     * replay, a bulk import); one by one, each lands in a random one of 256 tables beyond the
     * CPU's caches.
     */
    void addAll(long[] entries, int n, long[] sorted) {
        int[] starts = new int[SEGMENTS + 1];
        for (int i = 0; i < n; i++) {
            starts[(int) (entries[i] >>> (64 - SEGMENT_BITS)) + 1]++;
        }
        for (int segment = 0; segment < SEGMENTS; segment++) {
            starts[segment + 1] += starts[segment];
        }
        for (int i = 0; i < n; i++) {
            sorted[starts[(int) (entries[i] >>> (64 - SEGMENT_BITS))]++] = entries[i];
        }
        for (int i = 0; i < n; i++) {
            long entry = sorted[i];
            add((int) (entry >>> 32), (entry & 0xFFFF_FFFFL) - 1);
        }
    }

    /**
     * Offers each counter in {@code hash}'s probe run to {@code candidate} (which compares URLs)
     * until it returns false or the run ends.
     */
    void find(int hash, LongPredicate candidate) {
        int[] table = tables[hash >>> (32 - SEGMENT_BITS)];
        int mask = table.length - 1;
        for (int i = hash & mask; table[i] != 0; i = (i + 1) & mask) {
            if (!candidate.test(table[i] - 1L)) {
                return;
            }
        }
    }

    /** Removes {@code counter}, stored under {@code hash}; nothing if it is not there. */
    void remove(int hash, long counter) {
        int segment = hash >>> (32 - SEGMENT_BITS);
        int[] table = tables[segment];
        int mask = table.length - 1;
        int entry = (int) counter + 1;
        int i = hash & mask;
        while (table[i] != entry) {
            if (table[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Shift the rest of the run back over the hole, keeping each entry reachable from its home.
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = rehash.hashOf(table[j] - 1L) & mask;
            boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (movable) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
        counts[segment]--;
        size--;
    }

    /**
     * Makes room for {@code more} links beyond those held, so that adding them grows no segment
     * (a growth reads every URL of its segment back from the pages): for a bulk import whose
     * size is known roughly. Links beyond the estimate only grow segments as usual.
     */
    void reserve(long more) {
        long perSegment = (size + Math.max(0, more)) / SEGMENTS;
        // The hash spreads links over the segments within a few percent: an eighth more is room enough.
        long wanted = perSegment + perSegment / 8 + 64;
        long capacity = Math.min(1L << 30, Long.highestOneBit(wanted * 10 / 7) << 1);
        for (int segment = 0; segment < SEGMENTS; segment++) {
            if (tables[segment].length < capacity) {
                resize(segment, (int) capacity);
            }
        }
    }

    private void grow(int segment) {
        resize(segment, tables[segment].length * 2);
    }

    private void resize(int segment, int capacity) {
        int[] old = tables[segment];
        int[] grown = new int[capacity];
        for (int entry : old) {
            if (entry != 0) {
                insert(grown, rehash.hashOf(entry - 1L), entry);
            }
        }
        tables[segment] = grown;
    }

    private static void insert(int[] table, int hash, int entry) {
        int mask = table.length - 1;
        int i = hash & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }

    /** Segments of the table: {@link #segment} numbers them from 0. */
    static final int SEGMENT_COUNT = SEGMENTS;

    /** Segment {@code segment}'s table as it is (not a copy): counters plus one, 0 for a free slot. */
    int[] segment(int segment) {
        return tables[segment];
    }

    /** How many links segment {@code segment} holds. */
    int count(int segment) {
        return counts[segment];
    }

    /**
     * Takes the tables of an index image into this empty table: {@code loaded} holds one table
     * per segment (as {@link #segment} gave them, for the same hash), {@code loadedCounts} how
     * many links each holds. Kept, not copied. Throws {@link IllegalArgumentException}, changing
     * nothing, when a table's size is not a power of two of at least the initial capacity, or a
     * count does not fit its table at the load factor.
     */
    void load(int[][] loaded, int[] loadedCounts) {
        if (size != 0) {
            throw new IllegalStateException("a load into a URL index that holds " + size + " links");
        }
        if (loaded.length != SEGMENTS || loadedCounts.length != SEGMENTS) {
            throw new IllegalArgumentException("a URL index of " + loaded.length + " segments");
        }
        long total = 0;
        for (int segment = 0; segment < SEGMENTS; segment++) {
            int[] table = loaded[segment];
            int count = loadedCounts[segment];
            if (table == null || table.length < INITIAL_CAPACITY || Integer.bitCount(table.length) != 1 || count < 0
                    || count * 10L > table.length * 7L) {
                throw new IllegalArgumentException("segment " + segment + " of the URL index does not fit its count");
            }
            total += count;
        }
        System.arraycopy(loaded, 0, tables, 0, SEGMENTS);
        System.arraycopy(loadedCounts, 0, counts, 0, SEGMENTS);
        size = total;
    }

    /** Bytes the tables take, for tests and benchmarks. */
    long tableBytes() {
        long bytes = 0;
        for (int[] table : tables) {
            bytes += 16L + 4L * table.length;
        }
        return bytes;
    }
}
