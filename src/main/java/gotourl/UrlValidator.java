package gotourl;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides whether a long URL may be stored, and in what form. goto stores absolute http(s) URLs
 * with a host, in ASCII: a non-ASCII host becomes its IDN (punycode) form, other non-ASCII
 * characters and the few that browsers accept but RFC 3986 does not ({@code " < > \ ^ ` { | }})
 * are percent-encoded, as a browser would before following the link. Surrounding whitespace is
 * trimmed; anything else a browser would not send is refused with the reason.
 */
public final class UrlValidator {
    public static final int MAX_URL_CHARS = 8192;
    private static final String UNWISE = "\"<>\\^`{|}[]";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The URL to store, or the reason it was refused (exactly one is set). */
    public record Verdict(String url, String problem) {
        public boolean accepted() {
            return url != null;
        }

        static Verdict refuse(String problem) {
            return new Verdict(null, problem);
        }
    }

    private final ShortUrlBase self;

    public UrlValidator(ShortUrlBase self) {
        this.self = self;
    }

    public Verdict check(String raw) {
        if (raw == null || raw.isBlank()) {
            return Verdict.refuse("missing url: send the long URL in the field 'url', e.g. url=https://example.com/page");
        }
        String text = raw.strip();
        if (text.length() > MAX_URL_CHARS) {
            return tooLong(text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                return Verdict.refuse(String.format("url contains the control character U+%04X at position %d; remove it", (int) c, i));
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return Verdict.refuse("url contains a space at position " + i + "; percent-encode spaces as %20");
            }
        }
        int schemeEnd = text.indexOf(':');
        if (schemeEnd <= 0 || !text.substring(0, schemeEnd).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            return Verdict.refuse("url '" + abbreviate(text) + "' is not absolute: start it with http:// or https://");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Verdict.refuse("url scheme '" + abbreviate(scheme) + "' is not allowed: goto only links to http:// and https:// URLs");
        }
        if (!text.startsWith("//", schemeEnd + 1)) {
            return Verdict.refuse("url '" + abbreviate(text) + "' has no host: write it as " + scheme + "://HOST/...");
        }
        String ascii;
        try {
            ascii = toAscii(text, schemeEnd + 3);
        } catch (IllegalArgumentException e) {
            return Verdict.refuse("url host is not a valid international domain name: " + e.getMessage());
        }
        if (ascii.length() > MAX_URL_CHARS) {
            return tooLong(ascii.length());
        }
        URI uri;
        try {
            uri = new URI(ascii);
        } catch (URISyntaxException e) {
            return Verdict.refuse("url is malformed: " + e.getReason() + " at position " + e.getIndex());
        }
        if (uri.getRawUserInfo() != null) {
            return Verdict.refuse("url contains a user name or password (user@host); goto does not store credentials");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Verdict.refuse("url '" + abbreviate(text) + "' has no valid host (e.g. https://example.com/...)");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            return Verdict.refuse("url port " + port + " is outside 1-65535");
        }
        int effectivePort = port > 0 ? port : scheme.equals("https") ? 443 : 80;
        if (sameHost(host, self.hostName()) && effectivePort == self.port()) {
            return Verdict.refuse("url points at this goto (" + self.hostName() + ":" + self.port()
                    + "); a short link to a short link would redirect in a loop");
        }
        return new Verdict(ascii, null);
    }

    /**
     * Host names compare without case and without the trailing dot of a fully qualified name:
     * {@code GOTO.test.} is the same host as {@code goto.test} to DNS, and so to a browser.
     */
    private static boolean sameHost(String a, String b) {
        return withoutTrailingDot(a).equalsIgnoreCase(withoutTrailingDot(b));
    }

    private static String withoutTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static Verdict tooLong(int length) {
        return Verdict.refuse("url is " + length + " characters long; the limit is " + MAX_URL_CHARS);
    }

    /** The host in IDN form, the rest with non-ASCII and unwise characters percent-encoded. */
    private static String toAscii(String text, int authorityStart) {
        int authorityEnd = authorityStart;
        while (authorityEnd < text.length() && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = text.substring(authorityStart, authorityEnd);
        if (!isAscii(authority)) {
            authority = idnAuthority(authority);
        }
        String rest = text.substring(authorityEnd);
        return text.substring(0, authorityStart) + authority + percentEncode(rest);
    }

    private static String idnAuthority(String authority) {
        int at = authority.lastIndexOf('@');
        int portColon = authority.lastIndexOf(':');
        String host = authority.substring(at + 1, portColon > at ? portColon : authority.length());
        String tail = portColon > at ? authority.substring(portColon) : "";
        return authority.substring(0, at + 1) + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED) + tail;
    }

    private static String percentEncode(String text) {
        if (isAscii(text) && text.chars().noneMatch(c -> UNWISE.indexOf(c) >= 0)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x80 || UNWISE.indexOf(c) >= 0) {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
