package gotourl.link;

/**
 * An absolute http or https URL as the WHATWG URL Standard (what browsers follow) parses it, and
 * {@link #href()} as they serialize it. The serialization is ASCII: the host in IDNA form, every
 * other non-ASCII character percent-encoded as UTF-8.
 *
 * @param scheme   {@code http} or {@code https}, lower case
 * @param username percent-encoded user name, empty when there is none
 * @param password percent-encoded password, empty when there is none
 * @param host     the host, never empty
 * @param port     the port when it is not the scheme's default, otherwise -1
 * @param path     the path, percent-encoded, starting with {@code /}
 * @param query    the query without {@code ?}, percent-encoded, or null when there is none
 * @param fragment the fragment without {@code #}, percent-encoded, or null when there is none
 */
public record WebUrl(String scheme, String username, String password, Host host, int port, String path, String query,
                     String fragment) {

    /**
     * Parses {@code input} as a browser would parse it typed or linked without a base URL.
     *
     * @throws InvalidUrlException if a browser would refuse it, if it has no scheme, or if its
     *     scheme is not http or https (kind {@link InvalidUrlException.Kind#SCHEME})
     */
    public static WebUrl parse(String input) throws InvalidUrlException {
        return UrlParser.parse(input);
    }

    /** The port a connection goes to: the explicit one, or 80 for http and 443 for https. */
    public int effectivePort() {
        return port >= 0 ? port : defaultPort(scheme);
    }

    public boolean hasCredentials() {
        return !username.isEmpty() || !password.isEmpty();
    }

    /**
     * True exactly when {@link #href()} equals {@code text}, found by comparing each part in place
     * rather than building the serialization: most URLs checked are already in their serialized
     * form (an import's, a client's), and then the caller keeps {@code text} itself.
     */
    public boolean hrefEquals(String text) {
        if (hasCredentials() || port >= 0) {
            return href().equals(text);
        }
        String hostText = host.serialized();
        if (!text.startsWith(scheme) || !text.startsWith("://", scheme.length())) {
            return false;
        }
        int at = scheme.length() + 3;
        if (!text.startsWith(hostText, at)) {
            return false;
        }
        at += hostText.length();
        if (!text.startsWith(path, at)) {
            return false;
        }
        at += path.length();
        if (query != null) {
            if (at >= text.length() || text.charAt(at) != '?' || !text.startsWith(query, at + 1)) {
                return false;
            }
            at += 1 + query.length();
        }
        if (fragment != null) {
            if (at >= text.length() || text.charAt(at) != '#' || !text.startsWith(fragment, at + 1)) {
                return false;
            }
            at += 1 + fragment.length();
        }
        return at == text.length();
    }

    /** The Standard's URL serializer: what {@code new URL(input).href} gives in a browser. */
    public String href() {
        StringBuilder out = new StringBuilder(scheme.length() + host.serialized().length() + path.length()
                + (query == null ? 0 : query.length() + 1) + (fragment == null ? 0 : fragment.length() + 1) + 16);
        out.append(scheme).append("://");
        if (hasCredentials()) {
            out.append(username);
            if (!password.isEmpty()) {
                out.append(':').append(password);
            }
            out.append('@');
        }
        out.append(host.serialized());
        if (port >= 0) {
            out.append(':').append(port);
        }
        out.append(path);
        if (query != null) {
            out.append('?').append(query);
        }
        if (fragment != null) {
            out.append('#').append(fragment);
        }
        return out.toString();
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return href();
    }
}
