package gotourl.link;

import static gotourl.link.InvalidUrlException.quoted;

import gotourl.link.InvalidUrlException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WHATWG URL Standard's basic URL parser (§4.4), for absolute URLs of the two schemes goto
 * links to: the state machine's path through scheme, authority, host, port, path, query and
 * fragment for a special scheme and no base URL, in the Standard's order.
 *
 * <p>Why goto's own: the Java implementations of the Standard were weighed, and none is kept
 * well enough to carry a rule goto promises. galimatias was last released in 2015, before the
 * Standard's current IPv4 and IDNA rules. HtmlUnit's htmlunit-url, a fork by one developer, says
 * it follows the Standard of September 2023 (the Standard has since changed how ASCII domains
 * and {@code ^} in paths are read), and its IPv4 parser holds parts in 32-bit ints, so a part of
 * 4294967295 wraps to -1 and {@code http://1.4294967295/}, which browsers refuse, passes. urlcanon
 * canonicalizes for web archives rather than parse as browsers do, and {@code java.net.URI}
 * follows RFC 3986, which refuses much that browsers open. The part that takes tables and care,
 * IDNA, comes from ICU4J ({@link HostParser}); this class is the rest, checked case by case
 * against the Standard's reference implementation and Node's parser ({@code UrlStandardTableTest})
 * and by property-based fuzzing ({@code LongUrlRulesFuzzTest}).
 */
final class UrlParser {
    private UrlParser() {}

    /** The URL a browser reads in {@code raw}: the common shape in one pass ({@link CommonUrls}), the rest step by step. */
    static WebUrl parse(String raw) throws InvalidUrlException {
        WebUrl common = CommonUrls.parse(raw);
        return common != null ? common : parseFully(raw);
    }

    /** The Standard's parser, every state of it, whatever the input's shape. */
    static WebUrl parseFully(String raw) throws InvalidUrlException {
        String input = prepare(raw);
        int n = input.length();
        int schemeEnd = 0;
        if (n > 0 && isAsciiAlpha(input.charAt(0))) {
            schemeEnd = 1;
            while (schemeEnd < n && isSchemeChar(input.charAt(schemeEnd))) {
                schemeEnd++;
            }
        }
        if (schemeEnd == 0 || schemeEnd == n || input.charAt(schemeEnd) != ':') {
            throw new InvalidUrlException(Kind.NOT_ABSOLUTE, "url " + quoted(input) + " is not absolute: start it with http:// or https://");
        }
        String scheme = input.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlException(Kind.SCHEME, scheme);
        }
        // Special authority (ignore) slashes state: any run of / and \, even none, precedes the authority.
        int p = schemeEnd + 1;
        while (p < n && (input.charAt(p) == '/' || input.charAt(p) == '\\')) {
            p++;
        }
        int authorityEnd = p;
        while (authorityEnd < n && "/\\?#".indexOf(input.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = input.substring(p, authorityEnd);

        // Authority state: everything before the last @ is credentials, earlier @s encoded as %40.
        String username = "";
        String password = "";
        int at = authority.lastIndexOf('@');
        String hostAndPort = authority;
        if (at >= 0) {
            String userinfo = authority.substring(0, at).replace("@", "%40");
            int colon = userinfo.indexOf(':');
            username = PercentEncoding.encode(colon < 0 ? userinfo : userinfo.substring(0, colon), PercentEncoding.USERINFO);
            password = colon < 0 ? "" : PercentEncoding.encode(userinfo.substring(colon + 1), PercentEncoding.USERINFO);
            hostAndPort = authority.substring(at + 1);
        }

        // Host state: the port starts at the first : outside [brackets].
        int portColon = -1;
        boolean insideBrackets = false;
        for (int i = 0; i < hostAndPort.length() && portColon < 0; i++) {
            char c = hostAndPort.charAt(i);
            if (c == ':' && !insideBrackets) {
                portColon = i;
            } else if (c == '[') {
                insideBrackets = true;
            } else if (c == ']') {
                insideBrackets = false;
            }
        }
        String hostText = portColon < 0 ? hostAndPort : hostAndPort.substring(0, portColon);
        if (hostText.isEmpty()) {
            throw new InvalidUrlException(Kind.NO_HOST, "url " + quoted(input) + " has no host: write it as " + scheme + "://HOST/...");
        }
        Host host = HostParser.parse(hostText);
        int port = portColon < 0 ? -1 : port(hostAndPort.substring(portColon + 1), scheme);

        // Path state, then query and fragment.
        int pathEnd = authorityEnd;
        while (pathEnd < n && input.charAt(pathEnd) != '?' && input.charAt(pathEnd) != '#') {
            pathEnd++;
        }
        String path = path(input, authorityEnd, pathEnd);
        String query = null;
        String fragment = null;
        int fragmentStart = input.indexOf('#', pathEnd);
        if (pathEnd < n && input.charAt(pathEnd) == '?') {
            int queryEnd = fragmentStart < 0 ? n : fragmentStart;
            query = PercentEncoding.encode(input.substring(pathEnd + 1, queryEnd), PercentEncoding.SPECIAL_QUERY);
        }
        if (fragmentStart >= 0) {
            fragment = PercentEncoding.encode(input.substring(fragmentStart + 1), PercentEncoding.FRAGMENT);
        }
        return new WebUrl(scheme, username, password, host, port, path, query, fragment);
    }

    /**
     * What the parser reads: lone surrogates as U+FFFD (a USVString, as JavaScript hands it over),
     * leading and trailing C0 controls and spaces trimmed, every tab, LF and CR removed.
     */
    private static String prepare(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && raw.charAt(start) <= 0x20) {
            start++;
        }
        while (end > start && raw.charAt(end - 1) <= 0x20) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(raw.charAt(i + 1))) {
                out.append(c).append(raw.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** Port state: digits only (none at all means the default port); above 65535 fails. */
    private static int port(String text, String scheme) throws InvalidUrlException {
        if (text.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new InvalidUrlException(Kind.PORT, "url port " + quoted(text) + " is not a number");
            }
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        int port = digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (port > 65535) {
            throw new InvalidUrlException(Kind.PORT, "url port " + quoted(text) + " is outside 0-65535");
        }
        return port == WebUrl.defaultPort(scheme) ? -1 : port;
    }

    /** Path start and path states: \ is /, dot segments are resolved, the rest percent-encoded. */
    private static String path(String input, int start, int end) {
        List<String> segments = new ArrayList<>();
        int p = start;
        if (p < end && (input.charAt(p) == '/' || input.charAt(p) == '\\')) {
            p++;
        }
        StringBuilder buffer = new StringBuilder();
        while (true) {
            boolean atEnd = p >= end;
            int c = atEnd ? -1 : input.codePointAt(p);
            if (atEnd || c == '/' || c == '\\') {
                String segment = buffer.toString();
                boolean slash = !atEnd;
                if (isDoubleDot(segment)) {
                    if (!segments.isEmpty()) {
                        segments.removeLast();
                    }
                    if (!slash) {
                        segments.add("");
                    }
                } else if (isSingleDot(segment)) {
                    if (!slash) {
                        segments.add("");
                    }
                } else {
                    segments.add(segment);
                }
                buffer.setLength(0);
                if (atEnd) {
                    break;
                }
                p++;
            } else {
                PercentEncoding.append(buffer, c, PercentEncoding.PATH);
                p += Character.charCount(c);
            }
        }
        StringBuilder path = new StringBuilder(end - start + 1);
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        return path.toString();
    }

    private static boolean isSingleDot(String segment) {
        return segment.equals(".") || segment.equalsIgnoreCase("%2e");
    }

    private static boolean isDoubleDot(String segment) {
        return switch (segment.toLowerCase(Locale.ROOT)) {
            case "..", ".%2e", "%2e.", "%2e%2e" -> true;
            default -> false;
        };
    }

    private static boolean isAsciiAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSchemeChar(char c) {
        return isAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }
}
