package gotourl.link;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What redirect rules read of a request: its raw query string, {@code Accept-Language},
 * {@code User-Agent} and the client's address. Each may be null (absent).
 *
 * @param query          the query string as sent, without {@code ?}
 * @param acceptLanguage the {@code Accept-Language} header
 * @param userAgent      the {@code User-Agent} header
 * @param remoteAddress  the client's IP address as text ({@code 203.0.113.7})
 */
public record RuleRequest(String query, String acceptLanguage, String userAgent, String remoteAddress) {

    /**
     * The value of query parameter {@code name}, as PHP's query parsing gives Shlink: the last
     * occurrence wins, {@code ?a} and {@code ?a=} are the empty string, names and values are
     * URL-decoded ({@code +} is a space); null when absent.
     */
    public String queryParam(String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                found = eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return found;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a stray '%': kept as sent, as PHP keeps it
        }
    }

    /**
     * The devices of Shlink's {@code DeviceType::matchFromUserAgent} that {@code userAgent} is,
     * by its platform: iPhone or iPad is {@code ios} and {@code mobile}; Android {@code android}
     * and {@code mobile}; Chrome OS {@code chromeos} and {@code desktop}; Windows, Macintosh and
     * Linux their name and {@code desktop}; anything else none. Read from the platform tokens as
     * Shlink's parser (donatj/phpUserAgent) does, the more specific first (an Android agent also
     * says Linux, an iPhone's "like Mac OS X").
     */
    public static List<String> devicesOf(String userAgent) {
        if (userAgent == null) {
            return List.of();
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("ipod")) {
            return List.of("ios", "mobile");
        }
        if (ua.contains("android")) {
            return List.of("android", "mobile");
        }
        if (ua.contains("cros")) {
            return List.of("chromeos", "desktop");
        }
        if (ua.contains("windows")) {
            return List.of("windows", "desktop");
        }
        if (ua.contains("macintosh") || ua.contains("mac os x")) {
            return List.of("macos", "desktop");
        }
        if (ua.contains("linux") || ua.contains("x11")) {
            return List.of("linux", "desktop");
        }
        return List.of();
    }
}
