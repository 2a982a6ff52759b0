package gotourl.api;

import gotourl.link.Link;
import gotourl.store.LinksQuery;

/**
 * What the REST API knows of visits: each link's counts, for {@code visitsSummary}, ordering by
 * visits, {@code excludeMaxVisitsReached} and the visits threshold of a delete. Until visits are
 * wired to the API, {@link #NONE} counts none, and the visits routes answer empty pages
 * ({@code VisitRoutes}); this is where a visit store plugs in.
 */
public interface ApiVisits extends LinksQuery.VisitCounts {
    /** No visits: every count is 0. */
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
}
