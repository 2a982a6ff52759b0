package gotourl.store;

/**
 * The short code a create asked for cannot be had: a link holds it, or it was a generated code
 * once (generated codes are never given again). Shlink answers this {@code NON_UNIQUE_SLUG}.
 */
public final class LinkConflictException extends LinkRefusedException {
    private final String shortCode;

    public LinkConflictException(String shortCode, String message) {
        super(message);
        this.shortCode = shortCode;
    }

    /** The code that was asked for. */
    public String shortCode() {
        return shortCode;
    }

    @Override
    LinkConflictException within(String where) {
        return new LinkConflictException(shortCode, where + ": " + getMessage());
    }
}
