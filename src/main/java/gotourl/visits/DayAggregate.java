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
 * visits by referer host, browser and operating system, by name: what the memory store counts,
 * what queries sum, and how days are written ({@link OpenDays} holds the visit log's open days). Each name map keeps at most
 * {@value #MAX_NAMES} names; the rest count under {@link VisitAggregates#OTHER}, so a day's
 * aggregate stays small whatever clients send. Not thread-safe: the store guards it.
 */
final class DayAggregate {
    /** Names kept apart per dimension and day: enough for any top-ten, bounded against junk agents. */
    static final int MAX_NAMES = 64;

    final int day;
    long total;
    long bots;
    // Counts in one-element arrays: a visit costs one lookup per name, no boxing and no put
    // (this is most of what recording a visit costs, measured).
    final Map<String, long[]> referrerHosts = new HashMap<>();
    final Map<String, long[]> browsers = new HashMap<>();
    final Map<String, long[]> operatingSystems = new HashMap<>();

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

    private static void count(Map<String, long[]> counts, String name, long n) {
        long[] count = counts.get(name);
        if (count == null) {
            if (counts.size() < MAX_NAMES) {
                count = new long[1];
                counts.put(name, count);
            } else {
                count = counts.computeIfAbsent(VisitAggregates.OTHER, other -> new long[1]);
            }
        }
        count[0] += n;
    }

    static List<VisitAggregates.NamedCount> top(Map<String, long[]> counts, int limit) {
        List<VisitAggregates.NamedCount> sorted = new ArrayList<>();
        counts.forEach((name, n) -> sorted.add(new VisitAggregates.NamedCount(name, n[0])));
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
            day.referrerHosts.forEach((name, n) -> sum.referrerHosts.computeIfAbsent(name, k -> new long[1])[0] += n[0]);
            day.browsers.forEach((name, n) -> sum.browsers.computeIfAbsent(name, k -> new long[1])[0] += n[0]);
            day.operatingSystems.forEach((name, n) -> sum.operatingSystems.computeIfAbsent(name, k -> new long[1])[0] += n[0]);
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

    private static int names(Map<String, long[]> counts) {
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

    private static void putNames(ByteBuffer out, Map<String, long[]> counts) {
        out.putShort((short) counts.size());
        counts.forEach((name, n) -> {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes).putLong(n[0]);
        });
    }

    private static void getNames(ByteBuffer in, Map<String, long[]> counts) {
        int size = Short.toUnsignedInt(in.getShort());
        for (int i = 0; i < size; i++) {
            byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(bytes);
            counts.put(new String(bytes, StandardCharsets.UTF_8), new long[] {in.getLong()});
        }
    }
}
