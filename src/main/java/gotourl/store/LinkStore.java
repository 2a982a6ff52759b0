package gotourl.store;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where links live. The store owns short codes: it takes the next key of the counter, draws a
 * random code, or checks a custom slug, so callers never make codes (a store shared by many goto
 * nodes will lease keys in blocks).
 *
 * <p>Reads ({@link #lookup}, {@link #linksTo}, {@link #forEach}, {@link #crawlableShortCodes})
 * return at once and never block: {@link #lookup} is fit for a selector thread. Writes
 * ({@link #create}, {@link #edit}, {@link #setRedirectRules}, {@link #delete}, {@link #apply}) hand the change over and
 * return a future that completes when the store has kept it (for the durable file store: once
 * forced to disk); from then on every read on every thread sees it. None starts a thread.
 *
 * <p>A write's future completes exceptionally with:
 * <ul>
 *   <li>{@link IllegalArgumentException}: the change is not valid (an edit that would end a
 *       link's validity before it starts, a URL a store cannot hold);</li>
 *   <li>{@link LinkConflictException}: a custom slug is taken or was a generated code;</li>
 *   <li>{@link LinkNotFoundException}: an edit or delete of a code no link has;</li>
 *   <li>{@link StoreBusyException}: the store cannot take more right now; retry shortly;</li>
 *   <li>{@link StoreFailedException}: the store cannot write at all (a failed disk, closed).</li>
 * </ul>
 * In every such case nothing was stored.
 */
public interface LinkStore extends AutoCloseable {

    /**
     * Creates a link from {@code draft} and completes with it: its short code is the custom
     * slug, a random code of the asked length, or the next key of the counter (skipping keys a
     * slug already has, as the seed's {@code Put} loop does). With {@code findIfExists}, an
     * existing matching link ({@link LinkDraft#matches}) is returned instead and nothing is written.
     */
    default CompletableFuture<Link> create(LinkDraft draft) {
        return apply(List.of(new LinkChange.Create(draft))).thenApply(List::getFirst);
    }

    /** Applies {@code edit} to the link under {@code shortCode} and completes with the new link. */
    default CompletableFuture<Link> edit(String shortCode, LinkEdit edit) {
        return apply(List.of(new LinkChange.Edit(shortCode, edit))).thenApply(List::getFirst);
    }

    /**
     * Replaces the redirect rules of the link under {@code shortCode} with {@code rules} (Shlink 4's
     * {@code POST /short-urls/{shortCode}/redirect-rules}: the whole list, {@link gotourl.link.RedirectRules#NONE}
     * removes them) and completes with the link as it now is. A link with rules is never plain
     * ({@link Link#isPlain}): its redirect reads the request. Its other fields stay; an edit of them
     * keeps the rules, a delete drops them. Fails as {@link #edit} does.
     */
    default CompletableFuture<Link> setRedirectRules(String shortCode, gotourl.link.RedirectRules rules) {
        return apply(List.of(new LinkChange.SetRules(shortCode, rules))).thenApply(List::getFirst);
    }

    /**
     * Deletes the link under {@code shortCode} and completes with it as it was. A deleted
     * generated code is never given again; a deleted custom slug can be claimed by a new create.
     */
    default CompletableFuture<Link> delete(String shortCode) {
        return apply(List.of(new LinkChange.Delete(shortCode))).thenApply(List::getFirst);
    }

    /**
     * Applies {@code changes} in order, all or none, in one write (for the file store: one group
     * commit, one force), and completes with one link per change: the created (or found), edited,
     * or deleted link. Later changes see earlier ones. When one is refused, none is kept and the
     * exception names which ({@code "change 3 of 10 (edit of 'docs'): ..."}). At most
     * {@link #MAX_BATCH} changes.
     */
    CompletableFuture<List<Link>> apply(List<LinkChange> changes);

    /** The most changes one {@link #apply} takes: a batch stays one bounded write. */
    int MAX_BATCH = 1_000;

    /** The seed's {@code /add}: a link with the defaults under the next key; completes with the key. */
    default CompletableFuture<String> add(String url) {
        return create(LinkDraft.of(url)).thenApply(Link::shortCode);
    }

    /**
     * The not-found redirects ({@code PATCH /rest/v3/domains/redirects}) as last kept;
     * {@link gotourl.link.NotFoundRedirects#NONE} when none were ever set or this store cannot keep
     * them. Lock-free, for the redirect path.
     */
    default gotourl.link.NotFoundRedirects notFoundRedirects() {
        return gotourl.link.NotFoundRedirects.NONE;
    }

    /**
     * Replaces the not-found redirects with {@code redirects} (all three: a merge is the caller's)
     * and completes with them once kept, after which {@link #notFoundRedirects} returns them on
     * every thread; a restart finds them. Completes exceptionally, having kept nothing, as any write
     * does ({@link StoreBusyException}, {@link StoreFailedException}), or with
     * {@link UnsupportedOperationException} when this store cannot keep them.
     */
    default CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                getClass().getSimpleName() + " cannot keep not-found redirects"));
    }

    /** The link under {@code shortCode}, or null. Lock-free, for the redirect path. */
    Link lookup(String shortCode);

    /**
     * The lock-free index {@link #lookup} reads, for the redirect's fast path: a plain link
     * ({@link Link#isPlain}) is answered from it without building a {@link Link}
     * ({@link LinkIndex#plainEntry}); null when this store has none, and then every redirect
     * looks its link up. Fit for a selector thread, like {@link #lookup}.
     */
    default LinkIndex redirectIndex() {
        return null;
    }

    /** The long URL of the link under {@code shortCode}, or null: {@link #lookup} for callers that want only that. */
    default String longUrlOf(String shortCode) {
        Link link = lookup(shortCode);
        return link == null ? null : link.longUrl();
    }

    /**
     * Counts one visit of {@code link} against its {@code maxVisits}, as a redirect of it does
     * (bots too, as Shlink counts them), and completes with true once the visit is kept (for the
     * durable file store: its record forced to disk, whatever {@code -sync} says), or with false
     * at once when the link's visits are exhausted: then it must answer 404 as an expired link.
     * Exact under any number of concurrent callers and across restarts: a link with
     * {@code maxVisits = N} gets at most N true answers over its life, and exactly N unless a
     * reservation failed. A new life of the code (a deleted custom slug claimed again) starts
     * from zero; an edit keeps the count. Never blocks: fit for a selector thread; the future may
     * complete on the store's writer thread (or on whatever thread the store answers its group
     * commits on).
     *
     * <p>Completes exceptionally, having counted nothing, with {@link StoreBusyException} (the
     * write queue is full; retry shortly) or {@link StoreFailedException} (the store cannot write,
     * or is closed). Throws {@link IllegalArgumentException} for a link without {@code maxVisits}:
     * only limited links are counted here (every visit is recorded by {@code gotourl.visits}).
     */
    CompletableFuture<Boolean> reserveVisit(Link link);

    /**
     * The visits counted against {@code link}'s {@code maxVisits} so far in its current life
     * (reserved, kept or on their way to being kept); 0 for a link without a limit. Lock-free.
     * A HEAD of a limited link reads this instead of counting a visit.
     */
    long visitsCounted(Link link);

    /** The links whose long URL is exactly {@code longUrl}, oldest first; O(1) in the number of links. */
    List<Link> linksTo(String longUrl);

    /**
     * Gives every link to {@code action}, in no set order. Weakly consistent: a link changed while
     * this runs is seen before or after the change, never half-changed.
     */
    void forEach(Consumer<? super Link> action);

    /** The short codes of crawlable links, sorted, for robots.txt (as Shlink's {@code findCrawlableShortCodes}). */
    List<String> crawlableShortCodes();

    /**
     * A page of the links {@code query} selects, in its order, with how many match in all: what
     * Shlink's {@code GET /rest/v3/short-urls} lists ({@code ShortUrlListRepository::findList} and
     * {@code countList}). Kept links only, like every read; never blocks on writes.
     *
     * <p>Ordered by creation, newest first (Shlink's default), a page without filters costs
     * O(offset + limit), not O(links): a store keeps its links in creation order. Filters (search,
     * dates, exclusions) read each candidate once: O(links), or O(links with the tag) for a tag
     * filter and O(links of the author) for an author's view. Within one creation second, links
     * come in the order they were created. Throws nothing for a valid query.
     */
    LinksPage list(LinksQuery query);

    /**
     * Every tag in use with how many links carry it, sorted by tag, as Shlink's
     * {@code GET /rest/v3/tags/stats} counts {@code shortUrlsCount}; among the links the API key
     * {@code author} created, or all links when null. A tag lives as long as a link carries it.
     */
    java.util.Map<String, Long> tagCounts(String author);

    /** How many links are stored. */
    long size();

    /**
     * True when the key counter is at its last key: links without a custom slug are refused
     * ({@link KeysExhaustedException}), everything else goes on. False for a store without one.
     */
    default boolean keysExhausted() {
        return false;
    }

    /** Why the store cannot take writes, or null while it can. */
    default String failure() {
        return null;
    }

    /**
     * Stops taking writes, finishes those already taken within {@code deadline}, and releases
     * what the store holds. Returns how many taken writes could not be finished in time.
     */
    int close(Duration deadline);

    @Override
    default void close() {
        close(Duration.ofSeconds(10));
    }
}
