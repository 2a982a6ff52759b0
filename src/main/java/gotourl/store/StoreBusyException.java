package gotourl.store;

/** The store is momentarily full (its write queue is); the same add may succeed shortly. */
public final class StoreBusyException extends StoreUnavailableException {

    public StoreBusyException(String message) {
        super(message, null);
    }
}
