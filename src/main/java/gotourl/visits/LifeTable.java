package gotourl.visits;

import java.util.HashMap;

/**
 * The visits worker's own index of each short code's current life, beside the store's
 * {@code byCode} map that queries read from any thread. It exists for one look-up per visit:
 * over 100,000 links, finding a visit's life in a {@code ConcurrentHashMap} of String keys was a
 * third of the worker's time (profiled, BENCHMARKS.md), each look-up hashing the request's new
 * code String and then reading four cold places (the table's slot, its node, the key String and
 * the key's bytes) before the life itself. Here a code of up to eight Latin-1 characters (every
 * code goto generates: seven base-62 digits reach 3.5 × 10¹², past the 2⁴⁰ codes it hands out)
 * is packed into a {@code long}, and the look-up reads that key's slot in one array and the life
 * in another: two cold places, compared without touching any String but the request's. Longer or
 * other codes (custom slugs) are kept in a plain map.
 *
 * <p>Open addressing with linear probing, at most two thirds full, removal by shifting the
 * entries after the removed one back (no tombstones). Not thread-safe: the worker alone (and a
 * start's recovery, before the worker runs) reads and writes it; ~20–40 bytes per life.
 */
final class LifeTable {
    /** An empty slot; no code packs to it (packed characters are never 0). */
    private static final long EMPTY = 0;
    private static final int FIRST_SLOTS = 1 << 10;

    private long[] keys = new long[FIRST_SLOTS];
    private Scope[] lives = new Scope[FIRST_SLOTS];
    /** 64 minus log2 of the slots: the hash's top bits pick a slot. */
    private int shift = 64 - Integer.numberOfTrailingZeros(FIRST_SLOTS);
    private int size;
    /** Lives of codes that do not pack into a key. */
    private final HashMap<String, Scope> unpacked = new HashMap<>();

    /**
     * {@code code} as a key: its characters, one byte each, the first in the lowest byte; or
     * {@link #EMPTY} when it has none, more than eight, or one that is NUL or beyond Latin-1.
     * Two codes that pack have the same key only if they are equal.
     */
    static long pack(String code) {
        int length = code.length();
        if (length == 0 || length > Long.BYTES) {
            return EMPTY;
        }
        long key = 0;
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (c == 0 || c > 0xFF) {
                return EMPTY;
            }
            key |= (long) c << (i << 3);
        }
        return key;
    }

    /** The current life of {@code code}, or null. */
    Scope get(String code) {
        long key = pack(code);
        if (key == EMPTY) {
            return unpacked.get(code);
        }
        long[] k = keys;
        int mask = k.length - 1;
        for (int at = slot(key); ; at = (at + 1) & mask) {
            long here = k[at];
            if (here == key) {
                return lives[at];
            }
            if (here == EMPTY) {
                return null;
            }
        }
    }

    /** Makes {@code life} its code's current life, in place of any other. */
    void put(Scope life) {
        long key = pack(life.code);
        if (key == EMPTY) {
            unpacked.put(life.code, life);
            return;
        }
        if (3 * (size + 1) > 2 * keys.length) {
            grow();
        }
        int at = find(key);
        if (keys[at] == EMPTY) {
            keys[at] = key;
            size++;
        }
        lives[at] = life;
    }

    /** Takes {@code life} away, if it is its code's current life. */
    void remove(Scope life) {
        long key = pack(life.code);
        if (key == EMPTY) {
            unpacked.remove(life.code, life);
            return;
        }
        int at = find(key);
        if (keys[at] == EMPTY || lives[at] != life) {
            return;
        }
        // Move back each following entry of the run that may sit in the hole (its home slot is
        // not between the hole and it), so that every probe still finds its key before an empty slot.
        int mask = keys.length - 1;
        int hole = at;
        for (int next = (hole + 1) & mask; keys[next] != EMPTY; next = (next + 1) & mask) {
            int home = slot(keys[next]);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                keys[hole] = keys[next];
                lives[hole] = lives[next];
                hole = next;
            }
        }
        keys[hole] = EMPTY;
        lives[hole] = null;
        size--;
    }

    /** Lives held (packed or not). */
    int size() {
        return size + unpacked.size();
    }

    /** Where {@code key} is, or the empty slot where it would go. */
    private int find(long key) {
        int mask = keys.length - 1;
        int at = slot(key);
        while (keys[at] != EMPTY && keys[at] != key) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void grow() {
        long[] oldKeys = keys;
        Scope[] oldLives = lives;
        keys = new long[oldKeys.length * 2];
        lives = new Scope[oldKeys.length * 2];
        shift--;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int at = find(oldKeys[i]);
                keys[at] = oldKeys[i];
                lives[at] = oldLives[i];
            }
        }
    }
}
