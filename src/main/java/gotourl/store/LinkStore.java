package gotourl.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where links live. The store owns key allocation: the file store takes the next counter, and a
 * store shared by many goto nodes will lease keys in blocks, so callers never make keys.
 *
 * <p>Both methods return at once: {@link #lookup} is a lock-free read fit for a selector thread,
 * and {@link #add} hands the link over and completes its future when the store has kept it (for
 * the durable log: once it is forced to disk). Neither starts a thread.
 */
public interface LinkStore extends AutoCloseable {

    /**
     * Stores {@code url} under the next key and completes with that key once the link is kept.
     * Completes exceptionally with {@link StoreBusyException} when the store cannot take more
     * right now (nothing was stored), or {@link StoreFailedException} when it cannot store at all.
     */
    CompletableFuture<String> add(String url);

    /** The URL stored under {@code key}, or null. */
    String lookup(String key);

    /** How many links are stored. */
    long size();

    /** Why the store cannot take adds, or null while it can. */
    default String failure() {
        return null;
    }

    /**
     * Stops taking adds, finishes those already taken within {@code deadline}, and releases
     * what the store holds. Returns how many taken adds could not be finished in time.
     */
    int close(Duration deadline);

    @Override
    default void close() {
        close(Duration.ofSeconds(10));
    }
}
