package gotourl.visits;

import java.io.IOException;

/**
 * A visit store that lives elsewhere (PostgreSQL) cannot be reached now; the same call may work
 * later. Unlike any other {@link IOException} of a store, it does not make the {@link Tracker}
 * count the store as failed for good: the change that met it fails (its caller answers 503), and
 * visits go on being handed to the store, which says in {@link VisitStore#unavailable()} why it
 * is not writing them.
 */
public class VisitStoreUnavailableException extends IOException {
    public VisitStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
