package gotourl.store.log;

import gotourl.apikey.ApiKeyNotFoundException;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyTable;
import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.ShortCodes;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a data file into a {@link LinkState}: every record in order, each checked, and the key
 * counter to resume from, which is past the highest generated key and the highest reservation
 * ever written (never a count, so a gap left by a failed add is never filled by a reused key).
 * A torn tail is truncated, and so is a batch the tail cut short: a batch is kept whole or not at all.
 * Zeros after the last record (preallocated space, {@link Preallocation}) are kept, not reported.
 *
 * @param droppedBytes how many bytes of torn tail were cut off the end of the file
 * @param liveBytes    what the live links and API keys would take in a compacted file (records and frames)
 * @param apiKeys      the API keys the file holds
 * @param records      how many records were replayed (after the index image, if one was used)
 * @param imageEnd     how many bytes of the file the index image covered, or -1 if none was used
 */
public record Replay(LinkState state, long records, long droppedBytes, long validEnd, Duration took, long liveBytes, int version,
                     ApiKeyTable apiKeys, long imageEnd) {
    private static final Logger LOG = LoggerFactory.getLogger("goto.replay");

    /** Replays {@code log}, after its index image if it has one that matches (see {@link IndexImage}). */
    static Replay run(LogFile log) throws IOException {
        return run(log, true);
    }

    /**
     * Replays {@code log}: with {@code useImage}, the state of its {@link IndexImage} if one
     * matches and the records after the part it covers; otherwise (or when none matches) every
     * record from the start.
     */
    static Replay run(LogFile log, boolean useImage) throws IOException {
        long start = System.nanoTime();
        IndexImage.Loaded image = useImage ? IndexImage.load(log) : null;
        LinkState state;
        Applier applier;
        LogReader reader;
        if (image != null) {
            state = image.state();
            applier = image.applier();
            reader = new LogReader(log.channel(), log.file(), null, image.coveredEnd());
        } else {
            state = new LinkState();
            state.beginBulkLoad();
            applier = new Applier(state, log.version());
            reader = new LogReader(log.channel(), log.file(), null);
        }
        List<LinkRecords.Body> batch = null;
        int batchSize = 0;
        long batchStart = -1;
        while (reader.next()) {
            byte type = reader.type();
            if (batch != null) {
                if (type != LogFormat.LINK && type != LogFormat.LINK_FIELDS && type != LogFormat.EDIT && type != LogFormat.DELETE
                        && type != LogFormat.REDIRECT_RULES) {
                    throw new LogFormatException(log.file(), reader.recordOffset(), "a batch holds links, edits, deletes and"
                            + " redirect rules,"
                            + " not a record of type " + (type & 0xFF) + "; run 'goto repair -file=" + log.file() + "'");
                }
                byte[] copy = Arrays.copyOfRange(reader.bytes(), reader.bodyOffset(), reader.bodyOffset() + reader.bodyLength());
                batch.add(new LinkRecords.Body(copy, 0, copy.length, reader.recordOffset(), log.file()));
                if (batch.size() == batchSize) {
                    for (LinkRecords.Body body : batch) {
                        applier.apply(body);
                    }
                    batch = null;
                }
            } else if (type == LogFormat.BATCH && log.version() >= LogFormat.VERSION) {
                batchSize = batchSize(reader);
                batchStart = reader.recordOffset();
                batch = new ArrayList<>(batchSize);
            } else if (type == LogFormat.LINK) {
                applier.plainLink(reader);
            } else {
                applier.apply(LinkRecords.Body.of(reader));
            }
        }
        state.endBulkLoad();
        long validEnd = batch == null ? reader.validEnd() : batchStart;
        // Zeros after the last record (space preallocated ahead of the writer) are kept: the
        // writer resumes at validEnd and writes over them. Anything else after it is a torn tail,
        // cut off with the zeros after it, so that no byte of it is left past the end.
        long dropped = reader.dataEnd() - validEnd;
        if (dropped > 0) {
            log.channel().truncate(validEnd);
            log.channel().force(true);
            LOG.warn("{}: dropped {} bytes after offset {}: the end of a write that was cut short (a crash, a power loss or a full disk"
                    + " during a write){}{}; no acknowledged change is lost", log.file(), dropped, validEnd,
                    batch == null ? "" : ", with a batch of " + batchSize + " changes of which " + batch.size() + " had been written",
                    reader.endedCutShortOverZeros() ? ", part of it written over preallocated space and part not" : "");
        }
        log.channel().position(validEnd);
        return new Replay(state, reader.records(), dropped, validEnd, Duration.ofNanos(System.nanoTime() - start),
                applier.liveBytes, log.version(), applier.apiKeys(), image == null ? -1 : image.coveredEnd());
    }

    private static int batchSize(LogReader reader) throws LogFormatException {
        if (reader.bodyLength() != LogFormat.BATCH_BYTES) {
            throw malformed(reader, "batch");
        }
        int size = LogReader.intAt(reader.bytes(), reader.bodyOffset() + 1);
        if (size < 1 || size > gotourl.store.LinkStore.MAX_BATCH) {
            throw new LogFormatException(reader.file(), reader.recordOffset(), "a batch of " + size + " records is not one goto writes;"
                    + " run 'goto repair -file=" + reader.file() + "'");
        }
        return size;
    }

    /** Applies records to the state and counts the live bytes. */
    static final class Applier {
        private final LinkState state;
        private final int version;
        private final ApiKeyTable.Builder apiKeys = new ApiKeyTable.Builder();
        long liveBytes;

        Applier(LinkState state, int version) {
            this.state = state;
            this.version = version;
        }

        /** The API keys applied so far. */
        ApiKeyTable apiKeys() {
            return apiKeys.build();
        }

        /** True when a link holds {@code code} now. */
        boolean holds(String code) {
            return state.index().get(code) != null;
        }

        /** The fast path: a plain link record straight into the pages, no Link object made. */
        void plainLink(LogReader reader) throws LogFormatException {
            LinkRecord link = LinkRecord.at(reader);
            long counter = link.counter(reader);
            if (!state.putPlain(counter, reader.bytes(), link.urlOffset(), link.urlLength(), Math.floorDiv(link.createdMillis(), 1000))) {
                throw duplicate(reader.file(), reader.recordOffset(), Keys.encode(counter));
            }
            liveBytes += LogFormat.linkFrameBytes(link.keyLength(), link.urlLength());
        }

        void apply(LinkRecords.Body body) throws LogFormatException {
            byte type = body.type();
            if (type == LogFormat.LINK) {
                LinkRecord link = LinkRecord.at(body);
                long counter = link.counter(body);
                if (!state.putPlain(counter, body.bytes(), link.urlOffset(), link.urlLength(), Math.floorDiv(link.createdMillis(), 1000))) {
                    throw duplicate(body.file(), body.recordOffset(), Keys.encode(counter));
                }
                liveBytes += LogFormat.linkFrameBytes(link.keyLength(), link.urlLength());
                return;
            }
            if (type == LogFormat.KEY_RESERVATION) {
                state.reserveThrough(reservedThrough(body));
                return;
            }
            if (version < LogFormat.VERSION) {
                throw unknown(body);
            }
            switch (type) {
                case LogFormat.LINK_FIELDS -> {
                    Link link = LinkRecords.readFields(body).link();
                    if (state.index().get(link.shortCode()) != null) {
                        throw duplicate(body.file(), body.recordOffset(), link.shortCode());
                    }
                    long counter = counterOf(link);
                    state.apply(new LinkState.Change(null, link, counter));
                    liveBytes += frameBytes(link, counter);
                }
                case LogFormat.EDIT -> {
                    Link fields = LinkRecords.readFields(body).link();
                    Link before = state.index().get(fields.shortCode());
                    if (before == null || before.origin() != fields.origin()) {
                        throw new LogFormatException(body.file(), body.recordOffset(), "an edit of '" + fields.shortCode()
                                + "', which no link has at that point; run 'goto repair -file=" + body.file() + "'");
                    }
                    Link after = new Link(before.shortCode(), fields.longUrl(), before.dateCreated(), fields.title(), fields.tags(),
                            fields.validSince(), fields.validUntil(), fields.maxVisits(), fields.crawlable(), fields.forwardQuery(),
                            fields.author(), before.origin(), fields.passwordHash(), before.redirectRules());
                    long counter = counterOf(before);
                    state.apply(new LinkState.Change(before, after, counter));
                    liveBytes += frameBytes(after, counter) - frameBytes(before, counter);
                }
                case LogFormat.DELETE -> {
                    String code = LinkRecords.readDelete(body);
                    Link before = state.index().get(code);
                    if (before == null) {
                        throw new LogFormatException(body.file(), body.recordOffset(), "a delete of '" + code
                                + "', which no link has at that point; run 'goto repair -file=" + body.file() + "'");
                    }
                    long counter = counterOf(before);
                    state.apply(new LinkState.Change(before, null, counter));
                    liveBytes -= frameBytes(before, counter);
                }
                case LogFormat.CODE_FREED -> {
                    LinkRecords.Freed freed = LinkRecords.readFreed(body);
                    if (freed.retired()) {
                        state.retire(freed.code());
                    } else {
                        state.release(freed.code());
                    }
                }
                case LogFormat.API_KEY -> {
                    ApiKeyRecord key = ApiKeyRecords.readKey(body);
                    try {
                        apiKeys.add(key);
                    } catch (IllegalArgumentException e) {
                        throw new LogFormatException(body.file(), body.recordOffset(), e.getMessage()
                                + "; run 'goto repair -file=" + body.file() + "' to keep the first");
                    }
                    liveBytes += ApiKeyRecords.keyFrameBytes(key);
                }
                case LogFormat.API_KEY_DISABLED -> {
                    String id = ApiKeyRecords.readDisabled(body);
                    try {
                        apiKeys.disable(id);
                    } catch (ApiKeyNotFoundException e) {
                        throw new LogFormatException(body.file(), body.recordOffset(), "a disable of API key " + id
                                + ", which no key has at that point; run 'goto repair -file=" + body.file() + "'");
                    }
                }
                case LogFormat.NOT_FOUND_REDIRECTS -> {
                    gotourl.link.NotFoundRedirects redirects = NotFoundRedirectRecords.read(body);
                    liveBytes += NotFoundRedirectRecords.liveBytes(redirects)
                            - NotFoundRedirectRecords.liveBytes(state.notFoundRedirects());
                    state.publishNotFoundRedirects(redirects);
                }
                case LogFormat.REDIRECT_RULES -> {
                    // The link's whole list from here on; a delete forgets it with the link.
                    RuleRecords.Set set = RuleRecords.read(body);
                    Link before = state.index().get(set.shortCode());
                    if (before == null) {
                        throw new LogFormatException(body.file(), body.recordOffset(), "redirect rules of '" + set.shortCode()
                                + "', which no link has at that point; run 'goto repair -file=" + body.file() + "'");
                    }
                    Link after = before.withRedirectRules(set.rules());
                    long counter = counterOf(before);
                    state.apply(new LinkState.Change(before, after, counter));
                    liveBytes += frameBytes(after, counter) - frameBytes(before, counter);
                }
                case LogFormat.VISIT, LogFormat.VISIT_COUNT -> {
                    // A visit of a life that is gone (its link deleted before the record was
                    // written, or a slug since claimed again) counts for nothing. Not live bytes:
                    // compaction replaces a life's visit records with one count.
                    VisitRecords.Counted counted = VisitRecords.read(body);
                    Link link = state.index().get(counted.shortCode());
                    if (link != null && link.dateCreated().toEpochMilli() == counted.createdMillis()) {
                        state.visitCounts().restore(counted.shortCode(), counted.createdMillis(), counted.visits());
                    }
                }
                case LogFormat.BATCH -> throw new LogFormatException(body.file(), body.recordOffset(),
                        "a batch inside a batch; run 'goto repair -file=" + body.file() + "'");
                default -> throw unknown(body);
            }
        }

        private LogFormatException unknown(LinkRecords.Body body) {
            return new LogFormatException(body.file(), body.recordOffset(), "record type " + (body.type() & 0xFF)
                    + " is unknown to this goto, which reads format " + version + (version < LogFormat.VERSION
                    ? " files as links and key reservations" : " (links, reservations, edits, deletes, batches, API keys, not-found redirects,"
                    + " redirect rules, visit counts)")
                    + "; a newer goto wrote it: upgrade goto");
        }
    }

    static long counterOf(Link link) {
        return link.origin() == Link.CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : -1;
    }

    /** What {@code link} takes in a compacted file: its record, and its redirect rules' if it has any. */
    static long frameBytes(Link link, long counter) {
        return counter >= 0 && link.isPlain() ? LogFormat.linkFrameBytes(link.shortCode(), link.longUrl())
                : LinkRecords.fieldsFrameBytes(link) + RuleRecords.liveBytes(link.shortCode(), link.redirectRules());
    }

    private static LogFormatException duplicate(java.nio.file.Path file, long offset, String code) {
        return new LogFormatException(file, offset, "short code '" + code + "' is stored twice; run 'goto repair -file="
                + file + "' to keep the first");
    }

    /** The counter below which a key reservation record reserves every key. */
    static long reservedThrough(LinkRecords.Body body) throws LogFormatException {
        if (body.length() != LogFormat.RESERVATION_BYTES) {
            throw body.malformed("key reservation", "its fields do not fill its frame");
        }
        return LogReader.longAt(body.bytes(), body.offset() + 9);
    }

    static long reservedThrough(LogReader reader) throws LogFormatException {
        return reservedThrough(LinkRecords.Body.of(reader));
    }

    static LogFormatException malformed(LogReader reader, String what) {
        return new LogFormatException(reader.file(), reader.recordOffset(), "malformed " + what
                + " record (its fields do not fill its frame); run 'goto repair -file=" + reader.file() + "'");
    }

    /** Where the fields of a plain link record are, checked against its frame. */
    record LinkRecord(long createdMillis, int keyOffset, int keyLength, int urlOffset, int urlLength) {
        static LinkRecord at(LogReader reader) throws LogFormatException {
            return at(LinkRecords.Body.of(reader));
        }

        static LinkRecord at(LinkRecords.Body record) throws LogFormatException {
            byte[] bytes = record.bytes();
            int body = record.offset();
            int length = record.length();
            if (length < LogFormat.LINK_FIXED_BYTES + 1) {
                throw record.malformed("link", "its fields do not fill its frame");
            }
            int keyLength = bytes[body + 9] & 0xFF;
            int urlLengthAt = body + 10 + keyLength;
            if (keyLength == 0 || 10 + keyLength + 2 > length) {
                throw record.malformed("link", "its fields do not fill its frame");
            }
            int urlLength = ((bytes[urlLengthAt] & 0xFF) << 8) | (bytes[urlLengthAt + 1] & 0xFF);
            if (LogFormat.LINK_FIXED_BYTES + keyLength + urlLength != length || urlLength == 0) {
                throw record.malformed("link", "its fields do not fill its frame");
            }
            return new LinkRecord(LogReader.longAt(bytes, body + 1), body + 10, keyLength, urlLengthAt + 2, urlLength);
        }

        /** The key's counter; throws if the key is not one goto generates. */
        long counter(LogReader reader) throws LogFormatException {
            return counter(LinkRecords.Body.of(reader));
        }

        long counter(LinkRecords.Body record) throws LogFormatException {
            long counter = Keys.decode(record.bytes(), keyOffset, keyLength);
            if (counter < 0 || counter >= ShortCodes.MAX_COUNTER) {
                throw new LogFormatException(record.file(), record.recordOffset(), "key '"
                        + new String(record.bytes(), keyOffset, keyLength, StandardCharsets.ISO_8859_1)
                        + "' is not one goto generates");
            }
            return counter;
        }
    }
}
