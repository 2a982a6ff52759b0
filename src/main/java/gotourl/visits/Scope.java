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
    final String code;
    final long created;
    /** Sequence number of the newest visit of this chain, or {@link VisitSegment#NO_SEQ}. */
    volatile long head = VisitSegment.NO_SEQ;
    /** Visits and bots counted since the chain began; total written before bots, read after. */
    volatile long total;
    volatile long bots;
    /** Offset in the days file of this chain's newest sealed day, or {@link #NO_OFFSET}. */
    volatile long dayHead = NO_OFFSET;
    // Worker only, under the store's day lock: today's newest visit and today's counts (a day
    // with no visit yet, total 0, is one kept from the day before: see OpenDays), and this
    // scope's place in the store's OpenDays, or -1.
    long lastSeqToday = VisitSegment.NO_SEQ;
    OpenDay today;
    int openDayAt = -1;
    // Worker only: where the redirect URL of this chain's last visit is kept in the store's
    // SegmentUrls (not a String of its own: 72 bytes and more a life, for good), and its
    // reference in the segment it was written to (by the segment's base, a number: a reference
    // to a new segment stored in every scope would leave their cards dirty until the segment is
    // old), which the next visit to the same URL reuses while that segment is open.
    int lastUrlAt = SegmentUrls.NONE;
    int lastUrlRef;
    long lastUrlSegment = -1;

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

    Scope(int id, String code, long created) {
        this.id = id;
        this.code = code;
        this.created = created;
    }

    /**
     * Counts a visit. Release stores rather than volatile ones: the worker is the one writer, and
     * a reader that sees the new bots (read first, see {@link #summary}) still sees the total
     * written before it; a volatile store's fence, three times a visit, is what they save.
     */
    void count(long seq, boolean bot) {
        TOTAL.setRelease(this, total + 1);
        if (bot) {
            BOTS.setRelease(this, bots + 1);
        }
        HEAD.setRelease(this, seq);
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
