package gotourl.visits;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A chain's open day as the worker counts it: a {@link DayAggregate}'s counts, with each name a
 * {@link DayNames} id, all in one small open-addressing array of (key, count) pairs, a
 * {@code long} each. A visit costs three probes into an array that is usually one cache line
 * (a first visit's day: three names in a {@code long[4]}), where the maps of a
 * {@link DayAggregate} cost a chain of pointers each (three maps, their tables, entries and
 * counters: most of what recording a visit cost over 100,000 links, measured in BENCHMARKS.md).
 * Same rule as {@link DayAggregate}: a day keeps {@value DayAggregate#MAX_NAMES} names per
 * dimension, the first to come, and counts the rest under {@link VisitAggregates#OTHER}; so the
 * names kept depend only on the order in which names first came, exactly as before. Written as
 * {@link DayAggregate#encode} writes. The worker's alone, under the store's day lock.
 */
final class OpenDay {
    static final int DIMENSIONS = 3;
    static final int HOSTS = 0;
    static final int BROWSERS = 1;
    static final int SYSTEMS = 2;
    private static final int FIRST_PAIRS = 4;
    private static final long COUNT = 0xFFFF_FFFFL;
    /** Ids below this make a key that fits 32 bits (a billion names in a day: far beyond the heap). */
    private static final int MAX_IDS = (1 << 30) - 1;

    /** The day counted (days since the epoch, UTC); set by the day's first visit once reset. */
    int day;
    long total;
    long bots;
    /**
     * Pairs, one {@code long} each: the key ({@code id << 2 | dimension}, plus one so that 0 is an
     * empty slot) in the high 32 bits, the count in the low 32 (a pair was two longs: a first
     * visit's day held a {@code long[8]} of 80 bytes, now a {@code long[4]} of 48).
     */
    private long[] slots = new long[FIRST_PAIRS];
    /**
     * What counts beyond 2^32 - 1 carried out of their 32 bits, by key; null until one does (four
     * billion visits of one link in a day), so that counts stay exact.
     */
    private java.util.HashMap<Integer, Long> carried;
    // Names kept per dimension: at most DayAggregate.MAX_NAMES + 1 here, and a short in the format.
    private short hosts;
    private short browsers;
    private short systems;

    OpenDay(int day) {
        this.day = day;
    }

    /**
     * Empties this day for the next one, once sealed: no visit, no name (their ids are the
     * sealed day's). Its array is kept, unless a busy day grew it past four times its first size.
     */
    void reset() {
        total = 0;
        bots = 0;
        if (slots.length > 4 * FIRST_PAIRS) {
            slots = new long[FIRST_PAIRS];
        } else {
            java.util.Arrays.fill(slots, 0);
        }
        carried = null;
        hosts = 0;
        browsers = 0;
        systems = 0;
    }

    /**
     * Counts one visit's name of {@code dimension}: {@code id} is its {@link DayNames} id, or
     * {@link DayNames#NONE} when it has none yet. Returns its id, given now if this day admits
     * the name, or still NONE when it went to {@link VisitAggregates#OTHER} without one.
     */
    int count(int dimension, int id, String name, DayNames names) {
        if (id != DayNames.NONE) {
            int at = find(key(dimension, id));
            if (slots[at] != 0) {
                increment(at);
                return id;
            }
        }
        if (kept(dimension) < DayAggregate.MAX_NAMES) {
            if (id == DayNames.NONE) {
                id = names.intern(name);
            }
            insert(dimension, id, 1);
            return id;
        }
        int other = names.intern(VisitAggregates.OTHER);
        int at = find(key(dimension, other));
        if (slots[at] != 0) {
            increment(at);
        } else {
            insert(dimension, other, 1);
        }
        return id;
    }

    private static long key(int dimension, int id) {
        if (id < 0 || id >= MAX_IDS) {
            throw new IllegalStateException("name id " + id + " does not fit an open day's key (" + MAX_IDS + " names a day at most)");
        }
        return ((long) id << 2 | dimension) + 1;
    }

    /** Where {@code key} is, or the empty slot where it would go. */
    private int find(long key) {
        int mask = slots.length - 1;
        int at = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (slots[at] != 0 && slots[at] >>> 32 != key) {
            at = (at + 1) & mask;
        }
        return at;
    }

    /** One more visit for the pair at {@code at}; a count at 2^32 - 1 carries into {@link #carried}. */
    private void increment(int at) {
        if ((slots[at] & COUNT) == COUNT) {
            slots[at] &= ~COUNT;
            carry(slots[at] >>> 32, COUNT + 1);
        } else {
            slots[at]++;
        }
    }

    private void carry(long key, long n) {
        if (carried == null) {
            carried = new java.util.HashMap<>();
        }
        carried.merge((int) key, n, Long::sum);
    }

    /** The count of the pair at {@code at} (not empty). */
    private long countAt(int at) {
        long count = slots[at] & COUNT;
        return carried == null ? count : count + carried.getOrDefault((int) (slots[at] >>> 32), 0L);
    }

    /** Adds a name this day does not count yet, with {@code n} visits, whatever the limit. */
    private void insert(int dimension, int id, long n) {
        long key = key(dimension, id);
        if ((hosts + browsers + systems + 1) * 4 > slots.length * 3) {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (long pair : old) {
                if (pair != 0) {
                    slots[find(pair >>> 32)] = pair;
                }
            }
        }
        slots[find(key)] = key << 32 | (n & COUNT);
        if (n > COUNT) {
            carry(key, n & ~COUNT);
        }
        switch (dimension) {
            case HOSTS -> hosts++;
            case BROWSERS -> browsers++;
            default -> systems++;
        }
    }

    private int kept(int dimension) {
        return switch (dimension) {
            case HOSTS -> hosts;
            case BROWSERS -> browsers;
            default -> systems;
        };
    }

    /** This day with its names spelled out, for queries and for the code that sums days. */
    DayAggregate toAggregate(DayNames names) {
        DayAggregate aggregate = new DayAggregate(day);
        aggregate.total = total;
        aggregate.bots = bots;
        for (int at = 0; at < slots.length; at++) {
            if (slots[at] != 0) {
                long key = (slots[at] >>> 32) - 1;
                Map<String, long[]> counts = switch ((int) (key & 3)) {
                    case HOSTS -> aggregate.referrerHosts;
                    case BROWSERS -> aggregate.browsers;
                    default -> aggregate.operatingSystems;
                };
                counts.put(names.name((int) (key >>> 2)), new long[] {countAt(at)});
            }
        }
        return aggregate;
    }

    /** {@code aggregate} (a day read back from a checkpoint) as the worker counts it. */
    static OpenDay of(DayAggregate aggregate, DayNames names) {
        OpenDay day = new OpenDay(aggregate.day);
        day.total = aggregate.total;
        day.bots = aggregate.bots;
        aggregate.referrerHosts.forEach((name, n) -> day.insert(HOSTS, names.intern(name), n[0]));
        aggregate.browsers.forEach((name, n) -> day.insert(BROWSERS, names.intern(name), n[0]));
        aggregate.operatingSystems.forEach((name, n) -> day.insert(SYSTEMS, names.intern(name), n[0]));
        return day;
    }

    /** Bytes {@link #encode} writes. */
    int encodedBytes(DayNames names) {
        int bytes = 4 + 8 + 8 + 2 * DIMENSIONS;
        for (long pair : slots) {
            if (pair != 0) {
                bytes += 2 + names.utf8((int) (((pair >>> 32) - 1) >>> 2)).length + 8;
            }
        }
        return bytes;
    }

    /** Writes this day as {@link DayAggregate#encode} does, so that {@link DayAggregate#decode} reads it. */
    void encode(ByteBuffer out, DayNames names) {
        out.putInt(day).putLong(total).putLong(bots);
        for (int dimension = 0; dimension < DIMENSIONS; dimension++) {
            out.putShort((short) kept(dimension));
            for (int at = 0; at < slots.length; at++) {
                long key = (slots[at] >>> 32) - 1;
                if (slots[at] != 0 && (key & 3) == dimension) {
                    byte[] name = names.utf8((int) (key >>> 2));
                    out.putShort((short) name.length).put(name).putLong(countAt(at));
                }
            }
        }
    }
}
