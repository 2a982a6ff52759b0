package gotourl.store;

import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyStore;
import gotourl.apikey.ApiKeyTable;
import gotourl.link.Link;
import gotourl.link.LongUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Links and API keys in memory only: gone when goto stops. For tests and throwaway runs. */
public final class MemoryLinkStore implements LinkStore, ApiKeyStore {
    private final LinkState state = new LinkState();
    private final Clock clock;
    private boolean closed; // guarded by state
    private volatile ApiKeyTable apiKeys = ApiKeyTable.EMPTY; // replaced under state

    public MemoryLinkStore() {
        this(Clock.systemUTC());
    }

    /** A store whose links are created at {@code clock}'s time. */
    public MemoryLinkStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletableFuture<List<Link>> apply(List<LinkChange> changes) {
        if (changes.isEmpty() || changes.size() > MAX_BATCH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a batch holds 1 to " + MAX_BATCH + " changes, not " + changes.size()));
        }
        try {
            synchronized (state) {
                if (closed) {
                    return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
                }
                LinkState.Plan plan = state.plan(changes, now(), false);
                state.publish(plan);
                return plan.results();
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public CompletableFuture<String> add(String url) {
        String problem = LongUrls.problem(url);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        synchronized (state) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
            }
            LinkState.Plan plan;
            try {
                plan = state.planAdd(url, now());
            } catch (RuntimeException refused) {
                return CompletableFuture.failedFuture(refused);
            }
            state.publish(plan);
            return CompletableFuture.completedFuture(plan.writes().getFirst().after().shortCode());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return state.notFoundRedirects();
    }

    @Override
    public CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        synchronized (state) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
            }
            state.publishNotFoundRedirects(redirects);
            return CompletableFuture.completedFuture(redirects);
        }
    }

    @Override
    public Link lookup(String shortCode) {
        return state.index().get(shortCode);
    }

    @Override
    public LinkIndex redirectIndex() {
        return state.index();
    }

    /** Counted in memory only: the count goes with the links when goto stops. */
    @Override
    public CompletableFuture<Boolean> reserveVisit(Link link) {
        VisitCounts counts = state.visitCounts();
        synchronized (state) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
            }
        }
        if (!counts.tryReserve(link)) {
            return CompletableFuture.completedFuture(false);
        }
        counts.kept(link.shortCode(), link.dateCreated().toEpochMilli());
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public long visitsCounted(Link link) {
        return link.maxVisits() == null ? 0 : state.visitCounts().reserved(link);
    }

    @Override
    public List<Link> linksTo(String longUrl) {
        return state.committedLinksTo(longUrl);
    }

    @Override
    public void forEach(Consumer<? super Link> action) {
        state.forEach(action);
    }

    @Override
    public LinksPage list(LinksQuery query) {
        return state.list(query);
    }

    @Override
    public java.util.Map<String, Long> tagCounts(String author) {
        return state.tagCounts(author);
    }

    @Override
    public List<String> crawlableShortCodes() {
        return state.crawlableShortCodes();
    }

    @Override
    public long size() {
        return state.size();
    }

    @Override
    public CompletableFuture<ApiKeyRecord> createApiKey(ApiKeyRecord key) {
        try {
            synchronized (state) {
                if (closed) {
                    return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
                }
                apiKeys = apiKeys.with(key);
                return CompletableFuture.completedFuture(key);
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public CompletableFuture<ApiKeyRecord> disableApiKey(String idOrName) {
        try {
            synchronized (state) {
                if (closed) {
                    return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
                }
                ApiKeyRecord key = apiKeys.byIdOrName(idOrName);
                if (key == null) {
                    throw new gotourl.apikey.ApiKeyNotFoundException(idOrName);
                }
                if (key.enabled()) {
                    apiKeys = apiKeys.withDisabled(key.id());
                }
                return CompletableFuture.completedFuture(apiKeys.byId(key.id()));
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public ApiKeyTable apiKeyTable() {
        return apiKeys;
    }

    @Override
    public String failure() {
        synchronized (state) {
            return closed ? "the store is closed" : null;
        }
    }

    @Override
    public int close(Duration deadline) {
        synchronized (state) {
            closed = true;
        }
        return 0;
    }
}
