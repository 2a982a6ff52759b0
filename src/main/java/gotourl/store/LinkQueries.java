package gotourl.store;

import gotourl.link.Link;
import gotourl.link.UrlDisplay;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers a {@link LinksQuery} from a {@link LinkState}'s structures, without its lock.
 *
 * <p>Where the candidates come from: with a tag filter, the links carrying those tags
 * ({@link LinkGroups}); for an author's view, the links that author created; otherwise every link,
 * walked in creation order ({@link LinkOrder}). Ordered by creation (Shlink's default, newest
 * first), a page is read straight from the walk: without filters it stops after the page
 * (O(offset + page)) and the total is the store's size; with filters it walks the creation range
 * once, counting. Any other order keeps the best {@code offset + limit} matches in a heap.
 */
final class LinkQueries {
    private LinkQueries() {}

    static LinksPage run(LinksQuery query, LinkIndex index, LinkOrder order, LinkGroups groups) {
        Term term = Term.of(query.searchTerm());
        if (!query.tags().isEmpty() || query.author() != null) {
            List<Link> matches = new ArrayList<>();
            for (String code : candidates(query, groups)) {
                Link link = index.get(code);
                if (link != null && matches(link, query, term)) {
                    matches.add(link);
                }
            }
            matches.sort(comparator(query));
            return new LinksPage(slice(matches, query), matches.size());
        }
        if (query.order() == LinksQuery.Order.DATE_CREATED) {
            return walkInOrder(query, term, index, order);
        }
        Selection selection = new Selection(query);
        walk(index, order, 0, order.count(), false, link -> {
            if (matches(link, query, term)) {
                selection.offer(link);
            }
        });
        return selection.page();
    }

    private static Set<String> candidates(LinksQuery query, LinkGroups groups) {
        if (query.tags().isEmpty()) {
            return Set.copyOf(groups.authored(query.author()));
        }
        if (query.allTags()) {
            Set<String> smallest = null;
            for (String tag : query.tags()) {
                Set<String> tagged = groups.tagged(tag);
                if (smallest == null || tagged.size() < smallest.size()) {
                    smallest = tagged;
                }
            }
            return new HashSet<>(smallest);
        }
        Set<String> union = new HashSet<>();
        for (String tag : query.tags()) {
            union.addAll(groups.tagged(tag));
        }
        return union;
    }

    private static LinksPage walkInOrder(LinksQuery query, Term term, LinkIndex index, LinkOrder order) {
        int count = order.count();
        int from = 0;
        int to = count;
        if (query.startDate() != null) {
            long start = query.startDate().getEpochSecond() + (query.startDate().getNano() > 0 ? 1 : 0);
            from = order.firstAtOrAfter(start, count);
        }
        if (query.endDate() != null) {
            to = order.firstAtOrAfter(query.endDate().getEpochSecond() + 1, count);
        }
        long wanted = query.limit() < 0 ? Long.MAX_VALUE : query.offset() + query.limit();
        List<Link> page = new ArrayList<>();
        long[] seen = {0};
        boolean plain = query.unfiltered();
        if (plain && wanted <= query.offset()) {
            return new LinksPage(List.of(), index.size());
        }
        if (!plain) {
            return scanInOrder(query, term, index, order, from, to, wanted);
        }
        walk(index, order, from, to, query.descending(), link -> {
            if (!plain && !matches(link, query, term)) {
                return;
            }
            long position = seen[0]++;
            if (position >= query.offset() && position < wanted) {
                page.add(link);
            }
            if (plain && seen[0] >= wanted) {
                throw Stop.STOP;
            }
        });
        return new LinksPage(page, plain ? index.size() : seen[0]);
    }

    /**
     * A filtered walk in creation order: every entry in {@code [from, to)} is judged, but a plain
     * link (most of them) is judged without being built: it has no title, tags, author, validity
     * or visit limit, so only the search term (its URL's bytes, and its code) and the dates
     * (already bounded by the range) can leave it out. Only the links of the page are built, and
     * for a non-ASCII term those whose URL may hold it once shown ({@link #urlContains}).
     */
    private static LinksPage scanInOrder(LinksQuery query, Term term, LinkIndex index, LinkOrder order, int from, int to,
                                         long wanted) {
        byte[] termBytes = term == null || !term.ascii() ? null : term.lower().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // A generated key is at most 7 letters and digits (below ShortCodes.MAX_COUNTER): only
        // such a term can be in one.
        boolean termMayBeInCode = termBytes != null && termBytes.length <= 7 && term.lower().chars().allMatch(c -> c >= 'a' && c <= 'z'
                || c >= '0' && c <= '9');
        // Plain links pass the filters that only rich links can fail (or the term, alone, decides).
        boolean plainPass = query.author() == null && query.tags().isEmpty();
        List<Link> page = new ArrayList<>();
        long seen = 0;
        int step = query.descending() ? -1 : 1;
        for (int at = query.descending() ? to - 1 : from; at >= from && at < to; at += step) {
            long ref = order.ref(at);
            Link link = null;
            if (ref >= 0 && plainPass) {
                int verdict = term == null ? (index.slot(ref) > 0 ? 1 : LinkIndex.NOT_PLAIN)
                        : termBytes != null ? index.plainContains(ref, termBytes) : plainShownContains(index, ref, term);
                if (verdict != LinkIndex.NOT_PLAIN) {
                    boolean matched = verdict == 1 || termMayBeInCode && codeContains(ref, termBytes);
                    if (matched) {
                        if (seen >= query.offset() && seen < wanted) {
                            link = index.get(ref);
                            if (link != null) {
                                page.add(link);
                            }
                        }
                        seen++;
                    }
                    continue;
                }
            }
            if (ref >= 0) {
                link = index.get(ref);
            } else {
                String code = order.code(ref);
                link = code == null ? null : index.get(code);
            }
            if (link != null && matches(link, query, term)) {
                if (seen >= query.offset() && seen < wanted) {
                    page.add(link);
                }
                seen++;
            }
        }
        return new LinksPage(page, seen);
    }

    /** Keys' alphabet ({@code gotourl.link.Keys}), lower-cased: the digits of a generated key as a search sees them. */
    private static final byte[] LOWER_KEY_DIGITS = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Whether the key of {@code counter} contains {@code lowerTerm}, ignoring case, without building the key. */
    static boolean codeContains(long counter, byte[] lowerTerm) {
        byte[] digits = new byte[16];
        int start = digits.length;
        long n = counter;
        do {
            digits[--start] = LOWER_KEY_DIGITS[(int) (n % LOWER_KEY_DIGITS.length)];
            n /= LOWER_KEY_DIGITS.length;
        } while (n > 0);
        outer:
        for (int i = start; i <= digits.length - lowerTerm.length; i++) {
            for (int j = 0; j < lowerTerm.length; j++) {
                if (digits[i + j] != lowerTerm[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Thrown to end a walk early; preallocated, without a stack trace. */
    private static final class Stop extends RuntimeException {
        static final Stop STOP = new Stop();

        private Stop() {
            super(null, null, false, false);
        }
    }

    /** Gives the live links of entries {@code [from, to)} to {@code action}, newest first if {@code descending}. */
    private static void walk(LinkIndex index, LinkOrder order, int from, int to, boolean descending, Consumer<Link> action) {
        try {
            if (descending) {
                for (int at = to - 1; at >= from; at--) {
                    visit(index, order, at, action);
                }
            } else {
                for (int at = from; at < to; at++) {
                    visit(index, order, at, action);
                }
            }
        } catch (Stop stop) {
            // The page is full.
        }
    }

    private static void visit(LinkIndex index, LinkOrder order, int at, Consumer<Link> action) {
        long ref = order.ref(at);
        Link link;
        if (ref >= 0) {
            link = index.get(ref);
        } else {
            String code = order.code(ref);
            link = code == null ? null : index.get(code);
        }
        if (link != null) {
            action.accept(link);
        }
    }

    static boolean matches(Link link, LinksQuery query, Term term) {
        if (query.author() != null && !query.author().equals(link.author())) {
            return false;
        }
        if (!query.tags().isEmpty()) {
            boolean ok = query.allTags() ? link.tags().containsAll(query.tags()) : containsAny(link.tags(), query.tags());
            if (!ok) {
                return false;
            }
        }
        if (!query.excludeTags().isEmpty()) {
            boolean excluded = query.excludeAllTags() ? link.tags().containsAll(query.excludeTags())
                    : containsAny(link.tags(), query.excludeTags());
            if (excluded) {
                return false;
            }
        }
        if (query.startDate() != null && link.dateCreated().isBefore(query.startDate())
                || query.endDate() != null && link.dateCreated().isAfter(query.endDate())) {
            return false;
        }
        if (query.excludePastValidUntil() && link.validUntil() != null && link.validUntil().isBefore(query.now())) {
            return false;
        }
        if (query.excludeMaxVisitsReached() && query.visits().maxVisitsReached(link)) {
            return false;
        }
        return term == null || urlContains(link.longUrl(), term) || containsIgnoreCase(term.composed(link.shortCode()), term.lower())
                || link.title() != null && containsIgnoreCase(term.composed(link.title()), term.lower()) || tagContains(link, term);
    }

    private static boolean containsAny(Set<String> tags, Set<String> wanted) {
        for (String tag : wanted) {
            if (tags.contains(tag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tagContains(Link link, Term term) {
        for (String tag : link.tags()) {
            if (term.composed(tag).contains(term.lower())) { // tags are lower-case already
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the long URL {@code url} holds {@code term}, ignoring case: an ASCII term as
     * stored, another as shown ({@link UrlDisplay}). {@code xn--bcher} and {@code bücher} both
     * find {@code https://xn--bcher-kva.de/}, {@code caf%c3%a9} and {@code café} both find
     * {@code /caf%C3%A9}. Shlink stores the URL as it was given, so {@code bücher} finds it there.
     */
    static boolean urlContains(String url, Term term) {
        return term.ascii() ? containsIgnoreCase(url, term.lower()) : shownContains(UrlDisplay.of(url), term);
    }

    /** Whether {@code shown} (a URL as {@link UrlDisplay#of} shows it) holds the non-ASCII {@code term}, in either of its forms. */
    private static boolean shownContains(String shown, Term term) {
        return containsIgnoreCase(shown, term.lower()) || term.shown() != null && containsIgnoreCase(shown, term.shown());
    }

    /**
     * {@link LinkIndex#plainContains} for a non-ASCII term, which a plain link can hold only in
     * its URL as shown: 1 or 0, or {@link LinkIndex#NOT_PLAIN}. Only a URL that may read
     * otherwise once shown is built and decoded.
     */
    private static int plainShownContains(LinkIndex index, long ref, Term term) {
        int verdict = index.plainMayReadOtherwise(ref);
        if (verdict != 1) {
            return verdict;
        }
        Link link = index.get(ref);
        return link != null && shownContains(UrlDisplay.of(link.longUrl()), term) ? 1 : 0;
    }

    /**
     * A search term as it is compared: {@code lower} is the term lower-cased (Shlink's
     * {@code LIKE} ignores case), and when it holds a non-ASCII character, in Unicode's composed
     * form (NFC), as the shown URL is ({@link UrlDisplay#of}): {@code bu\u0308cher} (a {@code u}
     * and a combining diaeresis, as some keyboards and macOS file names give it) is looked for as
     * {@code bücher}, and a title or tag is composed too when compared with it
     * ({@link #composed}). {@code shown} is a non-ASCII term that mixes stored and shown forms
     * ({@code xn--bcher-kva.de/café}) read as shown ({@link UrlDisplay#ofTerm}:
     * {@code bücher.de/café}), or null when that reads as {@code lower} does. An ASCII term
     * ({@code ascii}) stays as typed and is matched against the stored URL alone, at the cost it
     * always had.
     */
    record Term(String lower, boolean ascii, String shown) {
        /** {@code searchTerm} as compared, or null for null. */
        static Term of(String searchTerm) {
            if (searchTerm == null) {
                return null;
            }
            String lower = searchTerm.toLowerCase(Locale.ROOT);
            if (isAscii(lower)) {
                return new Term(lower, true, null);
            }
            lower = Normalizer.normalize(lower, Normalizer.Form.NFC);
            if (isAscii(lower)) { // a compatibility singleton: U+1FEF is `
                return new Term(lower, true, null);
            }
            String shown = lower.contains("xn--") || lower.indexOf('%') >= 0 ? UrlDisplay.ofTerm(lower).toLowerCase(Locale.ROOT) : lower;
            shown = Normalizer.normalize(shown, Normalizer.Form.NFC);
            return new Term(lower, false, shown.equals(lower) ? null : shown);
        }

        /** {@code text} (a title, tag or short code) as this term is compared with it: in NFC when the term is not ASCII. */
        String composed(String text) {
            return ascii ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        }
    }

    /** Whether {@code text} contains {@code lowerTerm} (lower-cased), ignoring case as Shlink's SQL {@code LIKE} does. */
    static boolean containsIgnoreCase(String text, String lowerTerm) {
        int n = lowerTerm.length();
        int last = text.length() - n;
        if (last < 0) {
            return false;
        }
        char first = lowerTerm.charAt(0);
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if (c != first && Character.toLowerCase(c) != first) {
                continue;
            }
            if (text.regionMatches(true, i + 1, lowerTerm, 1, n - 1)) {
                return true;
            }
        }
        return false;
    }

    /** The order the query asks for; ties in creation order, in the same direction. */
    static Comparator<Link> comparator(LinksQuery query) {
        Comparator<Link> field = switch (query.order()) {
            case DATE_CREATED -> LinkState.OLDEST_FIRST;
            case SHORT_CODE -> Comparator.comparing(Link::shortCode);
            case LONG_URL -> Comparator.comparing(Link::longUrl);
            case TITLE -> Comparator.comparing(Link::title, Comparator.nullsFirst(Comparator.naturalOrder()));
            case VISITS -> Comparator.comparingLong(query.visits()::total);
            case NON_BOT_VISITS -> Comparator.comparingLong(query.visits()::nonBots);
        };
        Comparator<Link> ordered = field.thenComparing(LinkState.OLDEST_FIRST);
        return query.descending() ? ordered.reversed() : ordered;
    }

    private static List<Link> slice(List<Link> sorted, LinksQuery query) {
        if (query.offset() >= sorted.size()) {
            return List.of();
        }
        int from = (int) query.offset();
        int to = query.limit() < 0 ? sorted.size() : (int) Math.min(sorted.size(), query.offset() + query.limit());
        return sorted.subList(from, to);
    }

    /** The best {@code offset + limit} matches in a bounded heap, and how many matched. */
    private static final class Selection {
        private final LinksQuery query;
        private final Comparator<Link> order;
        private final long keep;
        private final PriorityQueue<Link> worstFirst;
        private final List<Link> all = new ArrayList<>();
        private long total;

        Selection(LinksQuery query) {
            this.query = query;
            this.order = comparator(query);
            this.keep = query.limit() < 0 ? -1 : query.offset() + query.limit();
            this.worstFirst = new PriorityQueue<>(order.reversed());
        }

        void offer(Link link) {
            total++;
            if (keep < 0) {
                all.add(link);
            } else if (keep > 0) {
                if (worstFirst.size() < keep) {
                    worstFirst.add(link);
                } else if (order.compare(link, worstFirst.peek()) < 0) {
                    worstFirst.poll();
                    worstFirst.add(link);
                }
            }
        }

        LinksPage page() {
            List<Link> best = keep < 0 ? all : new ArrayList<>(worstFirst);
            best.sort(order);
            return new LinksPage(slice(best, query), total);
        }
    }
}
