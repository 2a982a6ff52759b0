package gotourl.visits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Visits in memory, for {@code -file=:memory:} and as the reference the log store is tested
 * against. Counts and aggregates are kept in full; raw visits only the newest
 * {@code maxRawVisits} (older ones fall out, as retention would drop them), so memory stays
 * bounded however long goto runs. Every method holds the store's lock: simple, and fast enough
 * for a store that never touches a disk.
 */
public final class MemoryVisitStore implements VisitStore {
    /** Raw visits kept by default: ~1 KB each with their strings, ~100 MB at most. */
    public static final int DEFAULT_MAX_RAW_VISITS = 100_000;
    static final int TOP_NAMES = 10;

    private record Stored(long seq, int life, Visit visit) {}

    private static final class Life {
        final int id;
        final long created;
        long total;
        long bots;
        final Map<Integer, DayAggregate> days = new HashMap<>();

        Life(int id, long created) {
            this.id = id;
            this.created = created;
        }
    }

    private final int maxRawVisits;
    private final ArrayDeque<Stored> raw = new ArrayDeque<>();
    private final Map<String, Life> lives = new HashMap<>();
    private final Map<String, Long> deletedLinks = new HashMap<>();
    private final Set<Integer> retired = new HashSet<>();
    private final Map<Integer, DayAggregate> allLinksDays = new HashMap<>();
    private long seq;
    private int nextLife = 1;
    private long orphansClearedThrough = -1;
    private long orphanTotal;
    private long orphanBots;
    private long linkTotal;
    private long linkBots;

    public MemoryVisitStore() {
        this(DEFAULT_MAX_RAW_VISITS);
    }

    public MemoryVisitStore(int maxRawVisits) {
        if (maxRawVisits < 1) {
            throw new IllegalArgumentException("maxRawVisits must be at least 1, not " + maxRawVisits);
        }
        this.maxRawVisits = maxRawVisits;
    }

    @Override
    public synchronized void append(List<Visit> visits) {
        for (Visit visit : visits) {
            int lifeId = 0;
            if (!visit.isOrphan()) {
                Life life = lifeFor(visit.shortCode(), visit.linkCreatedMillis());
                if (life == null) {
                    continue; // a visit of a link that was deleted meanwhile
                }
                lifeId = life.id;
                life.total++;
                linkTotal++;
                if (visit.potentialBot()) {
                    life.bots++;
                    linkBots++;
                }
                day(life.days, visit).add(visit);
                day(allLinksDays, visit).add(visit);
            } else {
                orphanTotal++;
                if (visit.potentialBot()) {
                    orphanBots++;
                }
            }
            raw.addLast(new Stored(seq++, lifeId, visit));
            if (raw.size() > maxRawVisits) {
                raw.removeFirst();
            }
        }
    }

    private Life lifeFor(String code, long created) {
        Life life = lives.get(code);
        switch (Scope.LifeRule.of(deletedLinks.get(code), life == null ? null : life.created, created)) {
            case IGNORE -> {
                return null;
            }
            case SAME -> {
                return life;
            }
            default -> {
                if (life != null) {
                    retire(life);
                }
                life = new Life(nextLife++, created);
                lives.put(code, life);
                return life;
            }
        }
    }

    private void retire(Life life) {
        retired.add(life.id);
        linkTotal -= life.total;
        linkBots -= life.bots;
    }

    private static DayAggregate day(Map<Integer, DayAggregate> days, Visit visit) {
        int day = (int) LocalDate.ofInstant(visit.date(), ZoneOffset.UTC).toEpochDay();
        return days.computeIfAbsent(day, DayAggregate::new);
    }

    @Override
    public void sync() {
        // nothing to force
    }

    @Override
    public synchronized VisitsSummary summary(String shortCode) {
        Life life = lives.get(shortCode);
        return life == null ? VisitsSummary.NONE : VisitsSummary.of(life.total, life.bots);
    }

    @Override
    public synchronized VisitsSummary summary(String shortCode, long linkCreatedMillis) {
        Life life = lives.get(shortCode);
        return life == null || life.created != linkCreatedMillis ? VisitsSummary.NONE : VisitsSummary.of(life.total, life.bots);
    }

    @Override
    public synchronized VisitStats stats() {
        return new VisitStats(VisitsSummary.of(linkTotal, linkBots), VisitsSummary.of(orphanTotal, orphanBots));
    }

    @Override
    public synchronized VisitsPage linkVisits(String shortCode, VisitsQuery query) {
        Life life = lives.get(shortCode);
        if (life == null) {
            return VisitsPage.of(query, List.of(), 0);
        }
        return page(query, stored -> stored.life() == life.id);
    }

    @Override
    public synchronized VisitsPage orphanVisits(VisitsQuery query) {
        return page(query, stored -> stored.visit().isOrphan() && stored.seq() > orphansClearedThrough
                && (query.orphanType() == null || stored.visit().type() == query.orphanType()));
    }

    @Override
    public synchronized VisitsPage nonOrphanVisits(VisitsQuery query) {
        return page(query, stored -> !stored.visit().isOrphan() && !retired.contains(stored.life()));
    }

    @Override
    public synchronized VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) {
        Set<Integer> ids = new HashSet<>();
        for (String code : shortCodes) {
            Life life = lives.get(code);
            if (life != null) {
                ids.add(life.id);
            }
        }
        return page(query, stored -> ids.contains(stored.life()));
    }

    private VisitsPage page(VisitsQuery query, Predicate<Stored> which) {
        List<Visit> data = new ArrayList<>();
        long matched = 0;
        long offset = query.offset();
        int limit = query.limit();
        Iterator<Stored> newestFirst = raw.descendingIterator();
        while (newestFirst.hasNext()) {
            Stored stored = newestFirst.next();
            if (!which.test(stored) || !query.matches(stored.visit())) {
                continue;
            }
            if (matched >= offset && data.size() < limit) {
                data.add(stored.visit());
            }
            matched++;
        }
        return VisitsPage.of(query, data, matched);
    }

    @Override
    public synchronized VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) {
        Map<Integer, DayAggregate> days;
        if (shortCode == null) {
            days = allLinksDays;
        } else {
            Life life = lives.get(shortCode);
            if (life == null) {
                return VisitAggregates.NONE;
            }
            days = life.days;
        }
        List<DayAggregate> inRange = new ArrayList<>();
        for (DayAggregate day : days.values()) {
            if ((from == null || day.day >= from.toEpochDay()) && (to == null || day.day <= to.toEpochDay())) {
                inRange.add(day);
            }
        }
        return DayAggregate.summarize(inRange, TOP_NAMES);
    }

    @Override
    public synchronized long deleteVisits(String shortCode) {
        Life life = lives.remove(shortCode);
        if (life == null) {
            return 0;
        }
        retire(life);
        return life.total;
    }

    @Override
    public synchronized long deleteOrphanVisits() {
        long deleted = orphanTotal;
        orphansClearedThrough = seq - 1;
        orphanTotal = 0;
        orphanBots = 0;
        return deleted;
    }

    @Override
    public synchronized void linkDeleted(String shortCode, long linkCreatedMillis) {
        Life life = lives.get(shortCode);
        if (life != null && life.created <= linkCreatedMillis) {
            lives.remove(shortCode);
            retire(life);
        }
        deletedLinks.merge(shortCode, linkCreatedMillis, Math::max);
    }

    @Override
    public synchronized long dropRawVisitsBefore(Instant cutoff) {
        long dropped = 0;
        while (!raw.isEmpty() && raw.peekFirst().visit().date().isBefore(cutoff)) {
            raw.removeFirst();
            dropped++;
        }
        return dropped;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
