package gotourl.link;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The WHATWG URL Standard's percent-encode sets (§1.3) and UTF-8 percent-encoding and decoding.
 * Every set contains the C0 controls and everything above U+007E, so what is encoded with any
 * of them is ASCII.
 */
final class PercentEncoding {
    /** A percent-encode set: true for the code points to encode. */
    @FunctionalInterface
    interface EncodeSet {
        boolean encodes(int codePoint);
    }

    static final EncodeSet C0_CONTROL = c -> c < 0x20 || c > 0x7E;
    static final EncodeSet FRAGMENT = c -> C0_CONTROL.encodes(c) || c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    static final EncodeSet QUERY = c -> C0_CONTROL.encodes(c) || c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
    static final EncodeSet SPECIAL_QUERY = c -> QUERY.encodes(c) || c == '\'';
    static final EncodeSet PATH = c -> QUERY.encodes(c) || c == '?' || c == '^' || c == '`' || c == '{' || c == '}';
    static final EncodeSet USERINFO = c -> PATH.encodes(c) || c == '/' || c == ':' || c == ';' || c == '='
            || c == '@' || (c >= '[' && c <= '^') || c == '|';

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {}

    /** Appends {@code codePoint}, UTF-8 percent-encoded if {@code set} encodes it. */
    static void append(StringBuilder out, int codePoint, EncodeSet set) {
        if (!set.encodes(codePoint)) {
            out.append((char) codePoint); // not encoded, so ASCII
            return;
        }
        if (codePoint < 0x80) {
            appendByte(out, codePoint);
        } else if (codePoint < 0x800) {
            appendByte(out, 0xC0 | codePoint >> 6);
            appendByte(out, 0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            appendByte(out, 0xE0 | codePoint >> 12);
            appendByte(out, 0x80 | codePoint >> 6 & 0x3F);
            appendByte(out, 0x80 | codePoint & 0x3F);
        } else {
            appendByte(out, 0xF0 | codePoint >> 18);
            appendByte(out, 0x80 | codePoint >> 12 & 0x3F);
            appendByte(out, 0x80 | codePoint >> 6 & 0x3F);
            appendByte(out, 0x80 | codePoint & 0x3F);
        }
    }

    static String encode(String text, EncodeSet set) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> append(out, c, set));
        return out.toString();
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }

    /**
     * The Standard's "UTF-8 decode without BOM" of the percent-decoding of {@code text}: %XX
     * becomes byte XX, a {@code %} not followed by two hex digits stays, and byte sequences that
     * are not UTF-8 become U+FFFD.
     */
    static String decodeToString(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%' && i + 2 < utf8.length && hex(utf8[i + 1]) >= 0 && hex(utf8[i + 2]) >= 0) {
                bytes.write(hex(utf8[i + 1]) << 4 | hex(utf8[i + 2]));
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException cannotHappen) {
            throw new IllegalStateException("a replacing decoder threw", cannotHappen);
        }
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
