package gotourl.store.log;

import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyTable;
import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.store.LinkIndex;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * A data file holding one moment's links and nothing else: what compaction and upgrade write.
 * It is written from the state in memory, not from the old file's records: a new kind of record
 * (API keys, visit counts) must have its state written here too, or the first compaction drops it.
 */
final class SnapshotFile {
    private static final int BUFFER_BYTES = 1 << 20;

    private SnapshotFile() {}

    /**
     * Writes a version-2 file of {@code snapshot} to {@code out}: the header, one record per link
     * (plain ones as plain link records, as a fresh file has them; a link with redirect rules
     * followed by its rules' record), the freed codes, one record
     * per API key of {@code apiKeys} (with its enabled flag as it is now), the visit counts of
     * links with maxVisits, and a key reservation through {@code reserveThrough}. Returns how many
     * links it wrote. Used by compaction and by {@code goto upgrade}.
     */
    static long write(LinkState state, LinkState.Snapshot snapshot, ApiKeyTable apiKeys, long reserveThrough, FileChannel out,
                      long nowMillis) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        buffer.put(LogFormat.header());
        return write(state, snapshot, apiKeys, reserveThrough, nowMillis, buffer, written -> drain(written, out), PlainSink.NONE);
    }

    /** Where {@link #write} puts the links kept in the index's pages that it does not write as records. */
    interface PlainSink {
        PlainSink NONE = (counter, page, offset, length, createdSeconds) -> false;

        /** Takes the plain link (as {@link LinkIndex.Visitor#plain} gives it) and returns true, or returns false to have it written as a record. */
        boolean take(long counter, byte[] page, int offset, int length, long createdSeconds) throws IOException;

        /** Takes the link plain but for its author (as {@link LinkIndex.Visitor#authored} gives it), or returns false. */
        default boolean takeAuthored(long counter, Link link) throws IOException {
            return false;
        }
    }

    /** Takes a buffer of whole records (flipped or not: from its start to its position) and empties it. */
    interface Drain {
        void drain(ByteBuffer records) throws IOException;
    }

    /**
     * The records of {@link #write}, into {@code buffer} (which may already hold a header),
     * handed to {@code drain} whenever the next record would not fit and at the end; each plain
     * link is offered to {@code plain} first and written as a record only if it declines.
     */
    static long write(LinkState state, LinkState.Snapshot snapshot, ApiKeyTable apiKeys, long reserveThrough, long nowMillis,
                      ByteBuffer buffer, Drain out, PlainSink plain) throws IOException {
        CRC32C crc = new CRC32C();
        long[] count = {0};
        IOException[] failed = {null};
        try {
            visit(state, snapshot, buffer, out, plain, crc, count, failed, nowMillis);
        } catch (WriteFailed e) {
            throw e.getCause(); // the drain's own error ("No space left on device"), as a write outside the walk gives it
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        for (String code : snapshot.released()) {
            room(buffer, out, LinkRecords.freedFrameBytes(code));
            LinkRecords.putFreed(buffer, crc, LinkRecords.FREED_RELEASED, code);
        }
        for (String code : snapshot.retired()) {
            room(buffer, out, LinkRecords.freedFrameBytes(code));
            LinkRecords.putFreed(buffer, crc, LinkRecords.FREED_RETIRED, code);
        }
        for (ApiKeyRecord key : apiKeys.all()) {
            room(buffer, out, ApiKeyRecords.keyFrameBytes(key));
            ApiKeyRecords.putKey(buffer, crc, key);
        }
        if (!snapshot.notFoundRedirects().isEmpty()) {
            room(buffer, out, NotFoundRedirectRecords.frameBytes(snapshot.notFoundRedirects()));
            NotFoundRedirectRecords.put(buffer, crc, nowMillis, snapshot.notFoundRedirects());
        }
        // After the links, so replay finds each count's link: one record per life in place of its visits.
        for (var life : snapshot.visitCounts().entrySet()) {
            room(buffer, out, VisitRecords.frameBytes(life.getKey()));
            VisitRecords.putCount(buffer, crc, life.getKey(), life.getValue().createdMillis(), life.getValue().visits());
        }
        room(buffer, out, LogFormat.FRAME_BYTES + LogFormat.RESERVATION_BYTES);
        LogFormat.putReservation(buffer, crc, nowMillis, reserveThrough);
        out.drain(buffer);
        return count[0];
    }

    /** Walks the links of {@code snapshot} into {@code buffer}; a failed write leaves the walk as {@link WriteFailed}. */
    private static void visit(LinkState state, LinkState.Snapshot snapshot, ByteBuffer buffer, Drain out, PlainSink plain, CRC32C crc,
                              long[] count, IOException[] failed, long nowMillis) {
        state.visit(snapshot, new LinkIndex.Visitor() {
            @Override
            public void plain(long counter, byte[] page, int offset, int length, long createdSeconds) {
                try {
                    if (failed[0] == null && plain.take(counter, page, offset, length, createdSeconds)) {
                        count[0]++;
                        return;
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
                String key = Keys.encode(counter);
                room(LogFormat.linkFrameBytes(key.length(), length));
                LogFormat.putLink(buffer, crc, createdSeconds * 1000, key, page, offset, length);
                count[0]++;
            }

            @Override
            public void authored(long counter, Link link) {
                try {
                    if (failed[0] == null && plain.takeAuthored(counter, link)) {
                        count[0]++;
                        return;
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
                rich(counter, link);
            }

            @Override
            public void rich(long counter, Link link) {
                room(LinkRecords.fieldsFrameBytes(link));
                LinkRecords.putFields(buffer, crc, LogFormat.LINK_FIELDS, link.dateCreated().toEpochMilli(), link);
                if (link.hasRedirectRules()) { // right after its link, which replay must find first
                    room(RuleRecords.frameBytes(link.shortCode(), link.redirectRules()));
                    RuleRecords.put(buffer, crc, nowMillis, link.shortCode(), link.redirectRules());
                }
                count[0]++;
            }

            private void room(int bytes) {
                if (buffer.remaining() < bytes && failed[0] == null) {
                    try {
                        out.drain(buffer);
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
                if (failed[0] != null) {
                    throw new WriteFailed(failed[0]);
                }
            }
        });
    }

    /**
     * A write's {@link IOException}, carried out of the index's walk (whose visitor cannot throw
     * it) and unwrapped by {@link #write}: callers log and report the disk's own words.
     */
    private static final class WriteFailed extends RuntimeException {
        WriteFailed(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static void room(ByteBuffer buffer, Drain out, int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            out.drain(buffer);
        }
    }

    private static void drain(ByteBuffer buffer, FileChannel out) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

}
