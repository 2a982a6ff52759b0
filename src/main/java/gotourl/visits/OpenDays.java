package gotourl.visits;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The open days of the chains that hold one: those visited in the open day, and those visited
 * the day before, whose day was sealed and is kept, emptied, for their next visit (a chain not
 * visited for a whole day loses its day at the next seal, so the days held follow the links
 * visited, not every link ever visited). Each day is a row of this table, and a chain knows its
 * row ({@link Scope#openDayAt}).
 *
 * <p>A day counts as a {@link DayAggregate} does, with each name a {@link DayNames} id: the
 * first {@value DayAggregate#MAX_NAMES} names per dimension, the rest under
 * {@link VisitAggregates#OTHER}, so the names kept depend only on the order in which names first
 * came. Its (key, count) pairs are a {@code long} each (the key, {@code id << 2 | dimension} plus
 * one so that 0 is an empty slot, in the high 32 bits, the count in the low 32) in a small
 * open-addressing table: a visit costs three probes into the row's four slots, which is where a
 * link's day stays unless it sees more than three names (a first visit has three: host, browser,
 * system). Written as {@link DayAggregate#encode} writes.
 *
 * <p>Rows, not objects: each row is {@value #STRIDE} {@code long}s (its day and names kept per
 * dimension, its total, its bots, four slots) in chunks of {@value #CHUNK_ROWS} rows made once and
 * never copied, beside the chunk's chains and, for the rare day that outgrows four slots or counts
 * past 2^32 - 1, a {@link Spill}. A day used to be an object and its array of slots (96 bytes in
 * two objects, made on a link's first visit and copied by the young collector into the old
 * generation, BENCHMARKS.md); a row is 64 bytes in blocks that are already there. Removing a row
 * moves the last one into its place, so rows stay dense. The worker's alone, under the store's
 * day lock (queries copy a day under the same lock).
 */
final class OpenDays {
    static final int DIMENSIONS = 3;
    static final int HOSTS = 0;
    static final int BROWSERS = 1;
    static final int SYSTEMS = 2;

    static final int CHUNK_ROWS = 1 << 10;
    static final int STRIDE = 7;
    private static final int HEAD = 0;
    private static final int TOTAL = 1;
    private static final int BOTS = 2;
    private static final int SLOTS = 3;
    private static final int FIRST_PAIRS = 4;
    private static final long DAY_BITS = 0xFFFF_FFFFL;
    private static final int KEPT_SHIFT = 32;
    private static final long KEPT_MASK = 0xFF;
    private static final long SPILLED = 1L << 63;
    private static final long COUNT = 0xFFFF_FFFFL;
    /** Ids below this make a key that fits 32 bits (a billion names in a day: far beyond the heap). */
    private static final int MAX_IDS = (1 << 30) - 1;

    static {
        if (DayAggregate.MAX_NAMES + 1 > KEPT_MASK) {
            throw new ExceptionInInitializerError("names kept per dimension do not fit a row's 8 bits");
        }
    }

    /**
     * What a day needs beyond its row, rarely: the slots once it has more than three names
     * (null while they fit the row's four), and the counts carried past 2^32 - 1, by key (null
     * until one does: four billion visits of one link in a day), so that counts stay exact.
     */
    static final class Spill {
        long[] slots;
        HashMap<Integer, Long> carried;
    }

    private long[][] rows = new long[1][];
    private Scope[][] scopes = new Scope[1][];
    private Spill[][] spills = new Spill[1][];
    private int size;

    int size() {
        return size;
    }

    /** The chain of row {@code index}, below {@link #size}. */
    Scope get(int index) {
        return scopes[index / CHUNK_ROWS][index % CHUNK_ROWS];
    }

    /**
     * {@code scope}'s row, counting day {@code day}: a new, empty one if it holds none, its day
     * kept from the day before (emptied at the seal) set to {@code day} if it has no visit yet,
     * else the row as it is.
     */
    int open(Scope scope, int day) {
        int row = scope.openDayAt;
        if (row < 0) {
            row = add(scope);
            setDay(row, day);
        } else if (total(row) == 0) {
            setDay(row, day);
        }
        return row;
    }

    /** Adds an empty row for {@code scope} (which holds none) and returns it. */
    private int add(Scope scope) {
        int chunk = size / CHUNK_ROWS;
        if (chunk == rows.length) {
            rows = Arrays.copyOf(rows, 2 * chunk);
            scopes = Arrays.copyOf(scopes, 2 * chunk);
            spills = Arrays.copyOf(spills, 2 * chunk);
        }
        if (rows[chunk] == null) {
            rows[chunk] = new long[CHUNK_ROWS * STRIDE];
            scopes[chunk] = new Scope[CHUNK_ROWS];
            spills[chunk] = new Spill[CHUNK_ROWS];
        }
        scopes[chunk][size % CHUNK_ROWS] = scope;
        scope.openDayAt = size;
        return size++;
    }

    /** Takes {@code scope}'s row away, if it has one; the last row takes its place. */
    void remove(Scope scope) {
        int at = scope.openDayAt;
        if (at < 0) {
            return;
        }
        int last = --size;
        long[] from = rows[last / CHUNK_ROWS];
        int fromBase = (last % CHUNK_ROWS) * STRIDE;
        if (at != last) {
            System.arraycopy(from, fromBase, rows[at / CHUNK_ROWS], (at % CHUNK_ROWS) * STRIDE, STRIDE);
            Scope moved = get(last);
            scopes[at / CHUNK_ROWS][at % CHUNK_ROWS] = moved;
            spills[at / CHUNK_ROWS][at % CHUNK_ROWS] = spills[last / CHUNK_ROWS][last % CHUNK_ROWS];
            moved.openDayAt = at;
        }
        Arrays.fill(from, fromBase, fromBase + STRIDE, 0);
        scopes[last / CHUNK_ROWS][last % CHUNK_ROWS] = null;
        spills[last / CHUNK_ROWS][last % CHUNK_ROWS] = null;
        scope.openDayAt = -1;
    }

    /** Takes every row away. Chunks are kept for the rows to come. */
    void clear() {
        for (int i = 0; i < size; i++) {
            get(i).openDayAt = -1;
        }
        for (int chunk = 0; chunk < rows.length && rows[chunk] != null; chunk++) {
            Arrays.fill(rows[chunk], 0);
            Arrays.fill(scopes[chunk], null);
            Arrays.fill(spills[chunk], null);
        }
        size = 0;
    }

    /** Whether any chain was visited in the open day. */
    boolean anyVisited() {
        for (int i = 0; i < size; i++) {
            if (total(i) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code scope} holds a day with at least one visit. */
    boolean visited(Scope scope) {
        return scope.openDayAt >= 0 && total(scope.openDayAt) > 0;
    }

    // ---- one row ----

    private long[] chunk(int row) {
        return rows[row / CHUNK_ROWS];
    }

    private static int base(int row) {
        return (row % CHUNK_ROWS) * STRIDE;
    }

    private Spill spill(int row) {
        return spills[row / CHUNK_ROWS][row % CHUNK_ROWS];
    }

    private Spill spillOrNew(int row) {
        Spill spill = spill(row);
        if (spill == null) {
            spill = new Spill();
            spills[row / CHUNK_ROWS][row % CHUNK_ROWS] = spill;
            chunk(row)[base(row) + HEAD] |= SPILLED;
        }
        return spill;
    }

    /** The day counted in row {@code row} (days since the epoch, UTC). */
    int day(int row) {
        return (int) chunk(row)[base(row) + HEAD];
    }

    private void setDay(int row, int day) {
        long[] chunk = chunk(row);
        int at = base(row) + HEAD;
        chunk[at] = (chunk[at] & ~DAY_BITS) | (day & DAY_BITS);
    }

    /**
     * Reads row {@code row}'s first and last {@code long}, so that both cache lines its 56 bytes may
     * straddle are brought in: the visits worker touches each visit's row with the batch's other
     * look-ups ({@link LogVisitStore}), before it counts. Returns their sum, for the caller to keep.
     */
    long touch(int row) {
        long[] chunk = chunk(row);
        int base = base(row);
        return chunk[base] + chunk[base + STRIDE - 1];
    }

    long total(int row) {
        return chunk(row)[base(row) + TOTAL];
    }

    long bots(int row) {
        return chunk(row)[base(row) + BOTS];
    }

    /** Counts one visit (and one bot if {@code bot}) in row {@code row}'s totals. */
    void visit(int row, boolean bot) {
        long[] chunk = chunk(row);
        int base = base(row);
        chunk[base + TOTAL]++;
        if (bot) {
            chunk[base + BOTS]++;
        }
    }

    private int kept(int row, int dimension) {
        return (int) ((chunk(row)[base(row) + HEAD] >>> (KEPT_SHIFT + 8 * dimension)) & KEPT_MASK);
    }

    private void keepOneMore(int row, int dimension) {
        chunk(row)[base(row) + HEAD] += 1L << (KEPT_SHIFT + 8 * dimension);
    }

    /**
     * Empties row {@code row} for the next day, once sealed: no visit, no name (their ids are the
     * sealed day's). Its slots are kept, unless a busy day grew them past four times the row's four.
     */
    void reset(int row) {
        long[] chunk = chunk(row);
        int base = base(row);
        Spill spill = spill(row);
        Arrays.fill(chunk, base, base + STRIDE, 0);
        if (spill != null && spill.slots != null && spill.slots.length <= 4 * FIRST_PAIRS) {
            Arrays.fill(spill.slots, 0);
            spill.carried = null;
            chunk[base + HEAD] = SPILLED;
        } else {
            spills[row / CHUNK_ROWS][row % CHUNK_ROWS] = null;
        }
    }

    /**
     * Counts one visit's name of {@code dimension} in row {@code row}: {@code id} is its
     * {@link DayNames} id, or {@link DayNames#NONE} when it has none yet. Returns its id, given now
     * if this day admits the name, or still NONE when it went to {@link VisitAggregates#OTHER}
     * without one.
     */
    int count(int row, int dimension, int id, String name, DayNames names) {
        if (id != DayNames.NONE) {
            if (increment(row, key(dimension, id))) {
                return id;
            }
        }
        if (kept(row, dimension) < DayAggregate.MAX_NAMES) {
            if (id == DayNames.NONE) {
                id = names.intern(name);
            }
            insert(row, dimension, id, 1);
            return id;
        }
        int other = names.intern(VisitAggregates.OTHER);
        if (!increment(row, key(dimension, other))) {
            insert(row, dimension, other, 1);
        }
        return id;
    }

    private static long key(int dimension, int id) {
        if (id < 0 || id >= MAX_IDS) {
            throw new IllegalStateException("name id " + id + " does not fit an open day's key (" + MAX_IDS + " names a day at most)");
        }
        return ((long) id << 2 | dimension) + 1;
    }

    /** Where {@code key} is among {@code length} slots from {@code from}, or the empty slot where it would go. */
    private static int find(long[] slots, int from, int length, long key) {
        int mask = length - 1;
        int at = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (slots[from + at] != 0 && slots[from + at] >>> 32 != key) {
            at = (at + 1) & mask;
        }
        return from + at;
    }

    /** One more visit for {@code key}, if row {@code row} counts it; a count at 2^32 - 1 carries. */
    private boolean increment(int row, long key) {
        long[] chunk = chunk(row);
        int base = base(row);
        long[] slots = chunk;
        int from = base + SLOTS;
        int length = FIRST_PAIRS;
        if ((chunk[base + HEAD] & SPILLED) != 0 && spill(row).slots != null) {
            slots = spill(row).slots;
            from = 0;
            length = slots.length;
        }
        int at = find(slots, from, length, key);
        if (slots[at] == 0) {
            return false;
        }
        if ((slots[at] & COUNT) == COUNT) {
            slots[at] &= ~COUNT;
            carry(row, key, COUNT + 1);
        } else {
            slots[at]++;
        }
        return true;
    }

    private void carry(int row, long key, long n) {
        Spill spill = spillOrNew(row);
        if (spill.carried == null) {
            spill.carried = new HashMap<>();
        }
        spill.carried.merge((int) key, n, Long::sum);
    }

    /** Adds a name row {@code row} does not count yet, with {@code n} visits, whatever the limit. */
    private void insert(int row, int dimension, int id, long n) {
        long key = key(dimension, id);
        long[] chunk = chunk(row);
        int base = base(row);
        Spill spill = spill(row);
        long[] slots = chunk;
        int from = base + SLOTS;
        int length = FIRST_PAIRS;
        if (spill != null && spill.slots != null) {
            slots = spill.slots;
            from = 0;
            length = slots.length;
        }
        int names = kept(row, HOSTS) + kept(row, BROWSERS) + kept(row, SYSTEMS);
        if ((names + 1) * 4 > length * 3) {
            long[] grown = new long[length * 2];
            for (int i = from; i < from + length; i++) {
                if (slots[i] != 0) {
                    grown[find(grown, 0, grown.length, slots[i] >>> 32)] = slots[i];
                }
            }
            if (slots == chunk) {
                Arrays.fill(chunk, from, from + length, 0);
            }
            spillOrNew(row).slots = grown;
            slots = grown;
            from = 0;
            length = grown.length;
        }
        slots[find(slots, from, length, key)] = key << 32 | (n & COUNT);
        if (n > COUNT) {
            carry(row, key, n & ~COUNT);
        }
        keepOneMore(row, dimension);
    }

    /** Calls {@code pairs} with each of row {@code row}'s (key, count) pairs, counts carried included. */
    private void forEachPair(int row, PairConsumer pairs) {
        Spill spill = spill(row);
        long[] slots = chunk(row);
        int from = base(row) + SLOTS;
        int length = FIRST_PAIRS;
        if (spill != null && spill.slots != null) {
            slots = spill.slots;
            from = 0;
            length = slots.length;
        }
        for (int i = from; i < from + length; i++) {
            long pair = slots[i];
            if (pair != 0) {
                long key = pair >>> 32;
                long count = pair & COUNT;
                if (spill != null && spill.carried != null) {
                    count += spill.carried.getOrDefault((int) key, 0L);
                }
                pairs.accept(key - 1, count);
            }
        }
    }

    @FunctionalInterface
    private interface PairConsumer {
        /** {@code key} is {@code id << 2 | dimension}. */
        void accept(long key, long count);
    }

    /** Row {@code row}'s day with its names spelled out, for queries and for the code that sums days. */
    DayAggregate toAggregate(int row, DayNames names) {
        DayAggregate aggregate = new DayAggregate(day(row));
        aggregate.total = total(row);
        aggregate.bots = bots(row);
        forEachPair(row, (key, count) -> {
            Map<String, long[]> counts = switch ((int) (key & 3)) {
                case HOSTS -> aggregate.referrerHosts;
                case BROWSERS -> aggregate.browsers;
                default -> aggregate.operatingSystems;
            };
            counts.put(names.name((int) (key >>> 2)), new long[] {count});
        });
        return aggregate;
    }

    /**
     * Gives {@code scope} (which holds no day) the day {@code aggregate}, one read back from a
     * checkpoint, as the worker counts it; returns its row.
     */
    int load(Scope scope, DayAggregate aggregate, DayNames names) {
        int row = add(scope);
        setDay(row, aggregate.day);
        long[] chunk = chunk(row);
        chunk[base(row) + TOTAL] = aggregate.total;
        chunk[base(row) + BOTS] = aggregate.bots;
        aggregate.referrerHosts.forEach((name, n) -> insert(row, HOSTS, names.intern(name), n[0]));
        aggregate.browsers.forEach((name, n) -> insert(row, BROWSERS, names.intern(name), n[0]));
        aggregate.operatingSystems.forEach((name, n) -> insert(row, SYSTEMS, names.intern(name), n[0]));
        return row;
    }

    /** Bytes {@link #encode} writes for row {@code row}. */
    int encodedBytes(int row, DayNames names) {
        int[] bytes = {4 + 8 + 8 + 2 * DIMENSIONS};
        forEachPair(row, (key, count) -> bytes[0] += 2 + names.utf8((int) (key >>> 2)).length + 8);
        return bytes[0];
    }

    /** Writes row {@code row}'s day as {@link DayAggregate#encode} does, so that {@link DayAggregate#decode} reads it. */
    void encode(int row, ByteBuffer out, DayNames names) {
        out.putInt(day(row)).putLong(total(row)).putLong(bots(row));
        for (int dimension = 0; dimension < DIMENSIONS; dimension++) {
            int d = dimension;
            out.putShort((short) kept(row, dimension));
            forEachPair(row, (key, count) -> {
                if ((key & 3) == d) {
                    byte[] name = names.utf8((int) (key >>> 2));
                    out.putShort((short) name.length).put(name).putLong(count);
                }
            });
        }
    }
}
