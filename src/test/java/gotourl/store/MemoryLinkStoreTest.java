package gotourl.store;

class MemoryLinkStoreTest extends LinkStoreContract {
    @Override
    protected LinkStore openEmptyStore() {
        return new MemoryLinkStore();
    }
}
