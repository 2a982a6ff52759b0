package gotourl.store.log;

/**
 * The long URLs of a bulk import's file as fingerprints (each URL's {@link String#hashCode} and
 * length in one long), to answer "is there surely no link to this URL?" without the index of long
 * URLs, whose every candidate costs a read of its URL from the index's pages.
 *
 * <p>Why: an import adds mostly URLs the file does not hold, and for each one the idempotency
 * check walked a probe run of the URL table, comparing URL bytes far apart in memory. Here a miss
 * is one or two reads of a {@code long[]}. A hit (the URL is there, or another URL has the same
 * fingerprint) sends the caller to the exact lookup, so a collision costs time, never a wrong
 * answer. Open addressing with linear probing, at most half full; 8 bytes a slot. One thread.
 */
final class UrlFingerprints {
    private long[] slots = new long[1 << 10];
    private int size;

    /** Makes room for {@code more} URLs beyond those held, so that adding them does not grow the table. */
    void reserve(long more) {
        long wanted = Math.min(1L << 30, 2 * (size + Math.max(0, more)));
        if (wanted > slots.length) {
            resize((int) Long.highestOneBit(wanted - 1) << 1);
        }
    }

    void add(String url) {
        if (2 * (size + 1) > slots.length) {
            resize(slots.length * 2);
        }
        if (insert(slots, fingerprint(url))) {
            size++;
        }
    }

    /** False when no URL added has {@code url}'s fingerprint: then it was surely never added. */
    boolean mightContain(String url) {
        long fingerprint = fingerprint(url);
        int mask = slots.length - 1;
        for (int i = spread(fingerprint) & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] == fingerprint) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the slot where {@code url}'s fingerprint would start, and returns it: nothing to the
     * caller but a read that brings it into the CPU's cache. The table is far beyond the caches,
     * so each lookup of an import costs a miss; read ahead for a batch of URLs in a loop whose
     * reads do not depend on one another, the CPU overlaps the misses, and the lookups that follow
     * find their slots cached.
     */
    long touch(String url) {
        return slots[spread(fingerprint(url)) & (slots.length - 1)];
    }

    /** Never 0 (a URL has at least one character), which marks a free slot. */
    private static long fingerprint(String url) {
        return (long) url.length() << 32 | (url.hashCode() & 0xFFFF_FFFFL);
    }

    /** MurmurHash3's 64-bit finalizer: String's polynomial hash of similar URLs differs mostly in its low bits. */
    private static int spread(long fingerprint) {
        long h = fingerprint;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Adds {@code fingerprint} unless it is there; true when added. */
    private static boolean insert(long[] table, long fingerprint) {
        int mask = table.length - 1;
        int i = spread(fingerprint) & mask;
        while (table[i] != 0) {
            if (table[i] == fingerprint) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = fingerprint;
        return true;
    }

    private void resize(int capacity) {
        long[] grown = new long[capacity];
        for (long fingerprint : slots) {
            if (fingerprint != 0) {
                insert(grown, fingerprint);
            }
        }
        slots = grown;
    }
}
