package gotourl.store;

import java.time.Clock;

class MemoryLinkStoreStressTest extends LinkStoreStressContract {
    @Override
    protected LinkStore openEmptyStore(Clock clock) {
        return new MemoryLinkStore(clock);
    }
}
