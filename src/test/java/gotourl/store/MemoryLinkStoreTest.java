package gotourl.store;

import java.time.Clock;

class MemoryLinkStoreTest extends LinkStoreContract {
    @Override
    protected LinkStore openEmptyStore(Clock clock) {
        return new MemoryLinkStore(clock);
    }
}
