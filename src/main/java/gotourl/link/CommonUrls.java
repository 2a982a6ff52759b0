package gotourl.link;

/**
 * The WHATWG parse of the common URL in one pass over its characters: {@code http} or
 * {@code https}, {@code ://}, a plain ASCII domain name, and a path, query and fragment of
 * printable ASCII that need no percent-encoding and no dot-segment resolution. For such a URL the
 * Standard's parser ({@link UrlParser}) only lower-cases the scheme and the host, and gives
 * {@code /} for an empty path; this class does that and nothing else.
 *
 * <p>Why: {@code goto import} judges a million URLs by {@code /add}'s rules, and the full parser's
 * general steps (trimming, percent-encode sets per code point, path segments, IPv4 checks) were
 * most of its time. Anything outside the common shape returns null, and the caller parses it
 * fully: a port, credentials, a backslash, {@code %} in the host, a host that ends in a dot or
 * whose last label starts with a digit (it may be an IPv4 address), a dot segment ({@code .},
 * {@code ..}, {@code %2e}), a character any encode set would encode, any control, space or
 * non-ASCII character. So a refusal always comes from the full parser, with its words, and an
 * accepted URL is the one the full parser gives ({@code CommonUrlsTest} checks both on the
 * recorded table and on generated URLs).
 */
final class CommonUrls {
    private CommonUrls() {}

    /** The URL the Standard's parser gives for {@code input}, or null when {@code input} is not of the common shape. */
    static WebUrl parse(String input) {
        int n = input.length();
        String scheme;
        if (startsWithIgnoreCase(input, "https://")) {
            scheme = "https";
        } else if (startsWithIgnoreCase(input, "http://")) {
            scheme = "http";
        } else {
            return null;
        }
        int hostStart = scheme.length() + 3;
        int lastLabel = hostStart;
        boolean upper = false;
        int i = hostStart;
        for (; i < n; i++) {
            char c = input.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c == '.') {
                lastLabel = i + 1;
            } else if (c == '/' || c == '?' || c == '#') {
                break;
            } else {
                return null; // a port, credentials, %, \, [, or what IDNA must map
            }
        }
        int hostEnd = i;
        // An empty host, a trailing dot, or a last label that may make the host an IPv4 address.
        if (lastLabel >= hostEnd || !isAsciiLetter(input.charAt(lastLabel))) {
            return null;
        }
        int pathEnd = hostEnd;
        if (pathEnd < n && input.charAt(pathEnd) == '/') {
            for (; pathEnd < n; pathEnd++) {
                char c = input.charAt(pathEnd);
                if (c == '?' || c == '#') {
                    break;
                }
                if (!in(PATH_LOW, PATH_HIGH, c)) {
                    return null;
                }
                if (c == '/' && pathEnd + 1 < n && startsDotSegment(input, pathEnd + 1)) {
                    return null;
                }
            }
        }
        String query = null;
        int queryEnd = pathEnd;
        if (pathEnd < n && input.charAt(pathEnd) == '?') {
            for (queryEnd = pathEnd + 1; queryEnd < n && input.charAt(queryEnd) != '#'; queryEnd++) {
                if (!in(QUERY_LOW, QUERY_HIGH, input.charAt(queryEnd))) {
                    return null;
                }
            }
            query = input.substring(pathEnd + 1, queryEnd);
        }
        String fragment = null;
        if (queryEnd < n) { // at '#'
            for (int f = queryEnd + 1; f < n; f++) {
                char c = input.charAt(f);
                if (c < 0x21 || c > 0x7E || c == '"' || c == '<' || c == '>' || c == '`') {
                    return null;
                }
            }
            fragment = input.substring(queryEnd + 1);
        }
        String host = input.substring(hostStart, hostEnd);
        if (upper) {
            host = host.toLowerCase(java.util.Locale.ROOT);
        }
        String path = pathEnd > hostEnd ? input.substring(hostEnd, pathEnd) : "/";
        return new WebUrl(scheme, "", "", new Host(host, null), -1, path, query, fragment);
    }

    /**
     * The characters a path keeps as they are (printable ASCII but for {@code " < > ^ ` { } \}),
     * as two 64-bit masks, bit {@code c} of the first for {@code c} below 64 and bit {@code c - 64}
     * of the second above: one test a character instead of ten comparisons.
     */
    private static final long PATH_LOW = mask(0, "\"<>");
    private static final long PATH_HIGH = mask(64, "^`{}\\");
    /** The characters a query keeps as they are (printable ASCII but for {@code " < > '}), as {@link #PATH_LOW}. */
    private static final long QUERY_LOW = mask(0, "\"<>'");
    private static final long QUERY_HIGH = mask(64, "");

    /** The printable ASCII characters from {@code base} to {@code base + 63}, but {@code except}, as bits. */
    private static long mask(int base, String except) {
        long bits = 0;
        for (int c = Math.max(base, 0x21); c <= Math.min(base + 63, 0x7E); c++) {
            if (except.indexOf(c) < 0) {
                bits |= 1L << (c - base);
            }
        }
        return bits;
    }

    /** Whether {@code c} is in the set of the masks {@code low} and {@code high} (see {@link #PATH_LOW}). */
    private static boolean in(long low, long high, char c) {
        // A shift takes its count modulo 64: c for c < 64, c - 64 for 64 <= c < 128.
        return c < 64 ? (low >>> c & 1) != 0 : c < 128 && (high >>> c & 1) != 0;
    }

    /** A segment that starts with {@code .} or {@code %2e} may be a dot segment, which the full parser resolves. */
    private static boolean startsDotSegment(String input, int at) {
        char c = input.charAt(at);
        return c == '.' || c == '%' && at + 2 < input.length() && input.charAt(at + 1) == '2'
                && (input.charAt(at + 2) == 'e' || input.charAt(at + 2) == 'E');
    }

    /**
     * ASCII case only: {@link String#regionMatches(boolean, int, String, int, int)} would also match
     * {@code httpſ://} (U+017F upper-cases to S), which is no scheme the Standard reads.
     */
    private static boolean startsWithIgnoreCase(String input, String lowerPrefix) {
        if (input.length() < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = input.charAt(i);
            char expected = lowerPrefix.charAt(i);
            if (c != expected && !(isAsciiLetter(c) && (c | 0x20) == expected)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
