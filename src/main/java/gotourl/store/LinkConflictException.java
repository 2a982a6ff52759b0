package gotourl.store;

/**
 * The short code a create asked for cannot be had: a link holds it, or it was a generated code
 * once (generated codes are never given again). Shlink answers this {@code NON_UNIQUE_SLUG}.
 */
public final class LinkConflictException extends LinkRefusedException {
    private final String shortCode;
    private final String reason;

    public LinkConflictException(String shortCode, String message) {
        this(shortCode, message, message);
    }

    private LinkConflictException(String shortCode, String message, String reason) {
        super(message);
        this.shortCode = shortCode;
        this.reason = reason;
    }

    /** The code that was asked for. */
    public String shortCode() {
        return shortCode;
    }

    /**
     * Why the code cannot be had, without {@link #within where in a batch}: the REST API's batch
     * answers each item apart, and the store's change numbers (which shift as refused items are
     * taken out and the rest written again) would name the wrong item.
     */
    public String reason() {
        return reason;
    }

    @Override
    LinkConflictException within(String where) {
        return new LinkConflictException(shortCode, where + ": " + getMessage(), reason);
    }
}
