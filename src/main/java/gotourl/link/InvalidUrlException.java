package gotourl.link;

/**
 * The WHATWG URL parser's "failure": the text is not a URL a browser would follow. The message
 * says, for a person, what is wrong with it (it names the part, and quotes it shortened and with
 * control characters escaped).
 */
public final class InvalidUrlException extends Exception {
    /** What kind of failure: callers choose their wording and status by it. */
    public enum Kind {
        /** No scheme, so not an absolute URL. */
        NOT_ABSOLUTE,
        /** A scheme other than http or https (which goto does not parse further). */
        SCHEME,
        /** The authority has no host, e.g. {@code http://} or {@code http://user@/}. */
        NO_HOST,
        /** The host is not a domain, IPv4 or IPv6 address a browser accepts. */
        HOST,
        /** The port is not a number or is above 65535. */
        PORT
    }

    private final Kind kind;

    InvalidUrlException(Kind kind, String message) {
        super(message, null, false, false); // an answer to bad input, not a fault: no stack trace
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code text} in quotes for a message: at most 80 characters, control characters as \\uXXXX. */
    static String quoted(String text) {
        String shown = text.length() <= 80 ? text : text.substring(0, 77) + "...";
        StringBuilder out = new StringBuilder(shown.length() + 2).append('\'');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            // Controls, and format characters such as a right-to-left override, would garble the line.
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < shown.length() && Character.isLowSurrogate(shown.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(shown.charAt(i - 1)))) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
