package gotourl.store;

import gotourl.link.Link;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A store that passes everything to another: test stores override only what they change. */
public abstract class ForwardingLinkStore implements LinkStore {
    protected final LinkStore store;

    protected ForwardingLinkStore(LinkStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<List<Link>> apply(List<LinkChange> changes) {
        return store.apply(changes);
    }

    @Override
    public CompletableFuture<String> add(String url) {
        return store.add(url);
    }

    @Override
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return store.notFoundRedirects();
    }

    @Override
    public java.util.concurrent.CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(
            gotourl.link.NotFoundRedirects redirects) {
        return store.setNotFoundRedirects(redirects);
    }

    @Override
    public Link lookup(String shortCode) {
        return store.lookup(shortCode);
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
    public LinksPage list(LinksQuery query) {
        return store.list(query);
    }

    @Override
    public java.util.Map<String, Long> tagCounts(String author) {
        return store.tagCounts(author);
    }

    @Override
    public List<String> crawlableShortCodes() {
        return store.crawlableShortCodes();
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public String failure() {
        return store.failure();
    }

    @Override
    public int close(Duration deadline) {
        return store.close(deadline);
    }
}
