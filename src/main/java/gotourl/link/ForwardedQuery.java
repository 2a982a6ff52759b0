package gotourl.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a redirect of a link with {@code forwardQuery} goes when the request has a query string:
 * the long URL with the request's parameters merged over its own, as Shlink's
 * {@code ShortUrlRedirectionBuilder} does. A parameter the request names replaces every value the
 * long URL gives it, in the place of its first occurrence (all of the request's values for it, in
 * their order); the request's other parameters follow; the long URL's fragment stays last.
 * Parameters are compared and copied as sent (percent-encoded), never decoded and re-encoded, so
 * the long URL's own bytes reach the browser unchanged; characters that may not appear in a
 * {@code Location} header (controls, spaces, non-ASCII, {@code " < > \ ^ ` { | }}) are
 * percent-encoded.
 */
public final class ForwardedQuery {
    private static final String UNSAFE = "\"<>\\^`{|} ";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ForwardedQuery() {}

    /** The redirect target for {@code longUrl} given the request's raw {@code query} (null or empty for none). */
    public static String location(String longUrl, String query) {
        if (query == null || query.isEmpty()) {
            return longUrl;
        }
        List<String> request = pairs(safe(query));
        if (request.isEmpty()) {
            return longUrl;
        }
        int hash = longUrl.indexOf('#');
        String beforeFragment = hash < 0 ? longUrl : longUrl.substring(0, hash);
        String fragment = hash < 0 ? "" : longUrl.substring(hash);
        int mark = beforeFragment.indexOf('?');
        String base = mark < 0 ? beforeFragment : beforeFragment.substring(0, mark);
        List<String> own = mark < 0 ? List.of() : pairs(beforeFragment.substring(mark + 1));

        List<String> requestNames = new ArrayList<>(request.size());
        for (String pair : request) {
            requestNames.add(name(pair));
        }
        StringBuilder out = new StringBuilder(longUrl.length() + query.length() + 1).append(base);
        List<String> placed = new ArrayList<>();
        char separator = '?';
        for (String pair : own) {
            String name = name(pair);
            if (!requestNames.contains(name)) {
                out.append(separator).append(pair);
                separator = '&';
            } else if (!placed.contains(name)) {
                placed.add(name);
                for (int i = 0; i < request.size(); i++) {
                    if (requestNames.get(i).equals(name)) {
                        out.append(separator).append(request.get(i));
                        separator = '&';
                    }
                }
            }
        }
        for (int i = 0; i < request.size(); i++) {
            if (!placed.contains(requestNames.get(i))) {
                out.append(separator).append(request.get(i));
                separator = '&';
            }
        }
        return out.append(fragment).toString();
    }

    /**
     * True when the raw {@code query} has a parameter named {@code name} (with or without a value),
     * as {@code ?nostat} or {@code ?a=1&nostat=1}. Null or empty has none.
     */
    public static boolean has(String query, String name) {
        if (query == null || query.indexOf(name) < 0) {
            return false; // the common case: one scan, nothing allocated
        }
        for (String pair : pairs(query)) {
            if (name(pair).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The raw {@code query} without its parameters named {@code name}, the others as sent and in
     * order; null when none is left. Shlink removes its disable-track parameter so, before merging
     * the request's query into the long URL's.
     */
    public static String without(String query, String name) {
        if (!has(query, name)) {
            return query;
        }
        StringBuilder kept = new StringBuilder(query.length());
        for (String pair : pairs(query)) {
            if (!name(pair).equals(name)) {
                kept.append(kept.isEmpty() ? "" : "&").append(pair);
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    private static List<String> pairs(String query) {
        List<String> pairs = new ArrayList<>();
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                pairs.add(query.substring(start, end));
            }
            start = end + 1;
        }
        return pairs;
    }

    private static String name(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0 ? pair : pair.substring(0, equals);
    }

    /** {@code query} with what a Location header must not carry percent-encoded (as UTF-8). */
    private static String safe(String query) {
        boolean clean = true;
        for (int i = 0; i < query.length() && clean; i++) {
            char c = query.charAt(i);
            clean = c > 0x20 && c < 0x7F && UNSAFE.indexOf(c) < 0 && c != '#';
        }
        if (clean) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length() + 16);
        for (byte b : query.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c <= 0x20 || c >= 0x7F || UNSAFE.indexOf(c) >= 0 || c == '#') {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
