package gotourl.store.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * goto's data file format, version 1 (docs/FORMAT.md is the reference). A 16-byte header, then
 * records, each framed as: body length (u32), CRC-32C of the length and body (u32), body. A body
 * is a type byte and the type's fields. All integers are big-endian.
 */
final class LogFormat {
    /** "\x89GOTO\r\n\x1A": a non-ASCII first byte and a CR LF pair catch text-mode mangling, as in PNG. */
    static final byte[] MAGIC = {(byte) 0x89, 'G', 'O', 'T', 'O', '\r', '\n', 0x1A};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int FRAME_BYTES = 8;

    static final byte LINK = 1;
    static final byte KEY_RESERVATION = 2;

    /** type + created + key length + key + URL length + URL, for the shortest key and URL. */
    static final int LINK_FIXED_BYTES = 1 + 8 + 1 + 2;
    static final int RESERVATION_BYTES = 1 + 8 + 8;
    static final int MAX_KEY_BYTES = 255;
    static final int MAX_URL_BYTES = 0xFFFF;
    static final int MIN_BODY_BYTES = 1;
    static final int MAX_BODY_BYTES = LINK_FIXED_BYTES + MAX_KEY_BYTES + MAX_URL_BYTES;
    static final int MAX_FRAME_BYTES = FRAME_BYTES + MAX_BODY_BYTES;

    private LogFormat() {}

    static ByteBuffer header() {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).putShort((short) VERSION).putShort((short) 0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 12);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /** Checks a header read from {@code file}; {@code length} bytes of it are in {@code bytes}. */
    static void checkHeader(Path file, byte[] bytes, int length) throws LogFormatException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= length || bytes[i] != MAGIC[i]) {
                throw new LogFormatException(file, -1, "not a goto data file (it starts with "
                        + describeStart(bytes, length) + "); goto only reads files it wrote itself"
                        + " (the Go version's gob files cannot be read). Point -file at another path");
            }
        }
        if (length < HEADER_BYTES) {
            throw new LogFormatException(file, -1, "the header is cut short at " + length + " of " + HEADER_BYTES + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 12);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, 12, 4).getInt()) {
            throw new LogFormatException(file, 0, "the header is damaged (checksum mismatch); run 'goto repair -file=" + file + "'");
        }
        int version = ByteBuffer.wrap(bytes, 8, 2).getShort() & 0xFFFF;
        if (version != VERSION) {
            throw new LogFormatException(file, -1, "the file is in format version " + version
                    + ", and this goto reads version " + VERSION + (version > VERSION ? ": upgrade goto to read it" : ""));
        }
    }

    /** Appends one link record. The key and URL must be ASCII, as goto stores them. */
    static void putLink(ByteBuffer out, CRC32C crc, long createdMillis, String key, String url) {
        int keyLength = key.length();
        int urlLength = url.length();
        if (keyLength == 0 || keyLength > MAX_KEY_BYTES || urlLength > MAX_URL_BYTES) {
            throw new IllegalArgumentException("key or URL too long for a record: " + keyLength + ", " + urlLength);
        }
        int start = out.position();
        out.position(start + FRAME_BYTES);
        out.put(LINK).putLong(createdMillis).put((byte) keyLength);
        putAscii(out, key);
        out.putShort((short) urlLength);
        putAscii(out, url);
        seal(out, crc, start);
    }

    /** Appends a reservation: every key below {@code reservedThrough} may have been handed out. */
    static void putReservation(ByteBuffer out, CRC32C crc, long createdMillis, long reservedThrough) {
        int start = out.position();
        out.position(start + FRAME_BYTES);
        out.put(KEY_RESERVATION).putLong(createdMillis).putLong(reservedThrough);
        seal(out, crc, start);
    }

    /** Why a link record cannot hold {@code url}, or null if it can. */
    static String urlProblem(String url) {
        if (url.length() > MAX_URL_BYTES) {
            return "a URL of " + url.length() + " characters does not fit in a record (at most " + MAX_URL_BYTES + ")";
        }
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) >= 0x80) {
                return "records hold ASCII URLs only (percent-encode the rest); got char " + (int) url.charAt(i) + " at " + i;
            }
        }
        return null;
    }

    static int linkFrameBytes(String key, String url) {
        return FRAME_BYTES + LINK_FIXED_BYTES + key.length() + url.length();
    }

    /** Writes the length and CRC in front of the body that ends at the buffer's position. */
    private static void seal(ByteBuffer out, CRC32C crc, int start) {
        int bodyLength = out.position() - start - FRAME_BYTES;
        out.putInt(start, bodyLength);
        crc.reset();
        crc.update(out.slice(start, 4));
        crc.update(out.slice(start + FRAME_BYTES, bodyLength));
        out.putInt(start + 4, (int) crc.getValue());
    }

    private static void putAscii(ByteBuffer out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                throw new IllegalArgumentException("records hold ASCII only; got char " + (int) c);
            }
            out.put((byte) c);
        }
    }

    private static String describeStart(byte[] bytes, int length) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, length); i++) {
            hex.append(String.format("%02x ", bytes[i]));
        }
        String text = new String(bytes, 0, Math.min(8, length), StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
        return length == 0 ? "nothing" : hex.toString().strip() + " \"" + text + "\"";
    }
}
