package gotourl.visits;

import java.time.LocalDate;
import java.util.List;

/**
 * What a dashboard shows for a link or for all links over a range of days, read from stored
 * per-day aggregates (never by scanning visits): counts per day, and the top referrer hosts,
 * browsers and operating systems. Days are UTC days.
 *
 * @param summary          all visits in the range; {@code bots / total} is the bots share
 * @param perDay           one entry per day with visits, oldest first
 * @param referrerHosts    the most frequent referer hosts, most first; "" counts visits without
 *                         a referer; {@value #OTHER} gathers names beyond what a day keeps
 * @param browsers         the most frequent agent names, most first
 * @param operatingSystems the most frequent operating systems, most first
 */
public record VisitAggregates(VisitsSummary summary, List<DayCount> perDay, List<NamedCount> referrerHosts,
                              List<NamedCount> browsers, List<NamedCount> operatingSystems) {

    /** The name under which a day counts names beyond the {@value DayAggregate#MAX_NAMES} it keeps apart. */
    public static final String OTHER = "(other)";

    /**
     * @param day   a UTC day
     * @param total visits on that day
     * @param bots  of which potential bots
     */
    public record DayCount(LocalDate day, long total, long bots) {}

    /**
     * @param name  a referer host, browser or operating system
     * @param count visits with it
     */
    public record NamedCount(String name, long count) {}

    public static final VisitAggregates NONE = new VisitAggregates(VisitsSummary.NONE, List.of(), List.of(), List.of(), List.of());

    /** Share of potential bots among the visits, 0 when there are none. */
    public double botsShare() {
        return summary.total() == 0 ? 0 : (double) summary.bots() / summary.total();
    }
}
