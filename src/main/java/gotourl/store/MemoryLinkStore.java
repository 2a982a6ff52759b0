package gotourl.store;

import gotourl.link.Keys;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Links in memory only: gone when goto stops. For tests and throwaway runs. */
public final class MemoryLinkStore implements LinkStore {
    private final LinkIndex index = new LinkIndex();
    private final AtomicLong nextCounter = new AtomicLong();
    private volatile boolean closed;

    @Override
    public CompletableFuture<String> add(String url) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
        }
        long counter = nextCounter.getAndIncrement();
        index.put(counter, url);
        return CompletableFuture.completedFuture(Keys.encode(counter));
    }

    @Override
    public String lookup(String key) {
        return index.get(Keys.decode(key));
    }

    @Override
    public long size() {
        return index.size();
    }

    @Override
    public String failure() {
        return closed ? "the store is closed" : null;
    }

    @Override
    public int close(Duration deadline) {
        closed = true;
        return 0;
    }
}
