package gotourl.store;

import gotourl.link.Link;
import gotourl.link.Tags;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Which links to list and in what order, as Shlink's {@code GET /rest/v3/short-urls} asks
 * ({@code ShortUrlsParams}); {@link LinkStore#list} answers it with a {@link LinksPage}.
 *
 * @param searchTerm              case-insensitive text that the long URL (as stored, or as shown:
 *                                {@link gotourl.link.UrlDisplay}), short code, title or one of the
 *                                tags must contain, or null (Shlink's {@code searchTerm}); a
 *                                non-ASCII term is compared in Unicode's composed form (NFC)
 * @param tags                    normalized tags the link must have: any of them, or all with
 *                                {@code allTags} (Shlink's {@code tags[]} and {@code tagsMode}); empty for no filter
 * @param allTags                 true for Shlink's {@code tagsMode=all}
 * @param excludeTags             normalized tags the link must not have: none of them, or not all
 *                                of them with {@code excludeAllTags} (Shlink's {@code excludeTags[]}, {@code excludeTagsMode})
 * @param excludeAllTags          true for Shlink's {@code excludeTagsMode=all}
 * @param startDate               created at or after this instant, or null (Shlink's {@code startDate})
 * @param endDate                 created at or before this instant, or null (Shlink's {@code endDate})
 * @param excludePastValidUntil   leave out links whose {@code validUntil} is before {@code now}
 * @param excludeMaxVisitsReached leave out links whose visits reached their {@code maxVisits}
 * @param now                     the instant {@code excludePastValidUntil} is judged at
 * @param author                  only links created by this API key id, or null for all (an
 *                                author-role key's view, or Shlink's {@code apiKeyName} for admins)
 * @param order                   the sort field, as Shlink's {@code orderBy} field
 * @param descending              true for {@code -DESC}
 * @param offset                  how many matching links to skip (page - 1) * itemsPerPage
 * @param limit                   at most this many links in the page, or -1 for all (Shlink's {@code itemsPerPage=-1})
 * @param visits                  the visit counts of links, for ordering by visits and for
 *                                {@code excludeMaxVisitsReached}; {@link VisitCounts#NONE} until visits are counted
 */
public record LinksQuery(String searchTerm, Set<String> tags, boolean allTags, Set<String> excludeTags,
                         boolean excludeAllTags, Instant startDate, Instant endDate, boolean excludePastValidUntil,
                         boolean excludeMaxVisitsReached, Instant now, String author, Order order, boolean descending,
                         long offset, int limit, VisitCounts visits) {

    /** Shlink's {@code orderBy} fields. */
    public enum Order { DATE_CREATED, SHORT_CODE, LONG_URL, TITLE, VISITS, NON_BOT_VISITS }

    /** The visits a link has had, total and by non-bots; where the visit store plugs into listing. */
    public interface VisitCounts {
        /** No visits counted: every link has 0. */
        VisitCounts NONE = new VisitCounts() {
            @Override
            public long total(Link link) {
                return 0;
            }

            @Override
            public long nonBots(Link link) {
                return 0;
            }
        };

        long total(Link link);

        long nonBots(Link link);

        /**
         * Whether {@code link} reached its {@code maxVisits} ({@code excludeMaxVisitsReached});
         * false for a link without one. By default its total; the REST API's counts add the
         * store's exact count of redirects.
         */
        default boolean maxVisitsReached(Link link) {
            return link.maxVisits() != null && total(link) >= link.maxVisits();
        }
    }

    public LinksQuery {
        tags = Tags.normalize(tags);
        excludeTags = Tags.normalize(excludeTags);
        searchTerm = searchTerm == null || searchTerm.isEmpty() ? null : searchTerm;
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(now, "now");
        visits = visits == null ? VisitCounts.NONE : visits;
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, not " + offset);
        }
        if (limit < -1) {
            throw new IllegalArgumentException("limit is -1 (all) or at least 0, not " + limit);
        }
    }

    /** Every link, newest first, all at once: Shlink's defaults with {@code itemsPerPage=-1}. */
    public static LinksQuery all(Instant now) {
        return new LinksQuery(null, Set.of(), false, Set.of(), false, null, null, false, false, now, null,
                Order.DATE_CREATED, true, 0, -1, VisitCounts.NONE);
    }

    public LinksQuery withPage(long newOffset, int newLimit) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, newOffset, newLimit, visits);
    }

    public LinksQuery withSearchTerm(String term) {
        return new LinksQuery(term, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, offset, limit, visits);
    }

    public LinksQuery withTags(Set<String> newTags, boolean all) {
        return new LinksQuery(searchTerm, newTags, all, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, offset, limit, visits);
    }

    public LinksQuery withExcludeTags(Set<String> newTags, boolean all) {
        return new LinksQuery(searchTerm, tags, allTags, newTags, all, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, offset, limit, visits);
    }

    public LinksQuery withDates(Instant start, Instant end) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, start, end,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, offset, limit, visits);
    }

    public LinksQuery withExclusions(boolean pastValidUntil, boolean maxVisitsReached) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                pastValidUntil, maxVisitsReached, now, author, order, descending, offset, limit, visits);
    }

    public LinksQuery withAuthor(String apiKeyId) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, apiKeyId, order, descending, offset, limit, visits);
    }

    public LinksQuery withOrder(Order newOrder, boolean newDescending) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, newOrder, newDescending, offset, limit, visits);
    }

    public LinksQuery withVisits(VisitCounts counts) {
        return new LinksQuery(searchTerm, tags, allTags, excludeTags, excludeAllTags, startDate, endDate,
                excludePastValidUntil, excludeMaxVisitsReached, now, author, order, descending, offset, limit, counts);
    }

    /** True when only the order, the page and the author narrow the list: no other filter. */
    boolean unfiltered() {
        return searchTerm == null && tags.isEmpty() && excludeTags.isEmpty() && startDate == null && endDate == null
                && !excludePastValidUntil && !excludeMaxVisitsReached;
    }
}
