package gotourl.store;

/** An add the store did not take or could not keep; the link was not stored. */
public abstract sealed class StoreUnavailableException extends RuntimeException
        permits StoreBusyException, StoreFailedException, KeysExhaustedException {

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
