package gotourl.apikey;

import java.util.concurrent.CompletableFuture;

/**
 * Where API keys are kept, beside the links and in the same data (one file to back up): the
 * in-memory store, the file store, and later PostgreSQL implement it. Keys are kept only as
 * {@link KeyHash hashes}.
 *
 * <p>Contract (checked for every store by {@code ApiKeyStoreContract}):
 * <ul>
 *   <li>{@link #apiKeyTable()} returns the keys as last published, at once and without a lock
 *       (it is read on every REST request); a change is published only once kept (for the file
 *       store: forced to disk, whatever {@code -sync} says), and its future completes after.</li>
 *   <li>Writes never block the caller: they complete their future when kept. A write fails with
 *       {@link IllegalArgumentException} (the name, id or hash is taken), {@link ApiKeyNotFoundException}
 *       (a disable of a key that does not exist), or the store's own
 *       {@code StoreBusyException}/{@code StoreFailedException}; in each such case nothing changed.</li>
 *   <li>Keys are never deleted: a disabled key stays listed, so its id (the author of links it
 *       created) keeps a name, as Shlink keeps disabled keys.</li>
 * </ul>
 */
public interface ApiKeyStore {

    /** Keeps {@code key} (enabled or not, as given) and completes with it once kept. */
    CompletableFuture<ApiKeyRecord> createApiKey(ApiKeyRecord key);

    /**
     * Disables the key whose id, else name, is {@code idOrName}, and completes with it disabled.
     * Disabling a disabled key succeeds and writes nothing.
     */
    CompletableFuture<ApiKeyRecord> disableApiKey(String idOrName);

    /** The keys as last kept; lock-free, immutable. */
    ApiKeyTable apiKeyTable();
}
