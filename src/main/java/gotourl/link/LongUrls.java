package gotourl.link;

/**
 * What any store can hold as a long URL: ASCII, 1 to 65,535 characters. Which URLs goto accepts
 * (http or https, a host, no credentials...) is the rule of {@link LongUrlRules}, applied before a URL
 * reaches a store; this is only the shape every stored URL has.
 */
public final class LongUrls {
    /** The longest URL a store keeps: its length is stored in two bytes. */
    public static final int MAX_CHARS = 0xFFFF;

    private LongUrls() {}

    /** Why {@code url} cannot be stored, or null if it can. */
    public static String problem(String url) {
        if (url == null || url.isEmpty()) {
            return "the long URL is missing";
        }
        if (url.length() > MAX_CHARS) {
            return "a long URL of " + url.length() + " characters is too long to store (at most " + MAX_CHARS + ")";
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c >= 0x80 || c < 0x21 || c == 0x7F) {
                return "stored URLs are printable ASCII (percent-encode the rest); got char " + (int) c + " at " + i;
            }
        }
        return null;
    }
}
