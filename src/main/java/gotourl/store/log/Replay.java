package gotourl.store.log;

import gotourl.link.Keys;
import gotourl.store.LinkIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a data file into an index: every link record in order, and the counter to resume from,
 * which is past the highest key and the highest reservation ever written (never a count, so a
 * gap left by a failed add is never filled by a reused key). A torn tail is truncated.
 *
 * @param droppedBytes how many bytes of torn tail were cut off the end of the file
 */
public record Replay(LinkIndex index, long nextCounter, long records, long droppedBytes, long validEnd, Duration took) {
    private static final Logger LOG = LoggerFactory.getLogger("goto.replay");

    static Replay run(LogFile log) throws IOException {
        long start = System.nanoTime();
        LinkIndex index = new LinkIndex();
        LogReader reader = new LogReader(log.channel(), log.file(), null);
        long next = 0;
        while (reader.next()) {
            next = Math.max(next, apply(reader, index));
        }
        long dropped = reader.fileSize() - reader.validEnd();
        if (dropped > 0) {
            log.channel().truncate(reader.validEnd());
            log.channel().force(true);
            LOG.warn("{}: dropped {} bytes after offset {}: the end of a write that was cut short (a crash or power loss"
                    + " during an add); no acknowledged link is lost", log.file(), dropped, reader.validEnd());
        }
        log.channel().position(reader.validEnd());
        return new Replay(index, next, reader.records(), dropped, reader.validEnd(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Applies the reader's current record to {@code index}; returns the counter to resume from. */
    static long apply(LogReader reader, LinkIndex index) throws LogFormatException {
        byte type = reader.type();
        if (type == LogFormat.LINK) {
            LinkRecord link = LinkRecord.at(reader);
            long counter = link.counter(reader);
            if (!index.put(counter, reader.buffer(), link.urlOffset(), link.urlLength())) {
                throw new LogFormatException(reader.file(), reader.recordOffset(), "key '" + Keys.encode(counter)
                        + "' is stored twice; run 'goto repair -file=" + reader.file() + "' to keep the first");
            }
            return counter + 1;
        }
        if (type == LogFormat.KEY_RESERVATION) {
            return reservedThrough(reader);
        }
        throw new LogFormatException(reader.file(), reader.recordOffset(), "record type " + (type & 0xFF)
                + " is unknown to this goto, which reads format " + LogFormat.VERSION
                + " (links and key reservations); a newer goto wrote it: upgrade goto");
    }

    /** The counter below which the reader's current key reservation reserves every key. */
    static long reservedThrough(LogReader reader) throws LogFormatException {
        if (reader.bodyLength() != LogFormat.RESERVATION_BYTES) {
            throw malformed(reader, "key reservation");
        }
        return LogReader.longAt(reader.bytes(), reader.bodyOffset() + 9);
    }

    static LogFormatException malformed(LogReader reader, String what) {
        return new LogFormatException(reader.file(), reader.recordOffset(), "malformed " + what
                + " record (its fields do not fill its frame); run 'goto repair -file=" + reader.file() + "'");
    }

    /** Where the fields of the reader's current link record are, checked against its frame. */
    record LinkRecord(long createdMillis, int keyOffset, int keyLength, int urlOffset, int urlLength) {
        static LinkRecord at(LogReader reader) throws LogFormatException {
            byte[] bytes = reader.bytes();
            int body = reader.bodyOffset();
            int length = reader.bodyLength();
            if (length < LogFormat.LINK_FIXED_BYTES + 1) {
                throw malformed(reader, "link");
            }
            int keyLength = bytes[body + 9] & 0xFF;
            int urlLengthAt = body + 10 + keyLength;
            if (keyLength == 0 || 10 + keyLength + 2 > length) {
                throw malformed(reader, "link");
            }
            int urlLength = ((bytes[urlLengthAt] & 0xFF) << 8) | (bytes[urlLengthAt + 1] & 0xFF);
            if (LogFormat.LINK_FIXED_BYTES + keyLength + urlLength != length) {
                throw malformed(reader, "link");
            }
            return new LinkRecord(LogReader.longAt(bytes, body + 1), body + 10, keyLength, urlLengthAt + 2, urlLength);
        }

        /** The key's counter; throws if the key is not one goto generates. */
        long counter(LogReader reader) throws LogFormatException {
            long counter = Keys.decode(reader.bytes(), keyOffset, keyLength);
            if (counter < 0 || counter >= LinkIndex.MAX_COUNTER) {
                throw new LogFormatException(reader.file(), reader.recordOffset(), "key '"
                        + new String(reader.bytes(), keyOffset, keyLength, StandardCharsets.ISO_8859_1)
                        + "' is not one goto generates");
            }
            return counter;
        }
    }
}
