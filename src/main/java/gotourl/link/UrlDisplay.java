package gotourl.link;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A stored long URL as a person reads it, which a search term is matched against besides the
 * stored form. goto stores a long URL as the URL Standard serializes it ({@link LongUrlRules}):
 * ASCII, an international host in its IDNA form ({@code https://xn--bcher-kva.de/}), every other
 * non-ASCII character percent-encoded in UTF-8 ({@code /caf%C3%A9}). The shown form undoes these
 * two and nothing else: each {@code xn--} label of the host that is valid Punycode becomes
 * Unicode ({@code bücher.de}), and each percent-encoded UTF-8 sequence of a non-ASCII character
 * becomes that character ({@code /café}). Percent-encoded ASCII ({@code %20}, {@code %2F},
 * {@code %25}) and bytes that are no UTF-8 stay encoded. What is decoded is then put in Unicode's
 * composed form (NFC), as a person types it: a path stored as decomposed UTF-8
 * ({@code cafe%CC%81}, an {@code e} and a combining acute accent, as macOS names files) reads
 * {@code café} as {@code caf%C3%A9} does.
 *
 * <p>So the shown form differs from the stored one only in non-ASCII characters and in the
 * host's international labels, and a search matches a term with a non-ASCII character against
 * it ({@link #mayDiffer} tells, without decoding, which URLs can hold one). An ASCII term is
 * matched against the stored form alone: every run of ASCII characters of the shown form stands
 * in it as it is (an {@code xn--} label holds its ASCII letters in order before its last hyphen:
 * {@code cher} of {@code bücher} in {@code xn--bcher-kva}), but for a term that crosses the edge
 * of an international label ({@code cher.de} of {@code bücher.de}), which would cost every
 * search with a dot a walk over every host. The shown form is for matching, not for sending
 * anyone to: it may hold characters the encoding kept harmless (bidi controls, look-alikes).
 *
 * <p>A term may mix the two forms ({@code xn--bcher-kva.de/café}): {@link #ofTerm} reads it as
 * shown, so that it can be matched against the shown URL.
 */
public final class UrlDisplay {
    private UrlDisplay() {}

    /**
     * {@code url} (a stored long URL: ASCII, as {@link LongUrls} keeps it) as shown, or
     * {@code url} itself when it holds nothing to decode.
     */
    public static String of(String url) {
        boolean idn = url.contains("xn--");
        if (!idn && url.indexOf('%') < 0) {
            return url;
        }
        StringBuilder shown = new StringBuilder(url.length());
        int from = 0;
        int host = idn ? hostStart(url) : -1;
        if (host >= 0) {
            int end = host;
            while (end < url.length() && "/?#:".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            shown.append(url, 0, host).append(hostShown(url.substring(host, end)));
            from = end;
        }
        appendDecoded(shown, url, from, url.length());
        String result = shown.toString();
        return result.equals(url) ? url : Normalizer.normalize(result, Normalizer.Form.NFC);
    }

    /**
     * A search term ({@code term}, any text) as {@link #of} would show the part of a URL it
     * stands for: each {@code xn--} label in it (a run of ASCII letters, digits and hyphens that
     * starts there) that is valid Punycode in Unicode, each percent-encoded UTF-8 sequence of a
     * non-ASCII character decoded, and the result in NFC. So {@code xn--bcher-kva.de/café} and
     * {@code bücher.de/caf%C3%A9} both read {@code bücher.de/café}. A label cut short at the
     * term's end ({@code xn--bcher-kv}) decodes to another word, or to nothing and stays.
     */
    public static String ofTerm(String term) {
        StringBuilder shown = new StringBuilder(term.length());
        int from = 0;
        for (int at = term.indexOf("xn--"); at >= 0; at = term.indexOf("xn--", at + 4)) {
            if (at > 0 && isLabelChar(term.charAt(at - 1))) {
                continue;
            }
            int end = at + 4;
            while (end < term.length() && isLabelChar(term.charAt(end))) {
                end++;
            }
            String unicode = HostParser.labelToUnicode(term.substring(at, end));
            if (unicode != null) {
                appendDecoded(shown, term, from, at);
                shown.append(unicode);
                from = end;
            }
        }
        appendDecoded(shown, term, from, term.length());
        return Normalizer.normalize(shown, Normalizer.Form.NFC);
    }

    private static boolean isLabelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
    }

    /**
     * Appends {@code text[from, to)} to {@code shown} with each percent-encoded UTF-8 sequence of
     * one non-ASCII character decoded; other escapes, and bytes that are no UTF-8, as they are.
     */
    private static void appendDecoded(StringBuilder shown, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int length = c == '%' ? encodedCharLength(text, i, to) : 0;
            if (length > 0) {
                byte[] utf8 = new byte[length];
                for (int k = 0; k < length; k++) {
                    utf8[k] = (byte) escaped(text, i + 3 * k, to);
                }
                String decoded = new String(utf8, StandardCharsets.UTF_8);
                if (decoded.indexOf('\uFFFD') < 0) { // an overlong form or a surrogate is no character
                    shown.append(decoded);
                    i += 3 * length - 1;
                    continue;
                }
            }
            shown.append(c);
        }
    }

    /**
     * Whether the stored URL in {@code bytes[from, from + length)} (ASCII) may read otherwise
     * once shown: its host has an {@code xn--} label, or it holds a percent-encoded byte of 0x80
     * or more. False means {@link #of} would return it unchanged; true, that it may not.
     */
    public static boolean mayDiffer(byte[] bytes, int from, int length) {
        if (hostMayDiffer(bytes, from, length)) {
            return true;
        }
        for (int i = from, last = from + length - 3; i <= last; i++) {
            if (bytes[i] == '%' && PercentEncoding.hex(bytes[i + 1]) >= 8 && PercentEncoding.hex(bytes[i + 2]) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the host of the stored URL in {@code bytes[from, from + length)} has a label that starts {@code xn--}. */
    private static boolean hostMayDiffer(byte[] bytes, int from, int length) {
        int end = from + length;
        int label = -1;
        for (int i = from, last = Math.min(end - 3, from + 8); i <= last; i++) { // "https://"
            if (bytes[i] == ':') {
                label = bytes[i + 1] == '/' && bytes[i + 2] == '/' ? i + 3 : -1;
                break;
            }
        }
        if (label < 0) {
            return false;
        }
        while (true) {
            if (label + 4 <= end && bytes[label] == 'x' && bytes[label + 1] == 'n' && bytes[label + 2] == '-'
                    && bytes[label + 3] == '-') {
                return true;
            }
            int i = label;
            while (i < end && bytes[i] != '.') {
                byte b = bytes[i];
                if (b == '/' || b == '?' || b == '#' || b == ':') {
                    return false;
                }
                i++;
            }
            if (i >= end) {
                return false;
            }
            label = i + 1;
        }
    }

    /** Where the host of {@code url} starts (after {@code scheme://}), or -1. */
    private static int hostStart(String url) {
        int colon = url.indexOf(':');
        return colon > 0 && url.startsWith("//", colon + 1) ? colon + 3 : -1;
    }

    /** {@code host} with each of its {@code xn--} labels that IDNA decodes in Unicode. */
    private static String hostShown(String host) {
        StringBuilder shown = new StringBuilder(host.length());
        int start = 0;
        while (start <= host.length()) {
            int dot = host.indexOf('.', start);
            int end = dot < 0 ? host.length() : dot;
            String label = host.substring(start, end);
            String unicode = label.startsWith("xn--") ? HostParser.labelToUnicode(label) : null;
            shown.append(unicode != null ? unicode : label);
            if (dot < 0) {
                break;
            }
            shown.append('.');
            start = dot + 1;
        }
        return shown.toString();
    }

    /**
     * How many escapes from {@code at} (a {@code %}), ending before {@code to}, encode one
     * non-ASCII character in UTF-8's shape (a lead byte and its continuation bytes), 2 to 4; 0 if
     * they do not.
     */
    private static int encodedCharLength(String url, int at, int to) {
        int lead = escaped(url, at, to);
        int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
        for (int k = 1; k < length; k++) {
            int next = escaped(url, at + 3 * k, to);
            if (next < 0x80 || next > 0xBF) {
                return 0;
            }
        }
        return length;
    }

    /** The byte that the escape {@code %XX} at {@code at} (ending before {@code to}) encodes, or -1 if there is none there. */
    private static int escaped(String url, int at, int to) {
        if (at + 2 >= to || url.charAt(at) != '%') {
            return -1;
        }
        int high = PercentEncoding.hex(url.charAt(at + 1));
        int low = PercentEncoding.hex(url.charAt(at + 2));
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }
}
