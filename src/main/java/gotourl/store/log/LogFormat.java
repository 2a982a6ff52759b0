package gotourl.store.log;

import gotourl.link.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * goto's data file format, version 2 (docs/FORMAT.md is the reference). A 16-byte header, then
 * records, each framed as: body length (u32), CRC-32C of the length and body (u32), body. A body
 * is a type byte and the type's fields. All integers are big-endian. The link records with fields,
 * edits and deletes are written by {@link LinkRecords}.
 */
final class LogFormat {
    /** "\x89GOTO\r\n\x1A": a non-ASCII first byte and a CR LF pair catch text-mode mangling, as in PNG. */
    static final byte[] MAGIC = {(byte) 0x89, 'G', 'O', 'T', 'O', '\r', '\n', 0x1A};
    static final int VERSION = 2;
    /** Version 1 had only link and reservation records; {@code goto upgrade} rewrites it as version 2. */
    static final int VERSION_1 = 1;
    static final int HEADER_BYTES = 16;
    static final int FRAME_BYTES = 8;

    /** A generated code with no fields beyond the defaults: the seed's link, and most of goto's. */
    static final byte LINK = 1;
    static final byte KEY_RESERVATION = 2;
    /** A link with all its fields (version 2). */
    static final byte LINK_FIELDS = 3;
    /** A link's new fields (version 2). */
    static final byte EDIT = 4;
    /** A link deleted (version 2). */
    static final byte DELETE = 5;
    /** A deleted link's code, kept by compaction: a slug free to claim, or a random code never given again (version 2). */
    static final byte CODE_FREED = 6;
    /** The next N records are one batch: kept all, or (cut short by a crash) none (version 2). */
    static final byte BATCH = 7;
    /** An API key: its id, name, role, times and the SHA-256 of its secret; see {@link ApiKeyRecords} (version 2). */
    static final byte API_KEY = 8;
    /** An API key disabled, by id (version 2). */
    static final byte API_KEY_DISABLED = 9;
    /** The not-found redirects, all three, the last record winning; see {@link NotFoundRedirectRecords} (version 2). */
    static final byte NOT_FOUND_REDIRECTS = 10;
    /** A link's whole list of redirect rules (Shlink 4's), the last record for its code winning; see {@link RuleRecords} (version 2). */
    static final byte REDIRECT_RULES = 11;
    /** One visit of a link with maxVisits, counted (version 2; types 12-15 are reserved). */
    static final byte VISIT = 16;
    /** A link life's visit count, written by compaction in place of its visit records (version 2). */
    static final byte VISIT_COUNT = 17;

    /** type + created + key length + key + URL length + URL, for the shortest key and URL. */
    static final int LINK_FIXED_BYTES = 1 + 8 + 1 + 2;
    static final int RESERVATION_BYTES = 1 + 8 + 8;
    static final int BATCH_BYTES = 1 + 4;
    static final int MAX_KEY_BYTES = 255;
    static final int MAX_URL_BYTES = 0xFFFF;
    static final int MIN_BODY_BYTES = 1;
    /** The largest body: a link with fields, every field at its limit, is about 106 KiB. */
    static final int MAX_BODY_BYTES = 128 * 1024;
    static final int MAX_FRAME_BYTES = FRAME_BYTES + MAX_BODY_BYTES;

    private LogFormat() {}

    static ByteBuffer header() {
        return header(VERSION);
    }

    static ByteBuffer header(int version) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).putShort((short) version).putShort((short) 0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 12);
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /**
     * Checks a header read from {@code file}; {@code length} bytes of it are in {@code bytes}.
     * Returns the format version: {@link #VERSION}, or {@link #VERSION_1} when {@code allowVersion1}.
     */
    static int checkHeader(Path file, byte[] bytes, int length, boolean allowVersion1) throws LogFormatException {
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
        int version = version(bytes);
        if (version == VERSION_1 && !allowVersion1) {
            throw new LogFormatException(file, -1, "the file is in format version 1, written by an older goto; this goto"
                    + " reads version " + VERSION + ". Stop goto and run 'goto upgrade -file=" + file + "' once: it rewrites"
                    + " the file as version 2 (keeping a copy of the old one) and cannot be interrupted half-way");
        }
        if (version != VERSION && version != VERSION_1) {
            throw new LogFormatException(file, -1, "the file is in format version " + version
                    + ", and this goto reads version " + VERSION + (version > VERSION ? ": upgrade goto to read it" : ""));
        }
        return version;
    }

    static int version(byte[] header) {
        return ((header[8] & 0xFF) << 8) | (header[9] & 0xFF);
    }

    /** Appends one plain link record. The key and URL must be ASCII, as goto stores them. */
    static void putLink(ByteBuffer out, CRC32C crc, long createdMillis, String key, String url) {
        int keyLength = key.length();
        int urlLength = url.length();
        if (keyLength == 0 || keyLength > MAX_KEY_BYTES || urlLength > MAX_URL_BYTES) {
            throw new IllegalArgumentException("key or URL too long for a record: " + keyLength + ", " + urlLength);
        }
        int start = out.position();
        try {
            out.position(start + FRAME_BYTES);
            out.put(LINK).putLong(createdMillis).put((byte) keyLength);
            putAscii(out, key);
            out.putShort((short) urlLength);
            putAscii(out, url);
        } catch (IllegalArgumentException notAscii) {
            out.position(start); // no half record left in the buffer for the next to follow
            throw notAscii;
        }
        seal(out, crc, start);
    }

    /**
     * As {@link #putLink(ByteBuffer, CRC32C, long, String, String)}, the key written from its
     * counter ({@link Keys#put}) without building it: the bulk import's plain links. Throws
     * {@link IllegalArgumentException} for a URL that is empty, too long or not ASCII, leaving the
     * buffer as it was.
     */
    static void putLink(ByteBuffer out, CRC32C crc, long createdMillis, long counter, String url) {
        putLink(out, crc, createdMillis, counter, url, false);
    }

    /**
     * As {@link #putLink(ByteBuffer, CRC32C, long, long, String)}; with {@code checkedAscii}, the
     * caller has already found every character of {@code url} ASCII (the index's own check, for a
     * bulk import), and it is copied whole, not checked again a character at a time.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, which the caller checked
    static void putLink(ByteBuffer out, CRC32C crc, long createdMillis, long counter, String url, boolean checkedAscii) {
        int urlLength = url.length();
        if (urlLength == 0 || urlLength > MAX_URL_BYTES) {
            throw new IllegalArgumentException("URL of " + urlLength + " characters does not fit a record");
        }
        int keyLength = Keys.length(counter);
        int start = out.position();
        int body = start + FRAME_BYTES;
        if (out.remaining() < linkFrameBytes(keyLength, urlLength)) {
            throw new java.nio.BufferOverflowException();
        }
        // Fields by index, one position move for the key and one for the URL.
        out.put(body, LINK).putLong(body + 1, createdMillis).put(body + 9, (byte) keyLength)
                .putShort(body + 10 + keyLength, (short) urlLength);
        try {
            out.position(body + 10);
            Keys.put(counter, out);
            out.position(body + LINK_FIXED_BYTES + keyLength);
            if (checkedAscii && out.hasArray()) {
                url.getBytes(0, urlLength, out.array(), out.arrayOffset() + out.position());
                out.position(out.position() + urlLength);
            } else {
                putAscii(out, url);
            }
        } catch (IllegalArgumentException notAscii) {
            out.position(start); // no half record left in the buffer for the next to follow
            throw notAscii;
        }
        seal(out, crc, start);
    }

    /** As {@link #putLink(ByteBuffer, CRC32C, long, String, String)}, the URL from ASCII bytes (a compaction). */
    static void putLink(ByteBuffer out, CRC32C crc, long createdMillis, String key, byte[] url, int offset, int length) {
        int start = out.position();
        out.position(start + FRAME_BYTES);
        out.put(LINK).putLong(createdMillis).put((byte) key.length());
        putAscii(out, key);
        out.putShort((short) length).put(url, offset, length);
        seal(out, crc, start);
    }

    /** Appends a reservation: every key below {@code reservedThrough} may have been handed out. */
    static void putReservation(ByteBuffer out, CRC32C crc, long createdMillis, long reservedThrough) {
        int start = out.position();
        out.position(start + FRAME_BYTES);
        out.put(KEY_RESERVATION).putLong(createdMillis).putLong(reservedThrough);
        seal(out, crc, start);
    }

    /** Appends a batch header: the next {@code records} records are kept all or none. */
    static void putBatch(ByteBuffer out, CRC32C crc, int records) {
        int start = out.position();
        out.position(start + FRAME_BYTES);
        out.put(BATCH).putInt(records);
        seal(out, crc, start);
    }

    static int linkFrameBytes(String key, String url) {
        return FRAME_BYTES + LINK_FIXED_BYTES + key.length() + url.length();
    }

    static int linkFrameBytes(int keyLength, int urlLength) {
        return FRAME_BYTES + LINK_FIXED_BYTES + keyLength + urlLength;
    }

    /** Writes the length and CRC in front of the body that ends at the buffer's position. */
    static void seal(ByteBuffer out, CRC32C crc, int start) {
        int bodyLength = out.position() - start - FRAME_BYTES;
        out.putInt(start, bodyLength);
        crc.reset();
        if (out.hasArray()) {
            crc.update(out.array(), out.arrayOffset() + start, 4);
            crc.update(out.array(), out.arrayOffset() + start + FRAME_BYTES, bodyLength);
            out.putInt(start + 4, (int) crc.getValue());
            return;
        }
        // The length, then the body, read through the buffer's own position and limit (restored
        // after): a slice per part was two objects per record, on a path that writes millions.
        int end = out.position();
        int limit = out.limit();
        out.position(start).limit(start + 4);
        crc.update(out);
        out.limit(end).position(start + FRAME_BYTES);
        crc.update(out);
        out.limit(limit).position(end);
        out.putInt(start + 4, (int) crc.getValue());
    }

    /**
     * Puts {@code text} as ASCII bytes, one a character; throws {@link IllegalArgumentException}
     * for a character past ASCII (part of the text may be written then, the position not moved
     * past it) and {@link java.nio.BufferOverflowException} when it does not fit.
     */
    static void putAscii(ByteBuffer out, String text) {
        int length = text.length();
        if (out.hasArray()) {
            // Straight into the array: a put per byte checks bounds and moves the position each time.
            if (out.remaining() < length) {
                throw new java.nio.BufferOverflowException();
            }
            byte[] array = out.array();
            int at = out.arrayOffset() + out.position();
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    throw new IllegalArgumentException("records hold ASCII only; got char " + (int) c);
                }
                array[at + i] = (byte) c;
            }
            out.position(out.position() + length);
            return;
        }
        for (int i = 0; i < length; i++) {
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
