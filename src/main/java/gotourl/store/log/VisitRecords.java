package gotourl.store.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The records that keep {@code maxVisits} exact across restarts (docs/FORMAT.md, types 16 and 17):
 * one {@link LogFormat#VISIT} per counted visit of a limited link, and, from compaction, one
 * {@link LogFormat#VISIT_COUNT} per link life in place of its visit records. Both name the life
 * by short code and creation time, so a record of an older life of a reclaimed slug counts for
 * nothing.
 */
final class VisitRecords {
    private VisitRecords() {}

    /**
     * A counted visit or a count, as read.
     *
     * @param shortCode     the link's short code
     * @param createdMillis the link's creation time, epoch milliseconds
     * @param visits        1 for a visit record; the count for a count record
     */
    record Counted(String shortCode, long createdMillis, long visits) {}

    /** The bytes a visit or count record of {@code code} takes, frame included (both have one layout). */
    static int frameBytes(String code) {
        return LogFormat.FRAME_BYTES + 1 + 8 + 8 + 1 + code.length();
    }

    /** Appends one counted visit of the life ({@code code}, {@code createdMillis}), made at {@code timeMillis}. */
    static void putVisit(ByteBuffer out, CRC32C crc, long timeMillis, String code, long createdMillis) {
        put(out, crc, LogFormat.VISIT, timeMillis, createdMillis, code);
    }

    /** Appends the life's count: {@code visits} counted visits so far. */
    static void putCount(ByteBuffer out, CRC32C crc, String code, long createdMillis, long visits) {
        put(out, crc, LogFormat.VISIT_COUNT, createdMillis, visits, code);
    }

    private static void put(ByteBuffer out, CRC32C crc, byte type, long first, long second, String code) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        out.put(type).putLong(first).putLong(second).put((byte) code.length());
        LogFormat.putAscii(out, code);
        LogFormat.seal(out, crc, start);
    }

    /** Reads a {@link LogFormat#VISIT} or {@link LogFormat#VISIT_COUNT} body. */
    static Counted read(LinkRecords.Body body) throws LogFormatException {
        boolean visit = body.type() == LogFormat.VISIT;
        String what = visit ? "visit" : "visit count";
        byte[] bytes = body.bytes();
        int at = body.offset();
        if (body.length() < 1 + 8 + 8 + 1 + 1) {
            throw body.malformed(what, "its fields do not fill its frame");
        }
        long first = LogReader.longAt(bytes, at + 1);
        long second = LogReader.longAt(bytes, at + 9);
        int codeLength = bytes[at + 17] & 0xFF;
        if (body.length() != 1 + 8 + 8 + 1 + codeLength || codeLength == 0) {
            throw body.malformed(what, "its fields do not fill its frame");
        }
        for (int i = at + 18; i < at + 18 + codeLength; i++) {
            if (bytes[i] <= ' ' || bytes[i] == 0x7F) {
                throw body.malformed(what, "the short code is not printable ASCII");
            }
        }
        String code = new String(bytes, at + 18, codeLength, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!visit && second < 1) {
            throw body.malformed(what, "a count of " + second + " visits");
        }
        return visit ? new Counted(code, second, 1) : new Counted(code, first, second);
    }
}
