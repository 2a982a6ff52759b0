package gotourl.visits;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A chain's open day as the worker counts it: a {@link DayAggregate}'s counts, with each name a
 * {@link DayNames} id, all in one small open-addressing array of (key, count) pairs. A visit
 * costs three probes into an array that is usually one or two cache lines, where the maps of a
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

    /** The day counted (days since the epoch, UTC); set by the day's first visit once reset. */
    int day;
    long total;
    long bots;
    /** Pairs: key ({@code id << 2 | dimension}, plus one so that 0 is an empty slot), count. */
    private long[] slots = new long[2 * FIRST_PAIRS];
    private int used;
    private int hosts;
    private int browsers;
    private int systems;

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
        if (slots.length > 4 * 2 * FIRST_PAIRS) {
            slots = new long[2 * FIRST_PAIRS];
        } else {
            java.util.Arrays.fill(slots, 0);
        }
        used = 0;
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
                slots[at + 1]++;
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
            slots[at + 1]++;
        } else {
            insert(dimension, other, 1);
        }
        return id;
    }

    private static long key(int dimension, int id) {
        return ((long) id << 2 | dimension) + 1;
    }

    /** Where {@code key} is, or the empty slot where it would go. */
    private int find(long key) {
        int mask = (slots.length >> 1) - 1;
        int pair = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (slots[pair << 1] != 0 && slots[pair << 1] != key) {
            pair = (pair + 1) & mask;
        }
        return pair << 1;
    }

    /** Adds a name this day does not count yet, with {@code n} visits, whatever the limit. */
    private void insert(int dimension, int id, long n) {
        if ((used + 1) * 4 > (slots.length >> 1) * 3) {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (int at = 0; at < old.length; at += 2) {
                if (old[at] != 0) {
                    int to = find(old[at]);
                    slots[to] = old[at];
                    slots[to + 1] = old[at + 1];
                }
            }
        }
        int at = find(key(dimension, id));
        slots[at] = key(dimension, id);
        slots[at + 1] = n;
        used++;
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
        for (int at = 0; at < slots.length; at += 2) {
            if (slots[at] != 0) {
                long key = slots[at] - 1;
                Map<String, long[]> counts = switch ((int) (key & 3)) {
                    case HOSTS -> aggregate.referrerHosts;
                    case BROWSERS -> aggregate.browsers;
                    default -> aggregate.operatingSystems;
                };
                counts.put(names.name((int) (key >>> 2)), new long[] {slots[at + 1]});
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
        for (int at = 0; at < slots.length; at += 2) {
            if (slots[at] != 0) {
                bytes += 2 + names.utf8((int) ((slots[at] - 1) >>> 2)).length + 8;
            }
        }
        return bytes;
    }

    /** Writes this day as {@link DayAggregate#encode} does, so that {@link DayAggregate#decode} reads it. */
    void encode(ByteBuffer out, DayNames names) {
        out.putInt(day).putLong(total).putLong(bots);
        for (int dimension = 0; dimension < DIMENSIONS; dimension++) {
            out.putShort((short) kept(dimension));
            for (int at = 0; at < slots.length; at += 2) {
                long key = slots[at] - 1;
                if (slots[at] != 0 && (key & 3) == dimension) {
                    byte[] name = names.utf8((int) (key >>> 2));
                    out.putShort((short) name.length).put(name).putLong(slots[at + 1]);
                }
            }
        }
    }
}
