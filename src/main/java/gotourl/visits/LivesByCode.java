package gotourl.visits;

import gotourl.link.ShortCodes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The current lives by short code: what the visits worker looks up for every visit, and queries
 * for a link's visits. An open-addressing table of {@link Scope}s (each holds its code, packed
 * into a long when it fits: {@link Scope#pack}), probed
 * linearly from a hash of the code's characters that spreads short codes well.
 *
 * <p>Why not a {@code ConcurrentHashMap<String, Scope>}: generated codes are short base-62
 * strings, and {@code String.hashCode} gives them few distinct values (100,000 codes share 21,985
 * hashes, 1,000,000 share 155,625), so its bins held chains and trees of 3 to 27 colliding codes,
 * each step a node, a key and its bytes read from memory. Two thirds of the worker's samples
 * were in those look-ups, at 4.7 µs of CPU per visit on one core over 100,000 links
 * (BENCHMARKS.md, "A link's first visit"). Here a look-up reads a slot and the life.
 *
 * <p>One writer (the visits worker, or a start's recovery before it runs), readers on any thread:
 * slots are written with release and read with acquire semantics; a removed life leaves a
 * tombstone, so that a reader probing past it still finds what lies beyond; the table is rebuilt
 * (tombstones dropped) into a new array, filled before it is published through a volatile field.
 * A reader still on the old array sees the lives as they were when it read the field, as a
 * {@code ConcurrentHashMap} reader may see a state from just before a concurrent change.
 */
final class LivesByCode {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Scope[].class);
    private static final int FIRST_SLOTS = 1 << 10;
    /** Marks a removed life's slot; never returned. */
    private static final Scope TOMBSTONE = Scope.of(Integer.MIN_VALUE, "", 0);

    private volatile Scope[] table = new Scope[FIRST_SLOTS];
    /** Lives held, and slots holding a tombstone; the writer's alone (size read by anyone). */
    private volatile int size;
    private int tombstones;

    /** The current life of {@code code}, or null. */
    Scope get(String code) {
        return get(code, hash(code));
    }

    /** The current life of {@code code}, whose {@link #hash(String)} is {@code hash}, or null. */
    Scope get(String code, int hash) {
        long packed = Scope.pack(code);
        Scope[] slots = table;
        int mask = slots.length - 1;
        for (int at = hash & mask; ; at = (at + 1) & mask) {
            Scope life = (Scope) SLOT.getAcquire(slots, at);
            if (life == null) {
                return null;
            }
            if (life != TOMBSTONE && life.hasCode(code, packed)) {
                return life;
            }
        }
    }

    /**
     * What the first slot a code of {@code hash} probes holds (a life, a tombstone or null): a read
     * that brings the slot's line into the cache, for the worker's look-ups of a batch
     * ({@link LogVisitStore}); nearly always the code's life itself, as the table is at most three
     * quarters full and probed linearly.
     */
    Scope firstSlot(int hash) {
        Scope[] slots = table;
        return (Scope) SLOT.getAcquire(slots, hash & (slots.length - 1));
    }

    /** Makes {@code life} its code's current life, replacing any other. Writer only. */
    void put(Scope life) {
        if (life.packedCode == 0 && life.longCode() == null) {
            throw new IllegalArgumentException("a life held by code needs its code");
        }
        if ((size + tombstones + 1) * 4L > table.length * 3L) {
            rebuild(size + 1);
        }
        Scope[] slots = table;
        int mask = slots.length - 1;
        int free = -1;
        for (int at = hash(life) & mask; ; at = (at + 1) & mask) {
            Scope held = slots[at];
            if (held == null) {
                if (free < 0) {
                    free = at;
                } else {
                    tombstones--;
                }
                SLOT.setRelease(slots, free, life);
                size++;
                return;
            }
            if (held == TOMBSTONE) {
                if (free < 0) {
                    free = at; // reused once the code is known to be absent further on
                }
            } else if (held.sameCode(life)) {
                SLOT.setRelease(slots, at, life);
                return;
            }
        }
    }

    /** Takes {@code life} away, if it is its code's current life. Writer only. */
    void remove(Scope life) {
        Scope[] slots = table;
        int mask = slots.length - 1;
        for (int at = hash(life) & mask; ; at = (at + 1) & mask) {
            Scope held = slots[at];
            if (held == null) {
                return;
            }
            if (held == life) {
                SLOT.setRelease(slots, at, TOMBSTONE);
                size--;
                tombstones++;
                return;
            }
        }
    }

    /** Lives held. */
    int size() {
        return size;
    }

    /** Copies the lives into a new table, at most half full with {@code lives}; tombstones dropped. */
    private void rebuild(int lives) {
        int length = FIRST_SLOTS;
        while (lives * 2L > length) {
            length <<= 1;
        }
        Scope[] slots = new Scope[length];
        int mask = length - 1;
        for (Scope life : table) {
            if (life != null && life != TOMBSTONE) {
                int at = hash(life) & mask;
                while (slots[at] != null) {
                    at = (at + 1) & mask;
                }
                slots[at] = life;
            }
        }
        tombstones = 0;
        table = slots; // volatile: the filled array is published whole
    }

    /** A hash of {@code code}'s characters that spreads short codes well: {@link ShortCodes#hash}. */
    static int hash(String code) {
        return ShortCodes.hash(code);
    }

    /**
     * {@link #hash(String)} of {@code life}'s code, from its packed form when it has one: the same
     * value, as {@link ShortCodes#hash} computes it over the code's characters (held equal by tests).
     */
    static int hash(Scope life) {
        long packed = life.packedCode;
        if (packed == 0) {
            return hash(life.longCode());
        }
        long h = 0xcbf29ce484222325L;
        for (int shift = 56; shift >= 0 && (packed >>> shift & 0xFF) != 0; shift -= 8) {
            h = (h ^ (packed >>> shift & 0xFF)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** For tests: slots in the table now. */
    int capacity() {
        return table.length;
    }

    @Override
    public String toString() {
        return "LivesByCode[" + size + " lives in " + table.length + " slots, " + tombstones + " tombstones]";
    }
}
