package gotourl.check;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.store.LinkChange;
import gotourl.store.LinkStore;
import gotourl.store.LinksPage;
import gotourl.store.LinksQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The store as the routes see it with {@code -resolve-titles}: every call goes to the real store,
 * and a create without a title, once kept (and answered), hands its link to the
 * {@link TitleResolver}. The create's future is the store's own, completed before the title is
 * even asked for: titles never delay a create.
 */
public final class TitlingStore implements LinkStore {
    private final LinkStore store;
    private final TitleResolver titles;

    public TitlingStore(LinkStore store, TitleResolver titles) {
        this.store = store;
        this.titles = titles;
    }

    @Override
    public CompletableFuture<Link> create(LinkDraft draft) {
        CompletableFuture<Link> created = store.create(draft);
        if (draft.title() == null) {
            created.thenAccept(link -> titles.fillIn(store, link));
        }
        return created;
    }

    @Override
    public CompletableFuture<String> add(String url) {
        CompletableFuture<String> added = store.add(url);
        added.thenAccept(code -> titles.fillIn(store, store.lookup(code)));
        return added;
    }

    @Override
    public CompletableFuture<List<Link>> apply(List<LinkChange> changes) {
        CompletableFuture<List<Link>> applied = store.apply(changes);
        applied.thenAccept(links -> {
            for (int i = 0; i < changes.size() && i < links.size(); i++) {
                if (changes.get(i) instanceof LinkChange.Create create && create.draft().title() == null) {
                    titles.fillIn(store, links.get(i));
                }
            }
        });
        return applied;
    }

    @Override
    public CompletableFuture<Link> edit(String shortCode, LinkEdit edit) {
        return store.edit(shortCode, edit);
    }

    @Override
    public CompletableFuture<Link> setRedirectRules(String shortCode, gotourl.link.RedirectRules rules) {
        return store.setRedirectRules(shortCode, rules);
    }

    @Override
    public CompletableFuture<Link> delete(String shortCode) {
        return store.delete(shortCode);
    }

    @Override
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return store.notFoundRedirects();
    }

    @Override
    public CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        return store.setNotFoundRedirects(redirects);
    }

    @Override
    public Link lookup(String shortCode) {
        return store.lookup(shortCode);
    }

    @Override
    public gotourl.store.LinkIndex redirectIndex() {
        return store.redirectIndex(); // or -resolve-titles would take every redirect off the fast path
    }

    @Override
    public String longUrlOf(String shortCode) {
        return store.longUrlOf(shortCode);
    }

    @Override
    public CompletableFuture<Boolean> reserveVisit(Link link) {
        return store.reserveVisit(link);
    }

    @Override
    public long visitsCounted(Link link) {
        return store.visitsCounted(link);
    }

    @Override
    public List<Link> linksTo(String longUrl) {
        return store.linksTo(longUrl);
    }

    @Override
    public void forEach(Consumer<? super Link> action) {
        store.forEach(action);
    }

    @Override
    public List<String> crawlableShortCodes() {
        return store.crawlableShortCodes();
    }

    @Override
    public LinksPage list(LinksQuery query) {
        return store.list(query);
    }

    @Override
    public Map<String, Long> tagCounts(String author) {
        return store.tagCounts(author);
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public boolean keysExhausted() {
        return store.keysExhausted();
    }

    @Override
    public String failure() {
        return store.failure();
    }

    /** Closes the real store: whoever opened it closes it through here or directly, once. */
    @Override
    public int close(Duration deadline) {
        return store.close(deadline);
    }
}
