package gotourl.visits;

import java.util.Locale;

/** The host of a {@code Referer} header, for the dashboard's top referrers. */
final class RefererHosts {
    private RefererHosts() {}

    /**
     * The lower-cased host of {@code referer} ({@code https://t.co/x} gives {@code t.co}), or ""
     * when it is absent or not an absolute URL. Lenient on purpose: a referer is whatever a client
     * sent, and a visit is recorded whatever it holds.
     */
    static String hostOf(String referer) {
        if (referer == null) {
            return "";
        }
        int scheme = referer.indexOf("://");
        if (scheme <= 0) {
            return "";
        }
        int start = scheme + 3;
        int end = start;
        int at = -1;
        while (end < referer.length()) {
            char c = referer.charAt(end);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            if (c == '@') {
                at = end;
            }
            end++;
        }
        if (at >= 0) {
            start = at + 1; // never keep credentials someone put in a referer
        }
        String authority = referer.substring(start, end);
        int colon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        String host = colon > 0 ? authority.substring(0, colon) : authority;
        return host.length() > 253 ? "" : host.toLowerCase(Locale.ROOT);
    }
}
