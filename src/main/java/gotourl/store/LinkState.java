package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.Link.CodeOrigin;
import gotourl.link.LinkDraft;
import gotourl.link.ShortCodes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The links of a store and the rules for changing them, shared by the memory and file stores: the
 * {@link LinkIndex} that redirects read, the long-URL index, which codes are free, and the key
 * counter. A store turns a batch of requested changes into a {@link Plan} ({@link #plan}: codes
 * chosen, every rule checked, nothing changed yet) and later publishes it ({@link #publish}):
 * the memory store at once, the file store once the plan's records are on disk.
 *
 * <p>Between the two, a durable store's plans are pending: a later plan must see them (a slug
 * being created is taken; an edit builds on the edit before it), so {@link #plan} records what
 * each pending plan intends per code, and reads that decide (is this slug free? what does this
 * link look like now?) consult it before the index. Redirects never do: they see a change only
 * once it is kept.
 *
 * <p>Which codes are free is {@link Codes}'s: the counter skips keys slugs hold, a generated key
 * is never given twice, a deleted custom slug may be claimed again.
 *
 * <p>Thread safety: every method but the reads of the index is called under this object's lock
 * ({@code synchronized}); the stores hold it while they admit a change, so admission and
 * publication are ordered.
 */
public final class LinkState {
    /** A published change: a create ({@code before} null), an edit, or a delete ({@code after} null). */
    public record Change(Link before, Link after, long counter) {
        /** The code's counter when the key counter made it, else -1. */
        public long counter() {
            return counter;
        }

        public String shortCode() {
            return after != null ? after.shortCode() : before.shortCode();
        }
    }

    /**
     * What a batch will do once kept: {@code writes} to store and publish in order, and one result
     * per requested change. {@link #kept} completes when it is published (or fails with why not).
     */
    public static final class Plan {
        private final List<Change> writes;
        private final List<Link> results;
        private final List<CompletableFuture<Void>> awaits;
        private final CompletableFuture<Void> kept = new CompletableFuture<>();

        private Plan(List<Change> writes, List<Link> results, List<CompletableFuture<Void>> awaits) {
            this.writes = writes;
            this.results = results;
            this.awaits = awaits;
        }

        public List<Change> writes() {
            return writes;
        }

        /** Completes once the plan is published, or exceptionally if it never will be. */
        public CompletableFuture<Void> kept() {
            return kept;
        }

        /**
         * Completes {@link #kept()}, running its callers' answers on this thread: for a plan
         * made visible by {@link LinkState#reveal}, once the caller chose where answers run.
         */
        public void acknowledge() {
            kept.complete(null);
        }

        /**
         * The batch's results, once this plan is kept and any pending link it found (find-if-exists)
         * is kept too.
         */
        public CompletableFuture<List<Link>> results() {
            if (awaits.isEmpty()) {
                return kept.thenApply(ignored -> results);
            }
            List<CompletableFuture<Void>> all = new ArrayList<>(awaits);
            all.add(kept);
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(ignored -> results);
        }
    }

    /** What the pending plans intend for one code: the link, or a deletion. */
    private record Intent(Link link, Link deleted, Plan plan) {}

    private final LinkIndex index = new LinkIndex();
    private final LinksByUrl urls = new LinksByUrl(index);
    /** Live links whose code is not a generated key but looks like one (a slug "ba"). */
    private long shapedCodes;
    private final Map<String, Intent> pending = new HashMap<>();
    private final ConcurrentSkipListSet<String> crawlable = new ConcurrentSkipListSet<>();
    private final Codes codes;
    /** Creation order, for listing; replaced whole when rebuilt, read without the lock. */
    private volatile LinkOrder order = new LinkOrder();
    /** The code id in {@link #order} of each live link whose code is not a generated key. */
    private final Map<String, Integer> orderIds = new HashMap<>();
    private final LinkGroups groups = new LinkGroups();
    private final VisitCounts visitCounts = new VisitCounts();
    /** The not-found redirects as kept: read lock-free by the redirect path, set once a store has kept them. */
    private volatile gotourl.link.NotFoundRedirects notFoundRedirects = gotourl.link.NotFoundRedirects.NONE;

    public LinkState() {
        this(new SecureRandom());
    }

    public LinkState(RandomGenerator random) {
        this.codes = new Codes(random);
    }

    /** The visit counts of links with {@code maxVisits}; lock-free. */
    public VisitCounts visitCounts() {
        return visitCounts;
    }

    /** The index redirects read; lock-free. */
    public LinkIndex index() {
        return index;
    }

    // ---- planning ----

    /**
     * Checks {@code changes} against the links and the pending plans, picks codes, and returns
     * what to write; throws {@link LinkRefusedException} or {@link IllegalArgumentException}
     * (naming the change in a batch of several) and then changes nothing but the counter, which
     * may have moved past keys it will not hand out. {@code deferred}: the plan is published later
     * (it is recorded as pending until then); otherwise the caller publishes it before unlocking.
     */
    public synchronized Plan plan(List<LinkChange> changes, Instant now, boolean deferred) {
        Map<String, Intent> local = new HashMap<>();
        List<Change> writes = new ArrayList<>();
        List<Link> results = new ArrayList<>(changes.size());
        List<CompletableFuture<Void>> awaits = new ArrayList<>();
        List<String> newlyClaimed = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            LinkChange change = changes.get(i);
            try {
                switch (change) {
                    case LinkChange.Create create -> {
                        LinkDraft draft = create.draft();
                        Intent found = draft.findIfExists() ? findMatching(draft, local) : null;
                        if (found != null) {
                            results.add(found.link());
                            if (found.plan() != null) {
                                awaits.add(found.plan().kept());
                            }
                            continue;
                        }
                        long counter = -1;
                        String code;
                        if (draft.customSlug() != null) {
                            code = draft.customSlug();
                            checkClaimable(code, local, codes.counter());
                        } else if (draft.shortCodeLength() != null) {
                            code = codes.random(draft.shortCodeLength(), c -> intended(c, local) == null && !isReleased(c, local));
                        } else {
                            counter = codes.allocate();
                            code = Keys.encode(counter);
                        }
                        if (counter < 0 && codes.claim(code)) {
                            newlyClaimed.add(code);
                        }
                        Link link = draft.toLink(code, now);
                        writes.add(new Change(null, link, counter));
                        local.put(code, new Intent(link, null, null));
                        results.add(link);
                    }
                    case LinkChange.Edit edit -> {
                        Link before = intended(edit.shortCode(), local);
                        if (before == null) {
                            throw new LinkNotFoundException(edit.shortCode());
                        }
                        Link after = edit.edit().applyTo(before);
                        if (!after.equals(before)) {
                            writes.add(new Change(before, after, counterOf(before)));
                            local.put(after.shortCode(), new Intent(after, null, null));
                        }
                        results.add(after);
                    }
                    case LinkChange.SetRules set -> {
                        Link before = intended(set.shortCode(), local);
                        if (before == null) {
                            throw new LinkNotFoundException(set.shortCode());
                        }
                        Link after = before.withRedirectRules(set.rules());
                        if (!after.equals(before)) {
                            writes.add(new Change(before, after, counterOf(before)));
                            local.put(after.shortCode(), new Intent(after, null, null));
                        }
                        results.add(after);
                    }
                    case LinkChange.Delete delete -> {
                        Link before = intended(delete.shortCode(), local);
                        if (before == null) {
                            throw new LinkNotFoundException(delete.shortCode());
                        }
                        writes.add(new Change(before, null, counterOf(before)));
                        local.put(before.shortCode(), new Intent(null, before, null));
                        results.add(before);
                    }
                }
            } catch (LinkRefusedException | IllegalArgumentException e) {
                codes.unclaim(newlyClaimed);
                if (changes.size() == 1) {
                    throw e;
                }
                String where = "change " + (i + 1) + " of " + changes.size() + " (" + describe(change) + ")";
                throw e instanceof LinkRefusedException refused ? refused.within(where)
                        : new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        Plan plan = new Plan(writes, results, awaits);
        if (deferred) {
            for (Change write : writes) {
                pending.put(write.shortCode(), new Intent(write.after(), write.after() == null ? write.before() : null, plan));
            }
        }
        return plan;
    }

    /** A plan of one plain create under the next key: the seed's {@code /add}, without a batch's bookkeeping. */
    public synchronized Plan planAdd(String url, Instant now) {
        long counter = codes.allocate();
        Link link = Link.plain(Keys.encode(counter), url, now);
        return new Plan(List.of(new Change(null, link, counter)), List.of(link), List.of());
    }

    /**
     * The counter's next key, allocated (never handed out again), for a bulk import that then
     * {@link #publishPlain publishes} a plain link under it once its record is encoded: the
     * seed's {@code /add} without a plan, a link or a key String. Throws as {@link #planAdd} does
     * when the counter is at its end or its leases are used up.
     */
    public synchronized long allocateCounter() {
        return codes.allocate();
    }

    /**
     * Publishes a plain link to {@code url} (ASCII, checked by the URL rules) under the key of
     * {@code counter} (from {@link #allocateCounter}), created at {@code createdSeconds} (epoch
     * seconds): what publishing {@link #planAdd}'s plan does, for a bulk import, without building
     * the link. Throws {@link IllegalArgumentException} for a URL the index cannot hold and
     * {@link IllegalStateException} when the counter holds a link already; nothing changes then.
     */
    public synchronized void publishPlain(long counter, String url, long createdSeconds) {
        if (!index.putPlain(counter, url, createdSeconds)) {
            throw new IllegalStateException("key counter " + counter + " already holds a link");
        }
        urls.addPlain(counter, url);
        codes.reserveThrough(counter + 1);
        order.append(counter, null, createdSeconds);
    }

    /**
     * A plan that creates {@code link} exactly as given (its short code, origin and creation
     * time), for an import of links kept elsewhere that began when the counter stood at
     * {@code counterAtStart} ({@link #counter()} then); published by the caller before it unlocks.
     *
     * <p>A key below {@code counterAtStart} may have been handed out by this store (its link
     * since deleted), and generated keys are never given again: no imported link takes it
     * (a custom slug this store released excepted, as for a create). A key the counter passed after that was passed for
     * this import's own links alone (each kept key moves the counter past it; a link made under
     * the counter's next key holds its key): no one was ever given it, so an imported link may
     * take it when it is free. The input's order then does not matter: an export lists links
     * oldest first, and a custom slug deleted and claimed again in the source comes after the
     * newer keys its counter handed out meanwhile.
     *
     * <p>Throws {@link LinkConflictException} when the code is in use, was a generated code, or
     * is a key this store may have handed out, and {@link IllegalArgumentException} for a counter
     * code that is no key.
     */
    public synchronized Plan planImport(Link link, long counterAtStart) {
        String code = link.shortCode();
        long handedOutBelow = Math.min(counterAtStart, codes.counter());
        long counter = -1;
        if (link.origin() == CodeOrigin.COUNTER) {
            counter = ShortCodes.counterOf(code);
            if (counter < 0) {
                throw new IllegalArgumentException("'" + code + "' is not a key goto's counter makes");
            }
            if (intended(code, Map.of()) != null) {
                throw new LinkConflictException(code, "the short code '" + code + "' is in use");
            }
            if (counter < handedOutBelow || codes.isRetired(code)) {
                throw new LinkConflictException(code, "'" + code + "' is a key this goto's counter has already handed out"
                        + " (or reserved), and generated keys are never given again");
            }
        } else {
            checkClaimable(code, Map.of(), handedOutBelow);
        }
        return new Plan(List.of(new Change(null, link, counter)), List.of(link), List.of());
    }

    private static String describe(LinkChange change) {
        return switch (change) {
            case LinkChange.Create create -> create.draft().customSlug() != null
                    ? "create of '" + create.draft().customSlug() + "'" : "create of a link to " + abbreviate(create.draft().longUrl());
            case LinkChange.Edit edit -> "edit of '" + edit.shortCode() + "'";
            case LinkChange.Delete delete -> "delete of '" + delete.shortCode() + "'";
            case LinkChange.SetRules set -> "redirect rules of '" + set.shortCode() + "'";
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** The link under {@code code} as the pending plans (and this batch so far) will leave it. */
    private Link intended(String code, Map<String, Intent> local) {
        Intent intent = local.get(code);
        if (intent == null) {
            intent = pending.get(code);
        }
        return intent != null ? intent.link() : index.get(code);
    }

    private static long counterOf(Link link) {
        return link.origin() == CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : -1;
    }

    /**
     * Throws {@link LinkConflictException} unless {@code code} may become a custom slug now; a
     * key below {@code handedOutBelow} may have been handed out (the counter, for a create).
     */
    private void checkClaimable(String code, Map<String, Intent> local, long handedOutBelow) {
        if (intended(code, local) != null) {
            throw new LinkConflictException(code, "the short code '" + code + "' is in use; choose another custom slug");
        }
        Link deleting = deleting(code, local);
        if (codes.isRetired(code) || deleting != null && deleting.origin() == CodeOrigin.RANDOM) {
            throw new LinkConflictException(code, "'" + code + "' was a generated code, and generated codes are never given again;"
                    + " choose another custom slug");
        }
        long key = ShortCodes.counterOf(code);
        if (key >= 0 && key < handedOutBelow && !isReleased(code, local)) {
            throw new LinkConflictException(code, "'" + code + "' is a key goto's counter has already handed out (or reserved),"
                    + " and generated keys are never given again, even after their link is deleted; choose another custom slug");
        }
    }

    /** True when {@code code} was a custom slug whose link is deleted, or is being deleted. */
    private boolean isReleased(String code, Map<String, Intent> local) {
        Link deleting = deleting(code, local);
        return deleting != null ? deleting.customSlug() : codes.isReleased(code);
    }

    /** The link a pending plan (or this batch) deletes under {@code code}, if that is its last intent. */
    private Link deleting(String code, Map<String, Intent> local) {
        Intent intent = local.get(code);
        if (intent == null) {
            intent = pending.get(code);
        }
        return intent == null ? null : intent.deleted();
    }

    /**
     * Makes room for about {@code more} links to come, for a bulk import: the index of long URLs
     * is sized for them at once instead of growing (and re-reading its URLs) as they arrive.
     */
    public synchronized void expectLinks(long more) {
        urls.reserve(more);
    }

    /**
     * The deleted custom slugs free to claim again ("released": the counter skips a key-shaped
     * one ahead of it), sorted.
     */
    public synchronized List<String> releasedCodes() {
        return codes.released().stream().sorted().toList();
    }

    /** The deleted random codes never given again ("retired"), sorted. */
    public synchronized List<String> retiredCodes() {
        return codes.retired().stream().sorted().toList();
    }

    /** True when {@code code} is a released or retired code: a deleted link's, with no link under it now. */
    public synchronized boolean isFreed(String code) {
        return codes.isReleased(code) || codes.isRetired(code);
    }

    /** The key the counter gives next, past those a custom slug or random code holds; allocates nothing. */
    public synchronized long nextCounter() {
        return codes.peek();
    }

    /**
     * Switches the counter to leased keys, for a store shared by several nodes: from now on it
     * hands out only keys of blocks given to {@link #lease}, and other nodes' keys do not move it.
     */
    public synchronized void useLeases() {
        codes.useLeases();
    }

    /** Gives the counter the block of keys [{@code from}, {@code to}), leased to this node alone. */
    public synchronized void lease(long from, long to) {
        codes.lease(from, to);
    }

    /** How many keys the leased blocks still hold; {@code Long.MAX_VALUE} when keys are not leased. */
    public synchronized long leasedKeysLeft() {
        return codes.leasedKeysLeft();
    }

    /** Moves the counter to at least {@code counter}: keys below it may have been handed out. */
    public synchronized void reserveThrough(long counter) {
        codes.reserveThrough(counter);
    }

    private Intent findMatching(LinkDraft draft, Map<String, Intent> local) {
        Intent best = null;
        for (Link link : committedLinksTo(draft.longUrl())) {
            Intent intent = local.containsKey(link.shortCode()) ? local.get(link.shortCode()) : pending.get(link.shortCode());
            Intent candidate = intent != null ? intent : new Intent(link, null, null);
            best = better(best, candidate, draft);
        }
        for (Intent intent : local.values()) {
            if (intent.link() != null && intent.link().longUrl().equals(draft.longUrl())) {
                best = better(best, intent, draft);
            }
        }
        for (Intent intent : pending.values()) {
            if (intent.link() != null && intent.link().longUrl().equals(draft.longUrl()) && !local.containsKey(intent.link().shortCode())) {
                best = better(best, intent, draft);
            }
        }
        return best;
    }

    private static Intent better(Intent best, Intent candidate, LinkDraft draft) {
        Link link = candidate.link();
        if (link == null || !draft.matches(link)) {
            return best;
        }
        return best == null || OLDEST_FIRST.compare(link, best.link()) < 0 ? candidate : best;
    }

    /**
     * Oldest first; among links of the same second, the counter's order (shorter codes first), then by code.
     * Written out rather than composed with {@code Comparator.comparing}: the JDK's lambdas inside
     * {@code Comparator} are not kept in the ahead-of-time cache, so every start spun three classes
     * for them at run time (BENCHMARKS.md, "Start: what the AOT cache missed").
     */
    static final Comparator<Link> OLDEST_FIRST = new OldestFirst();

    private static final class OldestFirst implements Comparator<Link> {
        @Override
        public int compare(Link a, Link b) {
            int created = a.dateCreated().compareTo(b.dateCreated());
            if (created != 0) {
                return created;
            }
            int length = Integer.compare(a.shortCode().length(), b.shortCode().length());
            return length != 0 ? length : a.shortCode().compareTo(b.shortCode());
        }
    }

    // ---- publishing ----

    /**
     * Makes {@code plan}'s changes visible to every reader and then completes {@link Plan#kept()}.
     * The completion runs the callers' answers (a REST create's JSON and its response write, on
     * the writer's thread); it runs after this lock is released, unless the caller holds it,
     * because every create, add and edit being planned waits for this lock: held while a group
     * commit's answers were written, it kept REST creates at a sixth of {@code /add}'s rate.
     */
    public void publish(Plan plan) {
        reveal(plan);
        plan.acknowledge();
    }

    /**
     * Makes {@code plan}'s changes visible to every reader without completing {@link Plan#kept()}:
     * the file store's writer reveals a whole group commit and hands its acknowledgements to the
     * thread that answers them ({@link Plan#acknowledge}), so no answer runs on the writer.
     */
    public void reveal(Plan plan) {
        synchronized (this) {
            for (Change change : plan.writes()) {
                apply(change);
                Intent intent = pending.get(change.shortCode());
                if (intent != null && intent.plan() == plan) {
                    pending.remove(change.shortCode());
                }
            }
        }
    }

    /** Forgets {@code plan}, which will never be published, and fails {@link Plan#kept()} with {@code why}. */
    public synchronized void abandon(Plan plan, Throwable why) {
        for (Change change : plan.writes()) {
            Intent intent = pending.get(change.shortCode());
            if (intent != null && intent.plan() == plan) {
                pending.remove(change.shortCode());
            }
        }
        plan.kept.completeExceptionally(why);
    }

    /** Applies one change to the index and the bookkeeping: from a plan, or from a replayed record. */
    public synchronized void apply(Change change) {
        Link before = change.before();
        if (before != null) {
            // What the index holds: a store shared by several nodes may have published another
            // node's newer version of this link since the change was planned.
            Link indexed = index.get(before.shortCode());
            before = indexed != null ? indexed : before;
        }
        Link after = change.after();
        long counter = change.counter();
        if (before != null) {
            urls.remove(before, counter);
        }
        groups.update(before, after);
        if (after == null) {
            index.remove(counter, before.shortCode());
            unlist(before, counter);
            if (counter < 0 && ShortCodes.counterOf(before.shortCode()) >= 0) {
                shapedCodes--;
            }
            crawlable.remove(before.shortCode());
            if (before.maxVisits() != null) {
                visitCounts.forget(before.shortCode()); // a slug claimed again starts from zero
            }
            if (before.origin() == CodeOrigin.CUSTOM_SLUG) {
                codes.release(before.shortCode());
            } else if (before.origin() == CodeOrigin.RANDOM) {
                codes.retire(before.shortCode());
            }
            return;
        }
        index.set(counter, after);
        urls.add(after, counter);
        if (after.crawlable()) {
            crawlable.add(after.shortCode());
        } else if (before != null) {
            crawlable.remove(after.shortCode());
        }
        if (before == null) {
            list(after, counter);
            if (counter >= 0) {
                codes.reserveThrough(counter + 1);
            } else {
                codes.taken(after.shortCode());
                if (ShortCodes.counterOf(after.shortCode()) >= 0) {
                    shapedCodes++;
                }
            }
        }
    }

    /** A replayed freed code: a deleted custom slug, free to claim again. */
    public synchronized void release(String code) {
        codes.release(code);
    }

    /** A replayed freed code: a deleted random code, never given again. */
    public synchronized void retire(String code) {
        codes.retire(code);
    }

    /**
     * Starts a bulk load (a replay): until {@link #endBulkLoad}, the long-URL index of plain
     * links is not kept link by link but built once at the end, sized for what it will hold.
     * A find-if-exists in between ends the bulk load first, so nothing is ever missed.
     *
     * @throws IllegalStateException if links were already stored
     */
    public synchronized void beginBulkLoad() {
        urls.defer();
    }

    /** Ends a bulk load begun by {@link #beginBulkLoad}: builds the long-URL index; nothing otherwise. */
    public synchronized void endBulkLoad() {
        urls.endDeferral();
    }

    /** The highest counter {@link #loadPlain} takes: the long-URL index holds no higher one in its table. */
    public static final long MAX_BULK_COUNTER = UrlIndex.MAX_COUNTER;

    /**
     * Takes the links kept in the pages in bulk from an index image, in the index's own layout
     * (see {@link LinkIndex#loadPlain}): slot chunks, pages and authors as they are, the
     * long-URL index's table of them as it is, and their creation order as it is (their counters
     * in counter order, in chunks of {@link #ORDER_CHUNK}); the key counter follows. Nothing is
     * done per link: the arrays are kept. Only into a state that holds nothing yet and is not in
     * a bulk load; the rest of the image and the records after it are applied afterwards, as in
     * a replay (each link then goes into the long-URL index as it comes). Throws
     * {@link IllegalArgumentException} when the arrays' sizes do not fit what they claim (the
     * table's count or the order's differs from the pages' links, among others); the state must
     * then be discarded.
     *
     * @param chunks       slot chunks of {@link LinkIndex#CHUNK_SLOTS} counters each (null for none)
     * @param pages        pages of {@link LinkIndex#PAGE_BYTES} bytes
     * @param lastPageFill bytes used in the last page
     * @param links        how many slots hold a link
     * @param counterLimit one past the highest counter with a link, at most {@link #MAX_BULK_COUNTER} + 1
     * @param authors      the authors the authored entries number
     * @param urlTables    the long-URL index's table per segment ({@link #URL_SEGMENTS}), as {@link #urlTables} gave them
     * @param urlCounts    how many links each of those tables holds
     * @param orderRefs    the order's counters: {@code links} of them, lowest first, in chunks of {@link #ORDER_CHUNK}
     * @param orderCreated their creation seconds (unsigned), in the same chunks
     * @param orderSorted  whether those seconds never go back from one link to the next
     */
    public synchronized void loadPlain(long[][] chunks, byte[][] pages, int lastPageFill, long links, long counterLimit,
                                       String[] authors, int[][] urlTables, int[] urlCounts, long[][] orderRefs,
                                       int[][] orderCreated, boolean orderSorted) {
        if (index.size() != 0 || order.count() != 0) {
            throw new IllegalStateException("a bulk load of plain links into a state that holds links");
        }
        if (counterLimit > MAX_BULK_COUNTER + 1 || links > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("counters up to " + (counterLimit - 1) + " cannot be loaded in bulk");
        }
        long inTables = 0;
        for (int count : urlCounts) {
            inTables += count;
        }
        if (inTables != links) {
            throw new IllegalArgumentException("the long-URL index holds " + inTables + " links and the pages " + links);
        }
        LinkOrder loaded = LinkOrder.loaded(orderRefs, orderCreated, (int) links, orderSorted);
        index.loadPlain(chunks, pages, lastPageFill, links, counterLimit, authors);
        urls.load(urlTables, urlCounts);
        order = loaded;
        codes.reserveThrough(counterLimit);
    }

    /** Entries per chunk of the creation order {@link #loadPlain} takes. */
    public static final int ORDER_CHUNK = LinkOrder.CHUNK;

    /** Segments of the long-URL index: {@link #urlTables} gives this many tables. */
    public static final int URL_SEGMENTS = UrlIndex.SEGMENT_COUNT;

    /** Told of each segment of the long-URL index's table. */
    public interface UrlTables {
        /** Segment {@code segment}'s table (counters plus one, 0 for free; do not change it) and how many links it holds. */
        void segment(int segment, int[] table, int count) throws java.io.IOException;
    }

    /**
     * Hands each segment of the long-URL index's table of links kept in the pages to
     * {@code tables}, under this state's lock, for an index image: the table holds exactly the
     * links {@link LinkIndex.Visitor#plain} and {@link LinkIndex.Visitor#authored} visit whose
     * counter is at most {@link #MAX_BULK_COUNTER}.
     */
    public synchronized void urlTables(UrlTables tables) throws java.io.IOException {
        UrlIndex table = urls.table();
        for (int segment = 0; segment < URL_SEGMENTS; segment++) {
            tables.segment(segment, table.segment(segment), table.count(segment));
        }
    }

    /** Stores a replayed plain link straight from record bytes; false if its counter is taken. */
    public synchronized boolean putPlain(long counter, byte[] url, int offset, int length, long createdSeconds) {
        // A custom slug or random code may look like this key: only then is the map asked.
        if (shapedCodes > 0 && index.get(Keys.encode(counter)) != null) {
            return false;
        }
        if (!index.putPlain(counter, url, offset, length, createdSeconds)) {
            return false;
        }
        urls.addPlain(counter);
        codes.reserveThrough(counter + 1);
        order.append(counter, null, createdSeconds);
        return true;
    }

    private void list(Link created, long counter) {
        int id = order.append(counter, created.shortCode(), created.dateCreated().getEpochSecond());
        if (id >= 0) {
            orderIds.put(created.shortCode(), id);
        }
    }

    private void unlist(Link deleted, long counter) {
        Integer id = counter >= 0 ? null : orderIds.remove(deleted.shortCode());
        if (id != null) {
            order.killCode(id);
        } else {
            order.killCounter();
        }
        if (order.sorted() && order.needsRebuild()) {
            order = LinkOrder.rebuilt(order, index, orderIds);
        }
    }

    // ---- reads ----

    /** The kept links to exactly {@code longUrl}, oldest first. */
    public synchronized List<Link> committedLinksTo(String longUrl) {
        List<Link> found = urls.find(longUrl);
        found.sort(OLDEST_FIRST);
        return found;
    }

    /**
     * The page of links {@code query} asks for, without the lock (but for a rebuild of the order
     * after a replay that added links out of creation order, once).
     */
    public LinksPage list(LinksQuery query) {
        LinkOrder current = order;
        if (current.needsRebuild()) {
            synchronized (this) {
                if (order.needsRebuild()) {
                    order = LinkOrder.rebuilt(order, index, orderIds);
                }
                current = order;
            }
        }
        return LinkQueries.run(query, index, current, groups);
    }

    /**
     * Every tag in use and how many links carry it, sorted by tag; only among the links
     * {@code author} created unless it is null. Lock-free.
     */
    public Map<String, Long> tagCounts(String author) {
        if (author == null) {
            return groups.tagCounts();
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String code : groups.authored(author)) {
            Link link = index.get(code);
            if (link != null && author.equals(link.author())) {
                for (String tag : link.tags()) {
                    counts.merge(tag, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    public List<String> crawlableShortCodes() {
        return List.copyOf(crawlable);
    }

    /** Every link, weakly consistent; lock-free. */
    public void forEach(Consumer<? super Link> action) {
        index.forEach(new LinkIndex.Visitor() {
            @Override
            public void plain(long counter, byte[] page, int offset, int length, long createdSeconds) {
                action.accept(LinkIndex.plainLink(counter, page, offset, length, createdSeconds));
            }

            @Override
            public void rich(long counter, Link link) {
                action.accept(link);
            }
        });
    }

    public long size() {
        return index.size();
    }

    /** The counter's next key as it stands (without skipping claimed keys). */
    public synchronized long counter() {
        return codes.counter();
    }

    // ---- snapshots, for compaction ----

    /** The state as of one moment, for writing it out while changes go on. */
    public record Snapshot(LinkIndex.Snapshot index, long nextCounter, Set<String> released, Set<String> retired,
                           Map<String, VisitCounts.Kept> visitCounts, gotourl.link.NotFoundRedirects notFoundRedirects) {}

    /**
     * Starts a snapshot; call between publications, where the kept visit counts match the index
     * and the not-found redirects are those the store has kept.
     */
    public synchronized Snapshot beginSnapshot() {
        return new Snapshot(index.beginSnapshot(), codes.counter(), codes.released(), codes.retired(),
                visitCounts.keptOfLiveLinks(index), notFoundRedirects);
    }

    /** The not-found redirects as last kept ({@link gotourl.link.NotFoundRedirects#NONE} at first); lock-free. */
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return notFoundRedirects;
    }

    /**
     * Makes {@code redirects} what every reader sees from now on: called by a store once it has
     * kept them (for the file store, on its writer thread once their record is forced), and by a
     * replay for each such record.
     */
    public void publishNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        notFoundRedirects = java.util.Objects.requireNonNull(redirects, "redirects");
    }

    public synchronized void endSnapshot() {
        index.endSnapshot();
    }

    /** Visits the links of {@code snapshot}; from any thread, without the lock. */
    public void visit(Snapshot snapshot, LinkIndex.Visitor visitor) {
        index.snapshot(snapshot.index(), visitor);
    }

    /** For tests: the bytes of the long-URL table. */
    long urlTableBytes() {
        return urls.tableBytes();
    }
}
