package gotourl.store;

/** The store cannot write any more (a failed write or force, or it is closing); retrying will not help. */
public final class StoreFailedException extends StoreUnavailableException {

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
