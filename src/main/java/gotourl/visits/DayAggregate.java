package gotourl.visits;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of one day of one scope (a link's life, all links, or orphans): visits, bots, and
 * visits by referer host, browser and operating system. Each name map keeps at most
 * {@value #MAX_NAMES} names; the rest count under {@link VisitAggregates#OTHER}, so a day's
 * aggregate stays small whatever clients send. Not thread-safe: the store guards it.
 */
final class DayAggregate {
    /** Names kept apart per dimension and day: enough for any top-ten, bounded against junk agents. */
    static final int MAX_NAMES = 64;

    final int day;
    long total;
    long bots;
    final Map<String, Long> referrerHosts = new HashMap<>();
    final Map<String, Long> browsers = new HashMap<>();
    final Map<String, Long> operatingSystems = new HashMap<>();

    DayAggregate(int day) {
        this.day = day;
    }

    void add(Visit visit) {
        add(visit.potentialBot(), visit.refererHost(), visit.browser(), visit.operatingSystem());
    }

    void add(boolean bot, String refererHost, String browser, String operatingSystem) {
        total++;
        if (bot) {
            bots++;
        }
        count(referrerHosts, refererHost, 1);
        count(browsers, browser, 1);
        count(operatingSystems, operatingSystem, 1);
    }

    /** Adds {@code other}'s counts to this one (a range summed across days). */
    void merge(DayAggregate other) {
        total += other.total;
        bots += other.bots;
        other.referrerHosts.forEach((name, n) -> count(referrerHosts, name, n));
        other.browsers.forEach((name, n) -> count(browsers, name, n));
        other.operatingSystems.forEach((name, n) -> count(operatingSystems, name, n));
    }

    private static void count(Map<String, Long> counts, String name, long n) {
        Long before = counts.get(name);
        if (before != null) {
            counts.put(name, before + n);
        } else if (counts.size() < MAX_NAMES) {
            counts.put(name, n);
        } else {
            counts.merge(VisitAggregates.OTHER, n, Long::sum);
        }
    }

    static List<VisitAggregates.NamedCount> top(Map<String, Long> counts, int limit) {
        List<VisitAggregates.NamedCount> sorted = new ArrayList<>();
        counts.forEach((name, n) -> sorted.add(new VisitAggregates.NamedCount(name, n)));
        sorted.sort(Comparator.comparingLong(VisitAggregates.NamedCount::count).reversed()
                .thenComparing(VisitAggregates.NamedCount::name));
        return sorted.size() > limit ? List.copyOf(sorted.subList(0, limit)) : List.copyOf(sorted);
    }

    VisitAggregates.DayCount dayCount() {
        return new VisitAggregates.DayCount(LocalDate.ofEpochDay(day), total, bots);
    }

    /** Aggregates of {@code days} (any order), top {@code limit} names per dimension. */
    static VisitAggregates summarize(List<DayAggregate> days, int limit) {
        if (days.isEmpty()) {
            return VisitAggregates.NONE;
        }
        DayAggregate sum = new DayAggregate(0);
        // Sums keep every name: only single days are bounded, and a range has at most days × MAX_NAMES.
        List<VisitAggregates.DayCount> perDay = new ArrayList<>();
        for (DayAggregate day : days) {
            sum.total += day.total;
            sum.bots += day.bots;
            day.referrerHosts.forEach((name, n) -> sum.referrerHosts.merge(name, n, Long::sum));
            day.browsers.forEach((name, n) -> sum.browsers.merge(name, n, Long::sum));
            day.operatingSystems.forEach((name, n) -> sum.operatingSystems.merge(name, n, Long::sum));
            perDay.add(day.dayCount());
        }
        perDay.sort(Comparator.comparing(VisitAggregates.DayCount::day));
        return new VisitAggregates(VisitsSummary.of(sum.total, sum.bots), List.copyOf(perDay), top(sum.referrerHosts, limit),
                top(sum.browsers, limit), top(sum.operatingSystems, limit));
    }

    /** Bytes {@link #encode} needs at most. */
    int encodedBytes() {
        return 4 + 8 + 8 + names(referrerHosts) + names(browsers) + names(operatingSystems);
    }

    private static int names(Map<String, Long> counts) {
        int bytes = 2;
        for (String name : counts.keySet()) {
            bytes += 2 + 8 + name.length() * 3;
        }
        return bytes;
    }

    void encode(ByteBuffer out) {
        out.putInt(day).putLong(total).putLong(bots);
        putNames(out, referrerHosts);
        putNames(out, browsers);
        putNames(out, operatingSystems);
    }

    static DayAggregate decode(ByteBuffer in) {
        DayAggregate aggregate = new DayAggregate(in.getInt());
        aggregate.total = in.getLong();
        aggregate.bots = in.getLong();
        getNames(in, aggregate.referrerHosts);
        getNames(in, aggregate.browsers);
        getNames(in, aggregate.operatingSystems);
        return aggregate;
    }

    private static void putNames(ByteBuffer out, Map<String, Long> counts) {
        out.putShort((short) counts.size());
        counts.forEach((name, n) -> {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes).putLong(n);
        });
    }

    private static void getNames(ByteBuffer in, Map<String, Long> counts) {
        int size = Short.toUnsignedInt(in.getShort());
        for (int i = 0; i < size; i++) {
            byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(bytes);
            counts.put(new String(bytes, StandardCharsets.UTF_8), in.getLong());
        }
    }
}
