package gotourl.store;

import gotourl.link.Link;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The visit counts that decide {@code maxVisits}: per link life (short code and creation time),
 * how many visits are reserved and how many of those are kept (for the file store: on disk).
 * Only links with a limit have an entry, so links without one pay nothing.
 *
 * <p>Design note. A redirect reserves a visit with one compare-and-set on the link's counter,
 * refused once the reservations reach the limit: no lock, and 64 concurrent clients of a link
 * with {@code maxVisits = N} get exactly N reservations between them. A reservation the store
 * could not keep is {@linkplain #release released}, so it may go to another visitor. The kept
 * count is what survives a restart: the file store bumps it as each reservation's record is
 * forced, replay rebuilds it from those records, and compaction writes it as one record per link.
 * A new life of a code (a custom slug deleted and claimed again) starts from zero.
 */
public final class VisitCounts {
    /** One life's counts: {@code reserved} ≥ {@code kept}; both only grow, but for releases. */
    private static final class Count {
        final long createdMillis;
        final AtomicLong reserved = new AtomicLong();
        final AtomicLong kept = new AtomicLong();

        Count(long createdMillis) {
            this.createdMillis = createdMillis;
        }
    }

    /**
     * A life's kept count, as compaction writes it.
     *
     * @param createdMillis the link's creation time, epoch milliseconds (names the life with the code)
     * @param visits        visits kept
     */
    public record Kept(long createdMillis, long visits) {}

    private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();

    private Count of(String shortCode, long createdMillis) {
        Count count = counts.get(shortCode);
        if (count != null && count.createdMillis == createdMillis) {
            return count;
        }
        return counts.compute(shortCode, (code, old) -> old != null && old.createdMillis == createdMillis ? old
                : new Count(createdMillis));
    }

    /**
     * Reserves one visit of {@code link} if its {@code maxVisits} allows another: true when
     * reserved, false when the limit is reached (the link is exhausted). Lock-free.
     *
     * @throws IllegalArgumentException when the link has no limit (such links are not counted)
     */
    public boolean tryReserve(Link link) {
        Integer max = link.maxVisits();
        if (max == null) {
            throw new IllegalArgumentException("link " + link.shortCode() + " has no maxVisits; only limited links are counted");
        }
        AtomicLong reserved = of(link.shortCode(), link.dateCreated().toEpochMilli()).reserved;
        long now;
        do {
            now = reserved.get();
            if (now >= max) {
                return false;
            }
        } while (!reserved.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives back a reservation of {@code link} that was not kept (the store refused or failed). */
    public void release(Link link) {
        of(link.shortCode(), link.dateCreated().toEpochMilli()).reserved.decrementAndGet();
    }

    /** A reservation of the life ({@code shortCode}, {@code createdMillis}) is kept. */
    public void kept(String shortCode, long createdMillis) {
        of(shortCode, createdMillis).kept.incrementAndGet();
    }

    /**
     * Replay: the life ({@code shortCode}, {@code createdMillis}) has {@code visits} more kept
     * (and reserved) visits. Not for concurrent use with reservations.
     */
    public void restore(String shortCode, long createdMillis, long visits) {
        Count count = of(shortCode, createdMillis);
        count.kept.addAndGet(visits);
        count.reserved.addAndGet(visits);
    }

    /**
     * A store that counts elsewhere (a database shared by nodes) saw the life ({@code shortCode},
     * {@code createdMillis}) at {@code visits} counted visits: the counts here rise to it.
     */
    public void observed(String shortCode, long createdMillis, long visits) {
        Count count = of(shortCode, createdMillis);
        count.kept.accumulateAndGet(visits, Math::max);
        count.reserved.accumulateAndGet(visits, Math::max);
    }

    /** Visits of {@code link}'s life reserved so far (kept or on their way); 0 if none. */
    public long reserved(Link link) {
        Count count = counts.get(link.shortCode());
        return count != null && count.createdMillis == link.dateCreated().toEpochMilli() ? count.reserved.get() : 0;
    }

    /** Visits of {@code link}'s life kept so far; 0 if none. */
    public long kept(Link link) {
        Count count = counts.get(link.shortCode());
        return count != null && count.createdMillis == link.dateCreated().toEpochMilli() ? count.kept.get() : 0;
    }

    /** The link under {@code shortCode} was deleted: its count goes with it. */
    public void forget(String shortCode) {
        counts.remove(shortCode);
    }

    /**
     * The kept counts of the lives {@code index} holds now, for a compaction's snapshot; other
     * lives (deleted links) are forgotten here too. Call where the index and the kept counts agree
     * (the file store's writer, between group commits).
     */
    public Map<String, Kept> keptOfLiveLinks(LinkIndex index) {
        Map<String, Kept> live = new HashMap<>();
        counts.forEach((code, count) -> {
            Link link = index.get(code);
            if (link == null || link.dateCreated().toEpochMilli() != count.createdMillis) {
                counts.remove(code, count);
            } else if (count.kept.get() > 0) {
                live.put(code, new Kept(count.createdMillis, count.kept.get()));
            }
        });
        return live;
    }
}
