package gotourl.visits;

import java.time.Instant;

/**
 * Which visits a list asks for and which page of them, as Shlink's {@code VisitsParams} and
 * {@code OrphanVisitsParams}: a date range (both ends inclusive, either open), whether to leave
 * out potential bots, an orphan type, and the page. Lists are newest first.
 *
 * @param startDate    the earliest visit to include, or null for no lower bound
 * @param endDate      the latest visit to include, or null for no upper bound
 * @param excludeBots  leave out visits whose {@code potentialBot} is true
 * @param orphanType   for orphan lists only: just this type, or null for every type
 * @param page         1-based page number
 * @param itemsPerPage visits per page, or {@link #ALL} ({@code -1}, Shlink's default) for one
 *                     page with every visit
 */
public record VisitsQuery(Instant startDate, Instant endDate, boolean excludeBots, VisitType orphanType, int page,
                          int itemsPerPage) {
    public static final int ALL = -1;

    public VisitsQuery {
        if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
            throw new IllegalArgumentException("endDate " + endDate + " is before startDate " + startDate);
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more, not " + page);
        }
        if (itemsPerPage < 1 && itemsPerPage != ALL) {
            throw new IllegalArgumentException("itemsPerPage must be 1 or more, or -1 for all, not " + itemsPerPage);
        }
        if (orphanType == VisitType.VALID_SHORT_URL) {
            throw new IllegalArgumentException("orphanType must be an orphan type, not " + orphanType);
        }
    }

    /** Every visit, newest first, in one page. */
    public static VisitsQuery all() {
        return new VisitsQuery(null, null, false, null, 1, ALL);
    }

    public VisitsQuery between(Instant start, Instant end) {
        return new VisitsQuery(start, end, excludeBots, orphanType, page, itemsPerPage);
    }

    public VisitsQuery withoutBots() {
        return new VisitsQuery(startDate, endDate, true, orphanType, page, itemsPerPage);
    }

    public VisitsQuery ofType(VisitType type) {
        return new VisitsQuery(startDate, endDate, excludeBots, type, page, itemsPerPage);
    }

    public VisitsQuery page(int number, int size) {
        return new VisitsQuery(startDate, endDate, excludeBots, orphanType, number, size);
    }

    /** True when {@code visit} is in the range, and not a bot if bots are excluded (type not checked). */
    public boolean matches(Visit visit) {
        return matches(visit.dateMillis(), visit.potentialBot());
    }

    boolean matches(long millis, boolean bot) {
        return (!excludeBots || !bot) && !before(millis) && !after(millis);
    }

    boolean before(long millis) {
        return startDate != null && millis < startDate.toEpochMilli();
    }

    boolean after(long millis) {
        return endDate != null && millis > endDate.toEpochMilli();
    }

    /** How many matching visits to skip before this page. */
    long offset() {
        return itemsPerPage == ALL ? 0 : (long) (page - 1) * itemsPerPage;
    }

    /** The most visits this page holds. */
    int limit() {
        return itemsPerPage == ALL ? Integer.MAX_VALUE : itemsPerPage;
    }
}
