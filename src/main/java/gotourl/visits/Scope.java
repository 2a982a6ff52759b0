package gotourl.visits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the log store keeps in memory for one chain of visits: a link's life, all orphans, or
 * (for aggregates only) all links. Counts, the newest visit and the newest sealed day are read
 * by queries on any thread; the visits worker is their one writer.
 */
class Scope {
    static final int ALL_LINKS = 0;
    static final int ORPHANS = -1;
    static final long NO_OFFSET = -1;

    final int id;
    /**
     * The link's code, packed ({@link #pack}: up to 8 Latin-1 characters, every generated code)
     * or 0; then {@link #longCode} gives it. A String of its own was 48 bytes a life more, and a
     * look-up read it and its bytes after the life; here it compares the life's own field.
     */
    final long packedCode;
    final long created;
    /** Sequence number of the newest visit of this chain, or {@link VisitSegment#NO_SEQ}. */
    volatile long head = VisitSegment.NO_SEQ;
    /** Visits and bots counted since the chain began; total written before bots, read after. */
    volatile long total;
    volatile long bots;
    /** Offset in the days file of this chain's newest sealed day, or {@link #NO_OFFSET}. */
    volatile long dayHead = NO_OFFSET;
    // Worker only, under the store's day lock: the chain's newest visit, readable or not yet (the
    // head is set once it is readable; the next visit's record links to this one), which a day
    // record keeps as its day's last; and the row of the store's OpenDays that counts this
    // chain's open day, or -1 (a row with no visit yet, total 0, is one kept from the day
    // before: see OpenDays).
    long newestSeq = VisitSegment.NO_SEQ;
    int openDayAt = -1;
    // Worker only: where the redirect URL of this chain's last visit is kept in the store's
    // SegmentUrls (not a String of its own: 72 bytes and more a life, for good), and its
    // reference in the segment it was written to (by SegmentUrls' generation, a number: a
    // reference to a new segment stored in every scope would leave their cards dirty until the
    // segment is old), which the next visit to the same URL reuses while that segment is open.
    int lastUrlAt = SegmentUrls.NONE;
    int lastUrlRef;
    int lastUrlGeneration = SegmentUrls.NONE;

    /** What a visit of a link created at {@code created} does, given the code's current life and deletion. */
    enum LifeRule { IGNORE, SAME, NEW;

        /**
         * @param deletedCreated the creation time of the newest deleted life of the code, or null
         * @param currentCreated the creation time of the code's current life, or null for none
         */
        static LifeRule of(Long deletedCreated, Long currentCreated, long created) {
            if (deletedCreated != null && created <= deletedCreated) {
                return IGNORE; // a visit of a deleted link that was still queued
            }
            if (currentCreated == null || created > currentCreated) {
                return NEW; // the first visit, or the slug was claimed again by a newer link
            }
            return created == currentCreated ? SAME : IGNORE;
        }
    }

    /**
     * A chain; {@code code} is the link's code, one that packs, or null for orphans and all links.
     * Throws IllegalArgumentException for a code that does not pack: {@link #of} keeps those.
     */
    Scope(int id, String code, long created) {
        this.id = id;
        this.packedCode = code == null ? 0 : pack(code);
        this.created = created;
        if (code != null && packedCode == 0 && !(this instanceof LongCode)) {
            throw new IllegalArgumentException("the code '" + code + "' does not pack: Scope.of keeps it");
        }
    }

    /** The chain of link code {@code code} (not null), created at {@code created} (epoch ms), under life id {@code id}. */
    static Scope of(int id, String code, long created) {
        return pack(code) == 0 ? new LongCode(id, code, created) : new Scope(id, code, created);
    }

    /** The code when it does not pack (longer than 8 characters, or beyond Latin-1), else null. */
    String longCode() {
        return null;
    }

    /** The link's code (a new String when packed), or null for orphans and all links. */
    String code() {
        return packedCode == 0 ? longCode() : unpack(packedCode);
    }

    /** Whether this chain is {@code code}'s, where {@code packed} is {@code pack(code)}. */
    boolean hasCode(String code, long packed) {
        return packed != 0 ? packedCode == packed : code.equals(longCode());
    }

    /** Whether this chain and {@code other} are the same code's. */
    boolean sameCode(Scope other) {
        if (packedCode != 0) {
            return packedCode == other.packedCode;
        }
        String code = longCode();
        return code != null && code.equals(other.longCode());
    }

    /**
     * A link's chain whose code does not pack (a custom slug of more than 8 characters, or one
     * beyond Latin-1). Kept out of every other life, which packs its code: its String field was 4
     * bytes of each {@code Scope}, and the padding that took it from 88 to 96 bytes.
     */
    static final class LongCode extends Scope {
        private final String longCode;

        LongCode(int id, String code, long created) {
            super(id, code, created);
            this.longCode = code;
        }

        @Override
        String longCode() {
            return longCode;
        }
    }

    /**
     * {@code code} as a long: its 1 to 8 characters (each 1 to 255) as bytes from the highest, the
     * rest zeros; 0 when it does not pack (empty, longer, or with a character outside 1–255).
     * Two codes pack alike only if they are equal.
     */
    static long pack(String code) {
        int length = code.length();
        if (length == 0 || length > 8) {
            return 0;
        }
        long packed = 0;
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (c == 0 || c > 0xFF) {
                return 0;
            }
            packed = packed << 8 | c;
        }
        return packed << (8 * (8 - length));
    }

    /** The code {@code packed} (not 0) holds. */
    static String unpack(long packed) {
        byte[] chars = new byte[8 - Long.numberOfTrailingZeros(packed) / 8];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (byte) (packed >>> (56 - 8 * i));
        }
        return new String(chars, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Counts a visit, readable at {@code seq}, and makes it the chain's newest. Release stores
     * rather than volatile ones: the worker is the one writer, and a reader that sees the new
     * bots (read first, see {@link #summary}) still sees the total written before it, and one
     * that sees the total sees the head written before that, so a list begun after a count
     * holds every visit counted; a volatile store's fence, three times a visit, is what they save.
     */
    void count(long seq, boolean bot) {
        HEAD.setRelease(this, seq);
        TOTAL.setRelease(this, total + 1);
        if (bot) {
            BOTS.setRelease(this, bots + 1);
        }
    }

    private static final VarHandle TOTAL;
    private static final VarHandle BOTS;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOTAL = lookup.findVarHandle(Scope.class, "total", long.class);
            BOTS = lookup.findVarHandle(Scope.class, "bots", long.class);
            HEAD = lookup.findVarHandle(Scope.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Visits and bots counted. */
    VisitsSummary summary() {
        long b = bots; // bots first: total is written first, so total ≥ bots read here
        long t = total;
        return VisitsSummary.of(Math.max(t, b), b);
    }

    /**
     * The orphans' chain, which alone can be emptied without ending ({@code DELETE /visits/orphan}):
     * what was counted when its visits were last deleted, and the last visit then. Kept out of
     * every link's {@link Scope}, which a link's first visit makes: 24 bytes a life.
     */
    static final class Orphans extends Scope {
        volatile long baseTotal;
        volatile long baseBots;
        volatile long clearedThrough = -1;

        Orphans() {
            super(ORPHANS, null, 0);
        }

        /** Visits and bots counted since orphan visits were last deleted. */
        @Override
        VisitsSummary summary() {
            long b = bots - baseBots; // bots first, as in Scope.summary
            long t = total - baseTotal;
            return VisitsSummary.of(Math.max(t, b), b);
        }
    }
}
