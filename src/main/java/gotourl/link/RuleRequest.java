package gotourl.link;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The first parenthesis of an agent, where donatj/phpUserAgent looks for the platform. */
    private static final Pattern PARENS = Pattern.compile("\\((.*?)\\)");
    /** donatj/phpUserAgent's platform tokens: a name, then anything up to {@code ;} or the end. */
    private static final Pattern PLATFORM = Pattern.compile("(BB\\d+;|Android|Adr|Symbian|Sailfish|CrOS|Fuchsia|Tizen|iPhone|iPad"
            + "|iPod|Linux|(?:Open|Net|Free)BSD|Macintosh|Windows(?: Phone)?|Silk|linux-gnu|BlackBerry|PlayBook|X11"
            + "|(?:New )?Nintendo (?:WiiU?|3?DS|Switch)|Xbox(?: One)?)(?: [^;]*)?(?:;|$)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    /** Which platform wins when the parenthesis names several, as donatj/phpUserAgent ranks them. */
    private static final List<String> PRIORITY =
            List.of("Xbox One", "Xbox", "Windows Phone", "Tizen", "Android", "FreeBSD", "NetBSD", "OpenBSD", "CrOS", "Fuchsia", "X11",
                    "Sailfish");
    private static final Pattern ANDROID_ANYWHERE = Pattern.compile("(Android)[:/ ]", Pattern.CASE_INSENSITIVE);

    /**
     * The devices of Shlink's {@code DeviceType::matchFromUserAgent} that {@code userAgent} is,
     * by the platform its parser (donatj/phpUserAgent) reads: the platform tokens of the agent's
     * first parenthesis, the highest ranked when there are several ({@code Android} before
     * {@code Linux}, {@code CrOS} before {@code X11}, {@code Xbox} and {@code Windows Phone}
     * before {@code Windows}), else an {@code Android/} anywhere. {@code iPhone} or {@code iPad}
     * is {@code ios} and {@code mobile}; {@code Android} {@code android} and {@code mobile};
     * {@code CrOS} {@code chromeos} and {@code desktop}; {@code Windows}, {@code Macintosh} and
     * {@code Linux} (or {@code X11}) their name and {@code desktop}; any other platform (an iPod,
     * an Xbox, Tizen) or none, no device. A word inside another ({@code cros} of
     * {@code Microsoft}) is no platform. Not followed: the parser's later overrides from the
     * browser's name (Kindle, Silk, Puffin, PlayStation).
     */
    public static List<String> devicesOf(String userAgent) {
        String platform = userAgent == null ? null : platformOf(userAgent);
        if (platform == null) {
            return List.of();
        }
        return switch (platform) {
            case "iPhone", "iPad" -> List.of("ios", "mobile");
            case "Android" -> List.of("android", "mobile");
            case "Linux" -> List.of("linux", "desktop");
            case "Windows" -> List.of("windows", "desktop");
            case "Macintosh" -> List.of("macos", "desktop");
            case "Chrome OS" -> List.of("chromeos", "desktop");
            default -> List.of();
        };
    }

    /** donatj/phpUserAgent's platform, as it spells it, or null. */
    private static String platformOf(String userAgent) {
        String platform = null;
        Matcher parens = PARENS.matcher(userAgent);
        if (parens.find()) {
            List<String> found = new ArrayList<>();
            Matcher token = PLATFORM.matcher(parens.group(1));
            while (token.find()) {
                if (!found.contains(token.group(1))) {
                    found.add(token.group(1));
                }
            }
            if (found.size() > 1) {
                platform = PRIORITY.stream().filter(found::contains).findFirst().orElse(found.getFirst());
            } else if (!found.isEmpty()) {
                platform = found.getFirst();
            }
        }
        if (platform == null) {
            Matcher android = ANDROID_ANYWHERE.matcher(userAgent);
            return android.find() ? android.group(1) : null;
        }
        return switch (platform) {
            case "linux-gnu", "X11" -> "Linux";
            case "CrOS" -> "Chrome OS";
            case "Adr" -> "Android";
            default -> platform;
        };
    }
}
