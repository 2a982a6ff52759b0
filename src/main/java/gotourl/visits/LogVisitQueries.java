package gotourl.visits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The log store's reads: pages of visits found by following chains (a link's, the orphans') or
 * by walking the sequence down (all links), and aggregates read from the days file. Runs on the
 * caller's thread; reads only visits below the store's published sequence.
 */
final class LogVisitQueries {
    static final int UA = 0;
    static final int REFERER = 1;
    static final int VISITED = 2;
    static final int REDIRECT = 3;
    static final int BROWSER = 4;
    static final int OS = 5;

    private final LogVisitStore store;

    LogVisitQueries(LogVisitStore store) {
        this.store = store;
    }

    /** A chain (or several, merged) walked newest first: the next visit's sequence, or -1. */
    private interface Walk {
        long next(long limit);
    }

    VisitsPage linkVisits(String shortCode, VisitsQuery query) throws IOException {
        Scope life = store.byCode.get(shortCode);
        if (life == null) {
            return VisitsPage.of(query, List.of(), 0);
        }
        long known = known(life.summary(), query); // the count before the chain's head: every visit counted is on it
        return page(query, chain(life.head, -1), known, seq -> true);
    }

    VisitsPage orphanVisits(VisitsQuery query) throws IOException {
        Scope.Orphans orphans = store.orphans;
        long known = query.orphanType() == null ? known(orphans.summary(), query) : -1;
        VisitType type = query.orphanType();
        return page(query, chain(orphans.head, orphans.clearedThrough), known,
                seq -> type == null || segment(seq).type(index(seq)) == type);
    }

    VisitsPage nonOrphanVisits(VisitsQuery query) throws IOException {
        long known = known(store.stats().nonOrphanVisits(), query); // before nextSeq, which covers every visit counted
        long[] next = {store.nextSeq - 1};
        if (query.endDate() != null) {
            next[0] = Math.min(next[0], lastAtOrBefore(query.endDate().toEpochMilli()));
        }
        Walk all = limit -> {
            long seq = Math.min(next[0], limit - 1);
            while (seq >= 0) {
                VisitSegment segment = segment(seq);
                if (segment == null) {
                    return -1; // dropped by retention
                }
                int life = segment.life(index(seq));
                if (life != 0 && !store.retired.contains(life)) {
                    next[0] = seq - 1;
                    return seq;
                }
                seq--;
            }
            return -1;
        };
        return page(query, all, known, seq -> true);
    }

    VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) throws IOException {
        List<Walk> chains = new ArrayList<>();
        VisitsSummary summary = VisitsSummary.NONE;
        for (String code : shortCodes) {
            Scope life = store.byCode.get(code);
            if (life != null) {
                summary = summary.plus(life.summary()); // before the head, as in linkVisits
                chains.add(chain(life.head, -1));
            }
        }
        return page(query, merged(chains), known(summary, query), seq -> true);
    }

    /**
     * The total without a walk, when the query has no date range and retention has dropped no
     * visit (after a drop the counts include visits no list can show: the walk counts instead).
     */
    private long known(VisitsSummary summary, VisitsQuery query) {
        if (query.startDate() != null || query.endDate() != null || store.droppedBelow > 0) {
            return -1;
        }
        return query.excludeBots() ? summary.nonBots() : summary.total();
    }

    private Walk chain(long head, long stopAtOrBelow) {
        long[] next = {head};
        return limit -> {
            long seq = next[0];
            while (seq != VisitSegment.NO_SEQ && seq > stopAtOrBelow) {
                VisitSegment segment = segment(seq);
                if (segment == null) {
                    return -1;
                }
                long prev = segment.prev(index(seq));
                if (seq < limit) {
                    next[0] = prev;
                    return seq;
                }
                seq = prev; // written after this query began
            }
            return -1;
        };
    }

    private Walk merged(List<Walk> chains) {
        record Head(long seq, Walk walk) {}
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::seq).reversed());
        long[] limitSeen = {-1};
        return limit -> {
            if (limitSeen[0] < 0) {
                limitSeen[0] = limit;
                for (Walk walk : chains) {
                    long seq = walk.next(limit);
                    if (seq >= 0) {
                        heads.add(new Head(seq, walk));
                    }
                }
            }
            Head top = heads.poll();
            if (top == null) {
                return -1;
            }
            long following = top.walk().next(limitSeen[0]);
            if (following >= 0) {
                heads.add(new Head(following, top.walk()));
            }
            return top.seq();
        };
    }

    @FunctionalInterface
    private interface SeqFilter {
        boolean test(long seq);
    }

    /**
     * Walks newest first: skips visits after the range, stops before it, collects the page's
     * visits, and counts the matches unless {@code knownTotal} already says how many there are.
     */
    private VisitsPage page(VisitsQuery query, Walk walk, long knownTotal, SeqFilter filter) throws IOException {
        long limit = store.nextSeq;
        List<Visit> data = new ArrayList<>();
        Strings strings = new Strings();
        long offset = query.offset();
        int size = query.limit();
        long matched = 0;
        for (long seq = walk.next(limit); seq >= 0; seq = walk.next(limit)) {
            VisitSegment segment = segment(seq);
            if (segment == null) {
                break;
            }
            int index = index(seq);
            long millis = segment.millis(index);
            if (query.after(millis)) {
                continue;
            }
            if (query.before(millis)) {
                break;
            }
            if ((query.excludeBots() && segment.bot(index)) || !filter.test(seq)) {
                continue;
            }
            if (matched >= offset && data.size() < size) {
                Visit visit = visitAt(segment, index, strings);
                if (visit != null) {
                    data.add(visit);
                }
            }
            matched++;
            if (knownTotal >= 0 && data.size() >= size) {
                break;
            }
        }
        return VisitsPage.of(query, data, knownTotal >= 0 ? knownTotal : matched);
    }

    /** The newest visit at or before {@code millis}, by binary search: sequence is time order. */
    private long lastAtOrBefore(long millis) {
        long low = store.segments.isEmpty() ? 0 : store.segments.firstKey();
        long high = store.nextSeq - 1;
        long found = low - 1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            VisitSegment segment = segment(mid);
            if (segment == null) {
                low = mid + 1;
                continue;
            }
            if (segment.millis(index(mid)) <= millis) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) throws IOException {
        Scope scope = shortCode == null ? store.allLinks : store.byCode.get(shortCode);
        if (scope == null) {
            return VisitAggregates.NONE;
        }
        long first = from == null ? Long.MIN_VALUE : from.toEpochDay();
        long last = to == null ? Long.MAX_VALUE : to.toEpochDay();
        List<DayAggregate> inRange = new ArrayList<>();
        DayAggregate today;
        long head;
        synchronized (store.dayLock) {
            // The open day and the head of the sealed days as of one moment: a seal between the
            // two reads would count the day just sealed twice, once open and once sealed.
            today = store.today(scope);
            head = scope.dayHead;
        }
        if (today != null && today.day >= first && today.day <= last) {
            inRange.add(today);
        }
        for (long offset = head; offset >= 0; ) {
            MetaLog.Entry entry = store.days.read(offset);
            if (entry == null) {
                throw new IOException("the visits days file is damaged at offset " + offset);
            }
            ByteBuffer in = entry.payload();
            in.getInt(); // scope
            int day = in.getInt();
            long prev = in.getLong();
            in.position(in.position() + 24); // lastSeq, cumulative counts
            if (day < first) {
                break;
            }
            if (day <= last) {
                inRange.add(DayAggregate.decode(in));
            }
            offset = prev;
        }
        return DayAggregate.summarize(inRange, MemoryVisitStore.TOP_NAMES);
    }

    VisitSegment segment(long seq) {
        Map.Entry<Long, VisitSegment> entry = store.segments.floorEntry(seq);
        return entry == null || seq >= entry.getValue().end() ? null : entry.getValue();
    }

    private int index(long seq) {
        return (int) (seq - segment(seq).base);
    }

    /** Strings read for one query, remembered: a page repeats the same agents, browsers and referers. */
    static final class Strings {
        private final ByteBuffer scratch = ByteBuffer.allocate(8192);
        private final Map<Long, String> read = new java.util.HashMap<>();

        String get(VisitSegment segment, int ref) throws IOException {
            if (ref == VisitSegment.NONE) {
                return "";
            }
            long key = segment.base << 32 | Integer.toUnsignedLong(ref);
            String known = read.get(key);
            if (known == null) {
                known = segment.string(ref, scratch);
                if (read.size() < 100_000) {
                    read.put(key, known);
                }
            }
            return known;
        }
    }

    /** The visit at {@code index} of {@code segment}, or null if its life is gone. */
    Visit visitAt(VisitSegment segment, int index, Strings strings) throws IOException {
        int lifeId = segment.life(index);
        VisitType type = segment.type(index);
        Scope life = lifeId == 0 ? null : store.byId.get(lifeId);
        if (lifeId != 0 && life == null) {
            return null;
        }
        String code = life == null ? null : life.code();
        int visitedRef = segment.stringRef(index, VISITED);
        String visited = visitedRef == VisitSegment.NONE && code != null ? "/" + code : strings.get(segment, visitedRef);
        int redirectRef = segment.stringRef(index, REDIRECT);
        // No redirect URL (an orphan, a tracking pixel's visit) is null, as Shlink shows it: no redirect is to "".
        String redirect = redirectRef == VisitSegment.NONE ? null : strings.get(segment, redirectRef);
        String referer = strings.get(segment, segment.stringRef(index, REFERER));
        return new Visit(type, code, life == null ? 0 : life.created, Instant.ofEpochMilli(segment.millis(index)), referer,
                strings.get(segment, segment.stringRef(index, UA)), segment.bot(index), visited, redirect,
                strings.get(segment, segment.stringRef(index, BROWSER)), strings.get(segment, segment.stringRef(index, OS)),
                RefererHosts.hostOf(referer));
    }
}
