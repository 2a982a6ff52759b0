package gotourl.store.log;

import gotourl.link.Link;
import gotourl.link.Link.CodeOrigin;
import gotourl.link.LongUrls;
import gotourl.link.ShortCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The version-2 records that carry a link's fields (docs/FORMAT.md): a link with fields, an edit
 * (the link's new fields, whole), a delete, and a freed code. Writing and strict reading: a
 * record whose fields do not fill its frame exactly, or hold what goto never writes, is refused.
 */
final class LinkRecords {
    static final int ORIGIN_COUNTER = 0;
    static final int ORIGIN_RANDOM = 1;
    static final int ORIGIN_SLUG = 2;

    static final int CRAWLABLE = 1;
    static final int FORWARD_QUERY = 1 << 1;
    static final int VALID_SINCE = 1 << 2;
    static final int VALID_UNTIL = 1 << 3;
    static final int MAX_VISITS = 1 << 4;
    static final int TITLE = 1 << 5;
    static final int AUTHOR = 1 << 6;
    /** A second flags byte follows the first: room for fields past the first seven. */
    static final int MORE_FLAGS = 1 << 7;
    private static final int KNOWN_FLAGS = (1 << 8) - 1;
    /** Second flags byte: the link has a password hash. */
    static final int PASSWORD = 1;
    private static final int KNOWN_MORE_FLAGS = PASSWORD;

    static final int FREED_RELEASED = 1;
    static final int FREED_RETIRED = 2;

    private LinkRecords() {}

    /** A record body: {@code length} bytes at {@code offset} in {@code bytes}, read at {@code recordOffset}. */
    record Body(byte[] bytes, int offset, int length, long recordOffset, Path file) {
        static Body of(LogReader reader) {
            return new Body(reader.bytes(), reader.bodyOffset(), reader.bodyLength(), reader.recordOffset(), reader.file());
        }

        byte type() {
            return bytes[offset];
        }

        LogFormatException malformed(String what, String why) {
            return new LogFormatException(file, recordOffset, "malformed " + what + " record (" + why
                    + "); run 'goto repair -file=" + file + "'");
        }
    }

    /** The fields of a link-with-fields or edit record; {@code link.dateCreated()} holds the record's time. */
    record Fields(long timeMillis, Link link) {}

    // ---- writing ----

    /** The bytes a record of {@code link} with its fields takes, frame included. */
    static int fieldsFrameBytes(Link link) {
        int bytes = LogFormat.FRAME_BYTES + 1 + 8 + 1 + 1 + 1 + link.shortCode().length() + 2 + link.longUrl().length();
        bytes += link.passwordHash() != null ? 1 + 1 + link.passwordHash().length() : 0;
        bytes += link.validSince() != null ? 8 : 0;
        bytes += link.validUntil() != null ? 8 : 0;
        bytes += link.maxVisits() != null ? 4 : 0;
        bytes += link.title() != null ? 2 + utf8Length(link.title()) : 0;
        bytes += link.author() != null ? 1 + link.author().length() : 0;
        bytes += 2;
        for (String tag : link.tags()) {
            bytes += 2 + utf8Length(tag);
        }
        return bytes;
    }

    /** Appends a {@link LogFormat#LINK_FIELDS} or {@link LogFormat#EDIT} record of {@code link}. */
    static void putFields(ByteBuffer out, CRC32C crc, byte type, long timeMillis, Link link) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        int flags = (link.crawlable() ? CRAWLABLE : 0) | (link.forwardQuery() ? FORWARD_QUERY : 0)
                | (link.validSince() != null ? VALID_SINCE : 0) | (link.validUntil() != null ? VALID_UNTIL : 0)
                | (link.maxVisits() != null ? MAX_VISITS : 0) | (link.title() != null ? TITLE : 0)
                | (link.author() != null ? AUTHOR : 0) | (link.passwordHash() != null ? MORE_FLAGS : 0);
        out.put(type).putLong(timeMillis).put((byte) origin(link.origin())).put((byte) flags);
        if (link.passwordHash() != null) {
            out.put((byte) PASSWORD);
        }
        out.put((byte) link.shortCode().length());
        LogFormat.putAscii(out, link.shortCode());
        out.putShort((short) link.longUrl().length());
        LogFormat.putAscii(out, link.longUrl());
        if (link.validSince() != null) {
            out.putLong(link.validSince().toEpochMilli());
        }
        if (link.validUntil() != null) {
            out.putLong(link.validUntil().toEpochMilli());
        }
        if (link.maxVisits() != null) {
            out.putInt(link.maxVisits());
        }
        if (link.title() != null) {
            byte[] title = link.title().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) title.length).put(title);
        }
        if (link.author() != null) {
            out.put((byte) link.author().length());
            LogFormat.putAscii(out, link.author());
        }
        if (link.passwordHash() != null) {
            out.put((byte) link.passwordHash().length());
            LogFormat.putAscii(out, link.passwordHash());
        }
        out.putShort((short) link.tags().size());
        for (String tag : link.tags()) {
            byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes);
        }
        LogFormat.seal(out, crc, start);
    }

    static int deleteFrameBytes(String code) {
        return LogFormat.FRAME_BYTES + 1 + 8 + 1 + code.length();
    }

    static void putDelete(ByteBuffer out, CRC32C crc, long timeMillis, String code) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        out.put(LogFormat.DELETE).putLong(timeMillis).put((byte) code.length());
        LogFormat.putAscii(out, code);
        LogFormat.seal(out, crc, start);
    }

    static int freedFrameBytes(String code) {
        return LogFormat.FRAME_BYTES + 1 + 1 + 1 + code.length();
    }

    /** A freed code: {@link #FREED_RELEASED} (a custom slug, free to claim) or {@link #FREED_RETIRED} (never again). */
    static void putFreed(ByteBuffer out, CRC32C crc, int kind, String code) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        out.put(LogFormat.CODE_FREED).put((byte) kind).put((byte) code.length());
        LogFormat.putAscii(out, code);
        LogFormat.seal(out, crc, start);
    }

    private static int origin(CodeOrigin origin) {
        return switch (origin) {
            case COUNTER -> ORIGIN_COUNTER;
            case RANDOM -> ORIGIN_RANDOM;
            case CUSTOM_SLUG -> ORIGIN_SLUG;
        };
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    // ---- reading ----

    /** Reads a {@link LogFormat#LINK_FIELDS} or {@link LogFormat#EDIT} body. */
    static Fields readFields(Body body) throws LogFormatException {
        String what = body.type() == LogFormat.EDIT ? "edit" : "link";
        Cursor in = new Cursor(body, what);
        in.skip(1);
        long time = in.getLong();
        int originByte = in.get();
        int flags = in.get();
        int moreFlags = (flags & MORE_FLAGS) != 0 ? in.get() : 0;
        if ((flags & ~KNOWN_FLAGS) != 0 || (moreFlags & ~KNOWN_MORE_FLAGS) != 0) {
            throw new LogFormatException(body.file(), body.recordOffset(), "a " + what + " record has flags this goto does"
                    + " not know (0x" + Integer.toHexString(flags) + (moreFlags != 0 ? ", 0x" + Integer.toHexString(moreFlags) : "")
                    + "): a newer goto wrote it; upgrade goto");
        }
        if ((flags & MORE_FLAGS) != 0 && moreFlags == 0) {
            throw body.malformed(what, "a second flags byte with no flag set");
        }
        CodeOrigin origin = switch (originByte) {
            case ORIGIN_COUNTER -> CodeOrigin.COUNTER;
            case ORIGIN_RANDOM -> CodeOrigin.RANDOM;
            case ORIGIN_SLUG -> CodeOrigin.CUSTOM_SLUG;
            default -> throw body.malformed(what, "unknown code origin " + originByte);
        };
        String code = in.ascii(in.get());
        checkCode(body, what, code, origin);
        String url = in.ascii(in.getShort());
        String urlProblem = LongUrls.problem(url);
        if (urlProblem != null) {
            throw body.malformed(what, urlProblem);
        }
        Instant validSince = (flags & VALID_SINCE) != 0 ? Instant.ofEpochMilli(in.getLong()) : null;
        Instant validUntil = (flags & VALID_UNTIL) != 0 ? Instant.ofEpochMilli(in.getLong()) : null;
        Integer maxVisits = (flags & MAX_VISITS) != 0 ? in.getInt() : null;
        String title = (flags & TITLE) != 0 ? in.utf8(in.getShort()) : null;
        String author = (flags & AUTHOR) != 0 ? in.ascii(in.get()) : null;
        String passwordHash = (moreFlags & PASSWORD) != 0 ? in.ascii(in.get()) : null;
        int tagCount = in.getShort();
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(in.utf8(in.getShort()));
        }
        in.end();
        try {
            Link link = new Link(code, url, Instant.ofEpochMilli(time), title, gotourl.link.Tags.normalize(tags), validSince,
                    validUntil, maxVisits, (flags & CRAWLABLE) != 0, (flags & FORWARD_QUERY) != 0, author, origin, passwordHash);
            return new Fields(time, link);
        } catch (IllegalArgumentException e) {
            throw body.malformed(what, e.getMessage());
        }
    }

    /** Reads a {@link LogFormat#DELETE} body: the deleted code. */
    static String readDelete(Body body) throws LogFormatException {
        Cursor in = new Cursor(body, "delete");
        in.skip(1 + 8);
        String code = in.ascii(in.get());
        in.end();
        if (code.isEmpty()) {
            throw body.malformed("delete", "no short code");
        }
        return code;
    }

    /** A freed code and whether it is retired (else released). */
    record Freed(String code, boolean retired) {}

    static Freed readFreed(Body body) throws LogFormatException {
        Cursor in = new Cursor(body, "freed code");
        in.skip(1);
        int kind = in.get();
        String code = in.ascii(in.get());
        in.end();
        if (kind != FREED_RELEASED && kind != FREED_RETIRED) {
            throw body.malformed("freed code", "unknown kind " + kind);
        }
        checkCode(body, "freed code", code, kind == FREED_RELEASED ? CodeOrigin.CUSTOM_SLUG : CodeOrigin.RANDOM);
        return new Freed(code, kind == FREED_RETIRED);
    }

    /** A code of the shape its origin gives (the reserved paths of today are not checked: a slug may predate them). */
    private static void checkCode(Body body, String what, String code, CodeOrigin origin) throws LogFormatException {
        boolean fits = switch (origin) {
            case COUNTER -> ShortCodes.counterOf(code) >= 0;
            case RANDOM -> code.length() >= ShortCodes.MIN_RANDOM_LENGTH && code.length() <= ShortCodes.MAX_RANDOM_LENGTH
                    && code.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
            case CUSTOM_SLUG -> !code.isEmpty() && code.length() <= ShortCodes.MAX_SLUG_CHARS
                    && code.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
        };
        if (!fits) {
            throw body.malformed(what, "short code '" + code + "' is not one goto makes for a " + origin.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /** Reads fields in order, refusing a body that ends early or goes on after the last one. */
    static final class Cursor {
        private final Body body;
        private final String what;
        private final int end;
        private int at;

        Cursor(Body body, String what) {
            this.body = body;
            this.what = what;
            this.at = body.offset();
            this.end = body.offset() + body.length();
        }

        private void need(int bytes) throws LogFormatException {
            if (at + bytes > end) {
                throw body.malformed(what, "its fields do not fill its frame");
            }
        }

        void skip(int bytes) throws LogFormatException {
            need(bytes);
            at += bytes;
        }

        int get() throws LogFormatException {
            need(1);
            return body.bytes()[at++] & 0xFF;
        }

        int getShort() throws LogFormatException {
            need(2);
            int value = ((body.bytes()[at] & 0xFF) << 8) | (body.bytes()[at + 1] & 0xFF);
            at += 2;
            return value;
        }

        int getInt() throws LogFormatException {
            need(4);
            int value = LogReader.intAt(body.bytes(), at);
            at += 4;
            return value;
        }

        long getLong() throws LogFormatException {
            need(8);
            long value = LogReader.longAt(body.bytes(), at);
            at += 8;
            return value;
        }

        String ascii(int length) throws LogFormatException {
            need(length);
            for (int i = at; i < at + length; i++) {
                if (body.bytes()[i] < 0) {
                    throw body.malformed(what, "a text field that must be ASCII is not");
                }
            }
            String text = new String(body.bytes(), at, length, StandardCharsets.ISO_8859_1);
            at += length;
            return text;
        }

        String utf8(int length) throws LogFormatException {
            need(length);
            String text = new String(body.bytes(), at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }

        void end() throws LogFormatException {
            if (at != end) {
                throw body.malformed(what, "its fields do not fill its frame");
            }
        }
    }
}
