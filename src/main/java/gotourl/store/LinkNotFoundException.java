package gotourl.store;

/** No link has the short code an edit or a delete named (Shlink's {@code INVALID_SHORTCODE}). */
public final class LinkNotFoundException extends LinkRefusedException {
    private final String shortCode;

    public LinkNotFoundException(String shortCode) {
        this(shortCode, "no link has the short code '" + shortCode + "'");
    }

    private LinkNotFoundException(String shortCode, String message) {
        super(message);
        this.shortCode = shortCode;
    }

    public String shortCode() {
        return shortCode;
    }

    @Override
    LinkNotFoundException within(String where) {
        return new LinkNotFoundException(shortCode, where + ": " + getMessage());
    }
}
