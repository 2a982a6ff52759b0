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

    /**
     * The sum of {@code parts} (several links' aggregates over the same days): days added up,
     * names counted over every part and the {@code limit} most frequent kept. A name beyond a
     * part's own top list is not in that part, so the sum's names are a lower bound; the counts
     * per day and the summary are exact.
     */
    public static VisitAggregates sum(List<VisitAggregates> parts, int limit) {
        java.util.TreeMap<LocalDate, long[]> days = new java.util.TreeMap<>();
        java.util.Map<String, long[]> hosts = new java.util.HashMap<>();
        java.util.Map<String, long[]> browsers = new java.util.HashMap<>();
        java.util.Map<String, long[]> systems = new java.util.HashMap<>();
        VisitsSummary summary = VisitsSummary.NONE;
        for (VisitAggregates part : parts) {
            summary = summary.plus(part.summary());
            for (DayCount day : part.perDay()) {
                long[] counts = days.computeIfAbsent(day.day(), d -> new long[2]);
                counts[0] += day.total();
                counts[1] += day.bots();
            }
            add(hosts, part.referrerHosts());
            add(browsers, part.browsers());
            add(systems, part.operatingSystems());
        }
        List<DayCount> perDay = new java.util.ArrayList<>();
        days.forEach((day, counts) -> perDay.add(new DayCount(day, counts[0], counts[1])));
        return new VisitAggregates(summary, List.copyOf(perDay), DayAggregate.top(hosts, limit),
                DayAggregate.top(browsers, limit), DayAggregate.top(systems, limit));
    }

    private static void add(java.util.Map<String, long[]> into, List<NamedCount> counts) {
        for (NamedCount count : counts) {
            into.computeIfAbsent(count.name(), n -> new long[1])[0] += count.count();
        }
    }

    /** Share of potential bots among the visits, 0 when there are none. */
    public double botsShare() {
        return summary.total() == 0 ? 0 : (double) summary.bots() / summary.total();
    }
}
