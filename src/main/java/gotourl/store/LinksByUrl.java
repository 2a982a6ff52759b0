package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.Link;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Long URL to its links, for find-if-exists, in O(1). Links kept in the index's pages (plain ones,
 * nearly all, and those plain but for their author) are found through {@link UrlIndex}, a table
 * of counters checked against the URL bytes in the pages; the others are links kept whole anyway,
 * so a map from URL to their codes costs little beside them.
 * Guarded by the {@link LinkState}'s lock.
 */
final class LinksByUrl {
    private final LinkIndex index;
    private final UrlIndex plain;
    /** URL to the code (a String) or codes (a String[]) of its links that are not plain: few share a URL. */
    private final Map<String, Object> others = new HashMap<>();
    /**
     * While a replay fills the index: plain links are not put in {@link #plain} one by one (its
     * segments would grow many times, each growth reading URLs back at random) but all at once
     * by {@link #endDeferral}, from what the index holds then.
     */
    private boolean deferred;
    /** Links a bulk import's {@link #addPlain} holds back at most: 2 MiB, and as much again to sort them. */
    static final int PENDING_LINKS = 1 << 18;
    /**
     * The first block held back; each next one twice the last, up to {@value #PENDING_LINKS}. So
     * the first blocks are put in after a few thousand links, before the JIT compiles the import's
     * loop: a first block of {@value #PENDING_LINKS} came after it was compiled, on a path the
     * compiled code had left out, and made it fall back and compile again.
     */
    static final int FIRST_PENDING_LINKS = 1 << 10;
    /**
     * Plain links a bulk import added ({@link UrlIndex#entry} values) and the table does not hold
     * yet: one by one, each insert was a cache miss in a random one of its 256 segments, most of
     * the import's time on its appending thread (a JFR profile of 1M links); a block of them sorted
     * by segment fills each segment's table while it is in cache. Put in before any read.
     */
    private long[] pending;
    private int pendingCount;
    private long[] sorted;

    LinksByUrl(LinkIndex index) {
        this.index = index;
        this.plain = new UrlIndex(index::plainUrlHash);
    }

    /**
     * Whether {@code link} is found through the table: when the index keeps it in its pages (a
     * plain link, or one that is plain but for its author). Asked while the index holds
     * {@code link}: after it is set, before it is removed.
     */
    private boolean inTable(long counter) {
        return counter >= 0 && counter <= UrlIndex.MAX_COUNTER && index.slot(counter) > 0;
    }

    /** From now until {@link #endDeferral}, plain links are left out of the table; see {@link #deferred}. */
    void defer() {
        if (plain.size() != 0 || pendingCount != 0) {
            throw new IllegalStateException("deferring a URL index that already holds links");
        }
        deferred = true;
    }

    /** Puts every plain link the index holds into the table at once; nothing if not deferred. */
    void endDeferral() {
        if (!deferred) {
            return;
        }
        deferred = false;
        long limit = Math.min(index.counterLimit(), UrlIndex.MAX_COUNTER + 1);
        plain.bulkLoad(index.size(), limit, counter -> index.slot(counter) > 0);
    }

    void add(Link link, long counter) {
        if (inTable(counter)) {
            if (deferred) {
                return;
            }
            plain.add(UrlIndex.hash(link.longUrl()), counter);
        } else {
            others.merge(link.longUrl(), link.shortCode(), LinksByUrl::withCode);
        }
    }

    /** A plain link just stored in the index from a record's bytes. */
    void addPlain(long counter) {
        if (counter <= UrlIndex.MAX_COUNTER) {
            if (deferred) {
                return;
            }
            plain.add(index.plainUrlHash(counter), counter);
        } else {
            Link link = index.get(counter);
            others.merge(link.longUrl(), link.shortCode(), LinksByUrl::withCode);
        }
    }

    /**
     * A plain link just stored in the index under {@code counter}, to {@code url}, by a bulk
     * import: as {@link #add} of it, without the link, the hash from the String (cached there when
     * it was hashed before) instead of the page's bytes, and put in the table later, with
     * up to {@value #PENDING_LINKS} others at once (see {@link #pending}).
     */
    void addPlain(long counter, String url) {
        if (counter > UrlIndex.MAX_COUNTER) {
            others.merge(url, Keys.encode(counter), LinksByUrl::withCode);
            return;
        }
        if (deferred) {
            return;
        }
        if (pending == null) {
            pending = new long[FIRST_PENDING_LINKS];
        }
        pending[pendingCount++] = UrlIndex.entry(UrlIndex.hash(url), counter);
        if (pendingCount == pending.length) {
            indexPending();
            if (pending.length < PENDING_LINKS) {
                pending = new long[pending.length * 2];
            }
        }
    }

    /** Puts the {@link #pending} links in the table, sorted by segment. Before every read or removal. */
    private void indexPending() {
        if (pendingCount > 0) {
            if (sorted == null || sorted.length < pendingCount) {
                sorted = new long[pending.length];
            }
            plain.addAll(pending, pendingCount, sorted);
            pendingCount = 0;
        }
    }

    void remove(Link link, long counter) {
        indexPending();
        if (inTable(counter)) {
            if (deferred) {
                return;
            }
            plain.remove(UrlIndex.hash(link.longUrl()), counter);
        } else {
            others.computeIfPresent(link.longUrl(), (url, codes) -> withoutCode(codes, link.shortCode()));
        }
    }

    /** The links to exactly {@code longUrl}, in no set order. */
    List<Link> find(String longUrl) {
        endDeferral();
        indexPending();
        List<Link> found = new ArrayList<>();
        plain.find(UrlIndex.hash(longUrl), counter -> {
            if (index.plainUrlEquals(counter, longUrl)) {
                Link link = index.get(counter);
                if (link != null) {
                    found.add(link);
                }
            }
            return true;
        });
        Object codes = others.get(longUrl);
        for (String code : codes == null ? new String[0] : codes instanceof String one ? new String[] {one} : (String[]) codes) {
            Link link = index.get(code);
            if (link != null) {
                found.add(link);
            }
        }
        return found;
    }

    /** The table of plain links, every link in it (none deferred or pending): for writing it out segment by segment. */
    UrlIndex table() {
        endDeferral();
        indexPending();
        return plain;
    }

    /** Takes the tables of an index image; see {@link UrlIndex#load}. Not while deferred. */
    void load(int[][] tables, int[] counts) {
        if (deferred || pendingCount != 0) {
            throw new IllegalStateException("loading the URL index during a bulk load");
        }
        plain.load(tables, counts);
    }

    /** Makes room for {@code more} plain links in the table of URLs; see {@link UrlIndex#reserve}. */
    void reserve(long more) {
        indexPending();
        plain.reserve(more);
    }

    long tableBytes() {
        indexPending();
        return plain.tableBytes();
    }

    private static Object withCode(Object codes, Object code) {
        if (codes instanceof String one) {
            return new String[] {one, (String) code};
        }
        String[] many = (String[]) codes;
        String[] more = Arrays.copyOf(many, many.length + 1);
        more[many.length] = (String) code;
        return more;
    }

    private static Object withoutCode(Object codes, String code) {
        if (codes instanceof String one) {
            return one.equals(code) ? null : one;
        }
        String[] rest = Arrays.stream((String[]) codes).filter(c -> !c.equals(code)).toArray(String[]::new);
        return rest.length == 0 ? null : rest.length == 1 ? rest[0] : rest;
    }
}
