package gotourl.visits;

class MemoryVisitStoreTest extends VisitStoreContract {
    @Override
    protected VisitStore open() {
        return new MemoryVisitStore();
    }
}
