package gotourl.store;

/**
 * A change the store refused because of the links it holds, not because it is unavailable:
 * nothing was stored, and the same change will be refused again until the links change.
 */
public abstract sealed class LinkRefusedException extends RuntimeException
        permits LinkConflictException, LinkNotFoundException {

    LinkRefusedException(String message) {
        super(message, null, false, false);
    }

    /** The same refusal, its message prefixed with where in a batch it happened. */
    abstract LinkRefusedException within(String where);
}
