package gotourl.link;

import java.util.Locale;
import java.util.Set;

/**
 * Which short codes exist and which a client may choose. A generated code is the seed's key
 * counter in base 62 ({@link Keys}); a custom slug is 1 to {@value #MAX_SLUG_CHARS} characters of
 * {@code A-Z a-z 0-9 - _}, case-sensitive like generated codes, and never one of
 * {@link #RESERVED_PATHS}, the first path segments goto answers itself.
 */
public final class ShortCodes {
    public static final int MAX_SLUG_CHARS = 100;
    /** Shlink's {@code MIN_SHORT_CODES_LENGTH}: a shorter random code would be easy to guess. */
    public static final int MIN_RANDOM_LENGTH = 4;
    /** Random codes stay short enough to type: 32 characters hold 190 bits. */
    public static final int MAX_RANDOM_LENGTH = 32;
    /**
     * Counters from here on are never generated: the index is addressed by counter and its table
     * of chunks must stay bounded. Far beyond any real store (a trillion links).
     */
    public static final long MAX_COUNTER = 1L << 40;

    /**
     * The paths goto serves itself, compared without case: a slug may not take one, or it would
     * never redirect (or, behind a case-insensitive proxy, shadow a route). The one list every
     * route is checked against: a new route's first path segment goes here. {@code add} is the
     * seed's form, {@code rest} the REST API, {@code robots.txt} and {@code favicon.ico} what
     * browsers and crawlers ask every site for; the rest are kept for the web app, health and
     * metrics.
     */
    public static final Set<String> RESERVED_PATHS = Set.of(
            "add", "rest", "robots.txt", "favicon.ico",
            "api", "app", "web", "static", "assets", "qr", "stats", "feed", "admin", "login", "logout", "manage",
            "health", "metrics");

    private ShortCodes() {}

    /**
     * Why {@code slug} cannot be a custom slug, naming the rule it breaks, or null if it can.
     * Whether it is free is the store's question, not this one.
     */
    public static String slugProblem(String slug) {
        if (slug == null || slug.isEmpty()) {
            return "the custom slug is empty: give 1 to " + MAX_SLUG_CHARS + " characters of A-Z a-z 0-9 - _";
        }
        if (slug.length() > MAX_SLUG_CHARS) {
            return "the custom slug is " + slug.length() + " characters long; the limit is " + MAX_SLUG_CHARS;
        }
        for (int i = 0; i < slug.length(); i++) {
            if (!isSlugChar(slug.charAt(i))) {
                return "the custom slug '" + printable(slug) + "' has '" + printable(String.valueOf(slug.charAt(i)))
                        + "' at position " + (i + 1) + "; a slug may hold only A-Z a-z 0-9 - _";
            }
        }
        if (isReserved(slug)) {
            return "the custom slug '" + slug + "' is a path goto uses itself (reserved: "
                    + String.join(", ", RESERVED_PATHS.stream().sorted().toList()) + "); choose another";
        }
        return null;
    }

    /** True when {@code path} (without its leading slash) is one goto answers itself. */
    public static boolean isReserved(String path) {
        return RESERVED_PATHS.contains(path.toLowerCase(Locale.ROOT));
    }

    /**
     * The counter whose generated code is {@code code}, or -1 when the generator never makes it
     * (not canonical base 62, or beyond {@link #MAX_COUNTER}). A custom slug can look like a
     * generated code ({@code ba} is counter 62): the generator then skips it.
     */
    public static long counterOf(String code) {
        long counter = Keys.decode(code);
        return counter < MAX_COUNTER ? counter : -1;
    }

    /**
     * A hash of {@code code}'s characters for tables keyed by short code: FNV-1a over 64 bits,
     * folded and mixed with Murmur3's finalizer, so that every bit depends on every character.
     * {@code String.hashCode} gives generated codes (short base-62 strings) few distinct values:
     * 100,000 consecutive codes share 21,985 of them, 1,000,000 share 155,625, and a hash table
     * keyed by them walks chains of up to 27 colliding codes; this gives 100,000 codes 99,997
     * values. Any 32-bit value; never cached (a code is hashed once per look-up).
     */
    public static int hash(String code) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < code.length(); i++) {
            h = (h ^ code.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /**
     * The short code a request path segment names, its percent-escapes decoded (RFC 3986, section
     * 2.1) and the bytes read as UTF-8, invalid sequences as U+FFFD: {@code %61} is {@code a},
     * {@code caf%C3%A9} is {@code café}, as Go's {@code r.URL.Path} (the seed's) and Shlink's
     * router decode a path. {@code +} stays {@code +} (a path is not a form), and an encoded
     * {@code /} becomes part of the code, never a new segment: route first, then decode. Returns
     * {@code segment} itself when it holds no {@code %}, and null when a {@code %} is not followed
     * by two hex digits (no code can be named so: the caller answers as for an unknown code).
     */
    public static String fromPathSegment(String segment) {
        int escape = segment.indexOf('%');
        if (escape < 0) {
            return segment;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(segment.length());
        int copied = 0;
        while (escape >= 0) {
            int high = escape + 2 < segment.length() ? hex(segment.charAt(escape + 1)) : -1;
            int low = high < 0 ? -1 : hex(segment.charAt(escape + 2));
            if (low < 0) {
                return null;
            }
            bytes.writeBytes(segment.substring(copied, escape).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            bytes.write(high << 4 | low);
            copied = escape + 3;
            escape = segment.indexOf('%', copied);
        }
        bytes.writeBytes(segment.substring(copied).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An ASCII hex digit's value, or -1 (not Character.digit, which takes other scripts' digits too). */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    static boolean isSlugChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 40; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 40 ? out + "..." : out.toString();
    }
}
