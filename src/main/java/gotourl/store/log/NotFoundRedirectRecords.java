package gotourl.store.log;

import gotourl.link.NotFoundRedirects;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The not-found redirects record (docs/FORMAT.md, type 10): all three redirects as they are from
 * then on, the last record winning. Body: type, the time it was set (u64 ms), a flags byte with a
 * bit per redirect present (base URL, regular 404, invalid short URL), then each present one as a
 * u16 length and its UTF-8 bytes. Compaction keeps the last record, and none when none is set.
 */
final class NotFoundRedirectRecords {
    static final int BASE_URL = 1;
    static final int REGULAR_404 = 1 << 1;
    static final int INVALID_SHORT_URL = 1 << 2;
    private static final int KNOWN_FLAGS = BASE_URL | REGULAR_404 | INVALID_SHORT_URL;

    private NotFoundRedirectRecords() {}

    /** The bytes a record of {@code redirects} takes, frame included. */
    static int frameBytes(NotFoundRedirects redirects) {
        return LogFormat.FRAME_BYTES + 1 + 8 + 1 + urlBytes(redirects.baseUrlRedirect())
                + urlBytes(redirects.regular404Redirect()) + urlBytes(redirects.invalidShortUrlRedirect());
    }

    /** What {@code redirects} take in a compacted file: their record, or nothing when none is set. */
    static long liveBytes(NotFoundRedirects redirects) {
        return redirects.isEmpty() ? 0 : frameBytes(redirects);
    }

    private static int urlBytes(String url) {
        return url == null ? 0 : 2 + url.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Appends a {@link LogFormat#NOT_FOUND_REDIRECTS} record of {@code redirects}, set at {@code timeMillis}. */
    static void put(ByteBuffer out, CRC32C crc, long timeMillis, NotFoundRedirects redirects) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        int flags = (redirects.baseUrlRedirect() != null ? BASE_URL : 0) | (redirects.regular404Redirect() != null ? REGULAR_404 : 0)
                | (redirects.invalidShortUrlRedirect() != null ? INVALID_SHORT_URL : 0);
        out.put(LogFormat.NOT_FOUND_REDIRECTS).putLong(timeMillis).put((byte) flags);
        putUrl(out, redirects.baseUrlRedirect());
        putUrl(out, redirects.regular404Redirect());
        putUrl(out, redirects.invalidShortUrlRedirect());
        LogFormat.seal(out, crc, start);
    }

    private static void putUrl(ByteBuffer out, String url) {
        if (url != null) {
            byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes);
        }
    }

    /** Reads a {@link LogFormat#NOT_FOUND_REDIRECTS} body. */
    static NotFoundRedirects read(LinkRecords.Body body) throws LogFormatException {
        LinkRecords.Cursor in = new LinkRecords.Cursor(body, "not-found redirects");
        in.skip(1 + 8);
        int flags = in.get();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new LogFormatException(body.file(), body.recordOffset(), "a not-found redirects record has flags this goto"
                    + " does not know (0x" + Integer.toHexString(flags) + "): a newer goto wrote it; upgrade goto");
        }
        String base = (flags & BASE_URL) != 0 ? in.utf8(in.getShort()) : null;
        String regular = (flags & REGULAR_404) != 0 ? in.utf8(in.getShort()) : null;
        String invalid = (flags & INVALID_SHORT_URL) != 0 ? in.utf8(in.getShort()) : null;
        in.end();
        try {
            return new NotFoundRedirects(base, regular, invalid);
        } catch (IllegalArgumentException e) {
            throw body.malformed("not-found redirects", e.getMessage());
        }
    }
}
