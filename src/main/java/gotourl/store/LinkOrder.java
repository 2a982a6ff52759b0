package gotourl.store;

import java.util.Arrays;

/**
 * The links in order of creation, oldest first, for listing: a page of the newest links is read
 * from the end without sorting anything (the goal: a list page at 1M links in under 5 ms).
 *
 * <p>Design note. Two parallel arrays in chunks: a reference per link and its creation second. A
 * reference is the link's counter ({@code >= 0}) for a generated key, or {@code -(id + 1)} for
 * any other code, whose text sits in a third chunked array under {@code id}. An entry is never
 * changed once written, except that a deleted custom slug or random code has its text set to null
 * (a slug can be claimed again and gets a new entry). Deleted generated keys are never reused, so
 * their entry is recognized as dead by the index's empty slot. Dead entries are skipped when read
 * and dropped when they outnumber the live ones ({@link #needsRebuild}).
 *
 * <p>One writer (under {@link LinkState}'s lock) appends: it writes the entry, then publishes the
 * new count through a volatile write; a reader reads the count first and so sees the entries
 * below it. Growing replaces the chunk tables (also volatile) before the count moves. Memory: 12
 * bytes per link (a long and an int), plus the code of a link that is not a generated key.
 *
 * <p>Order: the order of appends, which is creation order as long as links are created in order of
 * their creation second. A replay after compaction appends custom slugs after every generated key;
 * then {@link #sorted} turns false and the state rebuilds the order sorted by creation second.
 */
final class LinkOrder {
    private static final int CHUNK_BITS = 14;
    /** Entries per chunk of {@link #loaded}'s arrays. */
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;

    private volatile long[][] refs = new long[0][];
    private volatile int[][] created = new int[0][];
    private volatile String[][] codes = new String[0][];
    private volatile int count;
    private volatile boolean sorted = true;
    // Writer state.
    private int codeCount;
    private int dead;
    private long lastCreated = Long.MIN_VALUE;

    /** Entries written, live or dead; read it first, then only entries below it. */
    int count() {
        return count;
    }

    /** False when an entry was appended with an earlier creation second than the one before it. */
    boolean sorted() {
        return sorted;
    }

    /** True when dead entries outnumber the live ones, or the order is not sorted: time for {@link LinkState} to rebuild it. */
    boolean needsRebuild() {
        return !sorted || dead > 1024 && dead > count / 2;
    }

    long ref(int at) {
        return refs[at >>> CHUNK_BITS][at & MASK];
    }

    /** The creation second of entry {@code at}, unsigned. */
    long createdSeconds(int at) {
        return Integer.toUnsignedLong(created[at >>> CHUNK_BITS][at & MASK]);
    }

    /** The code of a non-counter reference, or null once that link is deleted. */
    String code(long ref) {
        int id = (int) (-ref - 1);
        return codes[id >>> CHUNK_BITS][id & MASK];
    }

    /** Appends a link created at {@code createdSeconds}: by {@code counter}, or by {@code code} when counter is -1. Returns the code id, or -1. */
    int append(long counter, String code, long createdSeconds) {
        int at = count;
        int chunk = at >>> CHUNK_BITS;
        if (chunk >= refs.length) {
            refs = grow(refs, new long[CHUNK]);
            created = grow(created, new int[CHUNK]);
        }
        int id = -1;
        long ref = counter;
        if (counter < 0) {
            id = codeCount++;
            if (id >>> CHUNK_BITS >= codes.length) {
                codes = grow(codes, new String[CHUNK]);
            }
            codes[id >>> CHUNK_BITS][id & MASK] = code;
            ref = -(id + 1L);
        }
        refs[chunk][at & MASK] = ref;
        created[chunk][at & MASK] = (int) createdSeconds;
        if (createdSeconds < lastCreated) {
            sorted = false;
        }
        lastCreated = Math.max(lastCreated, createdSeconds);
        count = at + 1;
        return id;
    }

    /**
     * An order of {@code count} links by counter, taken whole from an index image: {@code refs}
     * and {@code created} are its chunks ({@link #CHUNK} entries each, the last filled to
     * {@code count}; kept, not copied), as {@link #append} would have filled them appending each
     * link with a counter, {@code sorted} whether their creation seconds never go back (as
     * {@link #append} would have found). Throws {@link IllegalArgumentException} when the chunks do
     * not hold {@code count} entries or are not {@link #CHUNK} long.
     */
    static LinkOrder loaded(long[][] refs, int[][] created, int count, boolean sorted) {
        int chunks = (count + CHUNK - 1) / CHUNK;
        if (count < 0 || refs.length != chunks || created.length != chunks) {
            throw new IllegalArgumentException("an order of " + count + " links in " + refs.length + " chunks");
        }
        for (int i = 0; i < chunks; i++) {
            if (refs[i] == null || created[i] == null || refs[i].length != CHUNK || created[i].length != CHUNK) {
                throw new IllegalArgumentException("chunk " + i + " of the order is not " + CHUNK + " entries");
            }
        }
        LinkOrder order = new LinkOrder();
        order.refs = refs;
        order.created = created;
        order.sorted = sorted;
        // What append compares the next link with: while sorted, the last entry's second is the
        // latest; once not sorted, it never turns sorted again, so any value does.
        order.lastCreated = count == 0 ? Long.MIN_VALUE : Integer.toUnsignedLong(created[chunks - 1][(count - 1) & MASK]);
        order.count = count;
        return order;
    }

    /** Marks the entry of code id {@code id} (from {@link #append}) dead. */
    void killCode(int id) {
        codes[id >>> CHUNK_BITS][id & MASK] = null;
        dead++;
    }

    /** A generated key's link was deleted: its entry is dead (the index tells which). */
    void killCounter() {
        dead++;
    }

    /**
     * Binary search: the first entry whose creation second is at least {@code seconds}, among the
     * first {@code size} entries (which must be sorted).
     */
    int firstAtOrAfter(long seconds, int size) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (createdSeconds(mid) < seconds) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * A new order of the live entries of {@code old}, sorted by creation second (stable: entries
     * of one second keep their order), with {@code codeIds} refilled with the new code ids.
     */
    static LinkOrder rebuilt(LinkOrder old, LinkIndex index, java.util.Map<String, Integer> codeIds) {
        int count = old.count();
        long[] keys = new long[count];
        int live = 0;
        for (int at = 0; at < count; at++) {
            long ref = old.ref(at);
            boolean alive = ref >= 0 ? index.get(ref) != null : old.code(ref) != null;
            if (alive) {
                keys[live++] = old.createdSeconds(at) << 31 | at;
            }
        }
        Arrays.sort(keys, 0, live);
        LinkOrder order = new LinkOrder();
        codeIds.clear();
        for (int i = 0; i < live; i++) {
            int at = (int) (keys[i] & Integer.MAX_VALUE);
            long ref = old.ref(at);
            String code = ref >= 0 ? null : old.code(ref);
            int id = order.append(ref >= 0 ? ref : -1, code, old.createdSeconds(at));
            if (code != null) {
                codeIds.put(code, id);
            }
        }
        return order;
    }

    private static <T> T[] grow(T[] table, T chunk) {
        T[] bigger = Arrays.copyOf(table, table.length + 1);
        bigger[table.length] = chunk;
        return bigger;
    }
}
