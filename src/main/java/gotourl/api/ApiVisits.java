package gotourl.api;

import gotourl.link.Link;
import gotourl.store.LinkStore;
import gotourl.store.LinksQuery;
import gotourl.visits.Tracker;
import gotourl.visits.VisitsSummary;
import java.util.function.Supplier;

/**
 * What the REST API knows of visits: each link's counts (for {@code visitsSummary}, ordering by
 * visits and the visits threshold of a delete), whether a link reached its {@code maxVisits}, and
 * the {@link Tracker} whose store the visits routes read and whose worker deletes visits.
 * {@link #NONE} counts none and has no tracker: the visits routes then answer empty pages.
 * {@link #of} is goto's own, wired by {@code GotoService}.
 */
public interface ApiVisits extends LinksQuery.VisitCounts {
    /** No visits: every count is 0, and no tracker. */
    ApiVisits NONE = new ApiVisits() {
        @Override
        public long total(Link link) {
            return 0;
        }

        @Override
        public long nonBots(Link link) {
            return 0;
        }
    };

    /** Visits by bots: the total less those by non-bots. */
    default long bots(Link link) {
        return total(link) - nonBots(link);
    }

    /**
     * {@code link}'s visits read at once (total, nonBots and bots from one read, so that they add
     * up while visits are being recorded), as Shlink's {@code visitsSummary}.
     */
    default VisitsSummary summary(Link link) {
        long total = total(link);
        return VisitsSummary.of(total, Math.max(0, total - nonBots(link)));
    }

    /** The tracker whose store the visits routes read, or null when visits are not wired (empty pages). */
    default Tracker tracker() {
        return null;
    }

    /** True when {@link #summary} waits on a database ({@code -db}): answers that read it run off the selector threads. */
    default boolean readsBlock() {
        return false;
    }

    /**
     * The visits of goto's tracker, read O(1) per link from its store (the life of the link, so
     * a slug claimed again starts from zero); a link with {@code maxVisits} has reached it when
     * {@code links} has counted that many redirects of it (exact, counted at the redirect), even if
     * some of those visits were dropped from the tracker's queue or deleted since. The suppliers
     * answer null until goto has opened them (every route but health answers 503 until then).
     */
    static ApiVisits of(Supplier<Tracker> tracker, Supplier<LinkStore> links) {
        return new ApiVisits() {
            @Override
            public VisitsSummary summary(Link link) {
                Tracker t = tracker.get();
                return t == null ? VisitsSummary.NONE : t.store().summary(link.shortCode(), link.dateCreated().toEpochMilli());
            }

            @Override
            public long total(Link link) {
                return summary(link).total();
            }

            @Override
            public long nonBots(Link link) {
                return summary(link).nonBots();
            }

            @Override
            public boolean maxVisitsReached(Link link) {
                LinkStore store = links.get();
                return link.maxVisits() != null && (summary(link).total() >= link.maxVisits()
                        || store != null && store.visitsCounted(link) >= link.maxVisits());
            }

            @Override
            public Tracker tracker() {
                return tracker.get();
            }

            @Override
            public boolean readsBlock() {
                Tracker t = tracker.get();
                return t != null && t.store().readsBlock();
            }
        };
    }
}
