package gotourl.apikey;

import gotourl.store.LinkStore;
import gotourl.store.MemoryLinkStore;
import java.time.Clock;

/** The API-key contract for the in-memory store ({@code -file=:memory:}). */
class MemoryApiKeyStoreTest extends ApiKeyStoreContract {
    @Override
    protected LinkStore openEmptyStore(Clock clock) {
        return new MemoryLinkStore(clock);
    }
}
