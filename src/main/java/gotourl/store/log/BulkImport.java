package gotourl.store.log;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.ShortCodes;
import gotourl.store.LinkChange;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The data file's bulk path, for {@code goto import} into a stopped goto's file: links appended
 * straight from this thread, a megabyte of records per write, and forced every
 * {@value #FORCE_BYTES} bytes and at {@link #finish}, instead of one group commit (and one force)
 * per add through the writer thread.
 *
 * <p>Design note. Each link is one record, written whole, after the file's last valid record and
 * in the order {@link #put} and {@link #create} were called. The records are the ones the writer writes
 * (a plain link record for a plain link under a counter key, a link-with-fields record otherwise),
 * so replay, repair, dump and compaction need nothing new. A crash (kill -9, power loss) at any
 * point leaves the file's old records and a prefix of the import's records; the next open drops
 * a torn last record, as it does after any crash, so the file never holds part of a link. Nothing
 * is acknowledged before {@link #finish} returns, and an import run again after a crash finds the
 * prefix already there (its links are unchanged, not added twice).
 *
 * <p>The file is locked as goto locks it: opening a file a running goto has open fails, saying so.
 * Not thread-safe: one importing thread owns it. The only thread it starts is a force's, one at a
 * time, which that thread joins before the next force, at {@link #finish} and at {@link #close}.
 */
public final class BulkImport implements AutoCloseable {
    /**
     * Bytes written between forces. Each force runs on its own thread ({@code goto-import-force})
     * while the import goes on writing, so that the importing thread does not wait for the disk;
     * {@link #finish} then forces only what was written since the last one. Nothing is
     * acknowledged before {@link #finish}, so these forces bound only how much a power loss can take
     * (a prefix stays), and how much the final force has to write.
     */
    static final long FORCE_BYTES = 32L << 20;
    private static final int BUFFER_BYTES = 1 << 20;

    private final LogFile log;
    private final LinkState state;
    /** The long URL of every link in the file, imported ones included: most URLs an import adds are new, and this says so cheaply. */
    private final UrlFingerprints urls = new UrlFingerprints();
    /** On the heap: records are encoded into its array (a direct buffer's puts cost a check each); a write copies it once. */
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    /** What {@link #lookAhead} read, kept so that the reads are not optimized away. */
    private long touched;
    private long unforcedBytes;
    private long written;
    /** The force running in the background, or null; owned by the importing thread, which joins it. */
    private Thread forcing;
    /** What the last background force threw; written by it before it ends, read after its join. */
    private IOException forceFailure;
    /** How many forces ran in the background so far (for tests). */
    private int backgroundForces;
    /**
     * True from a {@link #finish} that returned until the next change: the file then holds (and
     * has forced) exactly what the state holds, so its index image may be written.
     */
    private boolean whole;
    private boolean closed;
    /**
     * What the first failed write threw, or null. A write that failed may have written part of the
     * buffer, which is then in an unknown state: writing it again would append some records twice
     * after a torn one, and an empty retry would report links as written that are not. So once
     * set, every later write and {@link #finish} throws it instead, and the file keeps the prefix
     * that reached it (its torn tail cut at the next open).
     */
    private IOException writeFailure;
    /** The API keys the file holds (an import adds none), for its index image. */
    private final gotourl.apikey.ApiKeyTable apiKeys;
    /** How much of the file the index image loaded at open covered, or -1. */
    private final long imageEnd;

    /**
     * The key counter when the file was opened: keys below it may have been handed out by the
     * goto that kept the file; the counter moves past others only for this import's links.
     */
    private final long counterAtOpen;

    /** True when {@link #open} created the file: one this import adds nothing to is deleted at {@link #close}. */
    private final boolean created;

    private BulkImport(LogFile log, Replay replay, boolean created) {
        this.log = log;
        this.created = created;
        this.state = replay.state();
        this.apiKeys = replay.apiKeys();
        this.imageEnd = replay.imageEnd();
        this.counterAtOpen = state.counter();
        urls.reserve(state.size());
        state.forEach(link -> urls.add(link.longUrl()));
    }

    /**
     * Opens {@code file} (created if missing, and deleted again at {@link #close} if the import
     * adds nothing to it), replays it and locks it. Throws {@link LogFormatException} for a
     * corrupt file, and {@link IOException} when a goto has it open or it cannot be read.
     */
    public static BulkImport open(Path file) throws IOException {
        boolean existed = Files.exists(file);
        LogFile log = LogFile.open(file);
        try {
            Replay replay = Replay.run(log);
            if (log.channel().size() > replay.validEnd()) {
                // Zeros preallocated by a server after the last record: the import appends
                // megabytes between forces, so it appends as it always did, past the file's end,
                // where a crash leaves a prefix of what it wrote and never a gap before its last
                // records (which replay would have to judge). The server extends the file again.
                log.channel().truncate(replay.validEnd());
                log.channel().force(true);
            }
            return new BulkImport(log, replay, !existed);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** The link under {@code shortCode} (imported or there before), or null. */
    public Link lookup(String shortCode) {
        return state.index().get(shortCode);
    }

    /** The links to exactly {@code longUrl}, oldest first. */
    public List<Link> linksTo(String longUrl) {
        return urls.mightContain(longUrl) ? state.committedLinksTo(longUrl) : List.of();
    }

    /**
     * Says that links to {@code longUrl} are about to be looked up (by {@link #linksTo}) and
     * added: reads what they will read, so that a batch's lookups overlap their cache misses
     * instead of waiting for each in turn (see {@link UrlFingerprints#touch}). Changes nothing.
     */
    public void lookAhead(String longUrl) {
        touched ^= urls.touch(longUrl);
    }

    /**
     * Makes room for about {@code links} more links (an estimate; more or fewer are fine), so that
     * the indexes are sized once instead of growing as the links arrive.
     */
    public void expect(long links) {
        state.expectLinks(links);
        urls.reserve(links);
    }

    /** How many links the file holds now, with those imported so far. */
    public long size() {
        return state.size();
    }

    /**
     * Appends {@code link} as it is: its code, origin and creation time (to the second), in
     * whatever order the links come: a key the counter passed since the file was opened was
     * passed for this import's links, never handed out, and is free for a later one (see
     * {@link LinkState#planImport}). Throws {@link gotourl.store.LinkConflictException} when its
     * code is taken, or is a key the file's goto may have handed out, and IOException when
     * writing fails; nothing is kept then.
     */
    public void put(Link link) throws IOException {
        keep(state.planImport(link, counterAtOpen));
    }

    /**
     * Appends a link made from {@code draft} under the counter's next key (or the draft's slug),
     * created at {@code created}, and returns its short code; throws as {@link #put} does.
     */
    public String create(LinkDraft draft, Instant created) throws IOException {
        if (isPlain(draft)) {
            return Keys.encode(createPlain(draft.longUrl(), created));
        }
        LinkState.Plan plan = state.plan(List.of(new LinkChange.Create(draft)), created, false);
        keep(plan);
        return plan.writes().getFirst().after().shortCode();
    }

    /**
     * True when {@code draft} makes a plain link (a generated code and Shlink's defaults, no
     * author, no password): one {@link #createPlain} can append.
     */
    public static boolean isPlain(LinkDraft draft) {
        return draft.customSlug() == null && draft.shortCodeLength() == null && draft.title() == null
                && draft.tags().isEmpty() && draft.validSince() == null && draft.validUntil() == null && draft.maxVisits() == null
                && !draft.crawlable() && draft.forwardQuery() && draft.author() == null && draft.passwordHash() == null;
    }

    /**
     * Appends a plain link to {@code longUrl} (ASCII, as the URL rules leave it) under the
     * counter's next key, created at {@code created}, and returns that key's counter (its code is
     * {@link Keys#encode} of it): {@link #create} of a plain draft, with the record encoded
     * straight from the counter and the URL into the write buffer, and the link published to the
     * index without building it, its code or a plan. Throws {@link IllegalArgumentException} for a
     * URL no record holds (empty, past {@value LogFormat#MAX_URL_BYTES} characters, not ASCII) and
     * IOException when writing fails; nothing is kept then (the counter has moved past a key).
     */
    public long createPlain(String longUrl, Instant created) throws IOException {
        whole = false;
        long counter = state.allocateCounter();
        if (out.remaining() < LogFormat.linkFrameBytes(Keys.length(counter), longUrl.length())) {
            writeOut();
        }
        if (longUrl.length() > LogFormat.MAX_URL_BYTES) {
            throw new IllegalArgumentException("URL of " + longUrl.length() + " characters does not fit a record");
        }
        // The index first: it checks the URL is ASCII (and not empty, and its counter free), throwing
        // before anything changes; the record then copies the URL whole, with nothing left that can fail.
        state.publishPlain(counter, longUrl, created.getEpochSecond());
        LogFormat.putLink(out, crc, created.toEpochMilli(), counter, longUrl, true);
        urls.add(longUrl);
        return counter;
    }

    /**
     * Moves the key counter to at least {@code counter} (never back): the keys below it may have
     * been handed out where the links come from (an export's {@code nextKey}), so this file's goto
     * never hands them out. Appends a key reservation record, as the writer does in async mode,
     * when the counter moves; the keys the counter stood below when the file was opened stay the
     * only ones {@link #put} refuses, so it may come before the links too. Throws
     * IllegalArgumentException for a counter past {@link gotourl.link.ShortCodes#MAX_COUNTER}, and
     * IOException when writing fails.
     */
    public void reserveThrough(long counter) throws IOException {
        if (counter < 0 || counter > ShortCodes.MAX_COUNTER) {
            throw new IllegalArgumentException("key counter " + counter + " is outside 0.." + ShortCodes.MAX_COUNTER);
        }
        if (counter <= state.counter()) {
            return;
        }
        whole = false;
        if (out.remaining() < LogFormat.FRAME_BYTES + LogFormat.RESERVATION_BYTES) {
            writeOut();
        }
        LogFormat.putReservation(out, crc, System.currentTimeMillis(), counter);
        state.reserveThrough(counter);
    }

    /**
     * Records {@code code} as a deleted link's code, as the source's goto kept it: released (a
     * custom slug, free to claim again; the counter skips it when it is shaped like a key ahead
     * of it) or retired (a random code, never given again). Appends the record compaction keeps
     * for a deleted link's code ({@link LogFormat#CODE_FREED}), which replay applies as a delete
     * did, so the file's goto and its next start reach the same state. Returns false, writing
     * nothing, when a link has the code here (this file's own, or imported), it is freed already,
     * or it is a released slug shaped like a key this file's counter had passed before the import;
     * throws IllegalArgumentException for a code of a shape goto never makes for its kind, and
     * IOException when writing fails.
     */
    public boolean free(String code, boolean retired) throws IOException {
        String problem = freedCodeProblem(code, retired);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long key = ShortCodes.counterOf(code);
        if (state.index().get(code) != null || state.isFreed(code) || !retired && key >= 0 && key < counterAtOpen) {
            return false; // a released slug shaped like a key this file had handed out before the import would let a create take that key
        }
        whole = false;
        if (out.remaining() < LinkRecords.freedFrameBytes(code)) {
            writeOut();
        }
        LinkRecords.putFreed(out, crc, retired ? LinkRecords.FREED_RETIRED : LinkRecords.FREED_RELEASED, code);
        if (retired) {
            state.retire(code);
        } else {
            state.release(code);
        }
        return true;
    }

    /**
     * Why {@code code} cannot be recorded as freed ({@link #free}): not of the shape goto makes
     * for a custom slug (released) or a random code (retired), as replay checks it; null when it can.
     */
    public static String freedCodeProblem(String code, boolean retired) {
        boolean fits = retired
                ? code.length() >= ShortCodes.MIN_RANDOM_LENGTH && code.length() <= ShortCodes.MAX_RANDOM_LENGTH
                        && code.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))
                : !code.isEmpty() && code.length() <= ShortCodes.MAX_SLUG_CHARS
                        && code.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
        return fits ? null : "'" + code + "' is no " + (retired ? "random code" : "custom slug") + " goto makes";
    }

    /** The counter of the key this file's goto would hand out next. */
    public long nextCounter() {
        return state.nextCounter();
    }

    private void keep(LinkState.Plan plan) throws IOException {
        whole = false;
        LinkState.Change change = plan.writes().getFirst();
        Link link = change.after();
        boolean plain = change.counter() >= 0 && link.isPlain();
        int bytes = plain ? LogFormat.linkFrameBytes(link.shortCode(), link.longUrl()) : LinkRecords.fieldsFrameBytes(link);
        int rulesBytes = link.hasRedirectRules() ? RuleRecords.frameBytes(link.shortCode(), link.redirectRules()) : 0;
        if (out.remaining() < bytes + rulesBytes) {
            writeOut();
        }
        if (plain) {
            LogFormat.putLink(out, crc, link.dateCreated().toEpochMilli(), link.shortCode(), link.longUrl());
        } else {
            LinkRecords.putFields(out, crc, LogFormat.LINK_FIELDS, link.dateCreated().toEpochMilli(), link);
        }
        if (rulesBytes > 0) { // an exported link's rules, right after it, as compaction writes them
            RuleRecords.put(out, crc, link.dateCreated().toEpochMilli(), link.shortCode(), link.redirectRules());
        }
        state.publish(plan);
        urls.add(link.longUrl());
    }

    private void writeOut() throws IOException {
        if (writeFailure != null) {
            throw new IOException("an earlier write failed: " + writeFailure.getMessage(), writeFailure);
        }
        out.flip();
        try {
            while (out.hasRemaining()) {
                int bytes = log.channel().write(out);
                written += bytes;
                unforcedBytes += bytes;
            }
        } catch (IOException e) {
            writeFailure = e;
            throw e;
        }
        out.clear();
        if (unforcedBytes >= FORCE_BYTES) {
            awaitForce();
            unforcedBytes = 0;
            java.nio.channels.FileChannel channel = log.channel();
            backgroundForces++;
            forcing = Thread.ofPlatform().name("goto-import-force").daemon(true).start(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    forceFailure = e;
                }
            });
        }
    }

    /** Waits for the background force, if one runs; throws what it threw. */
    private void awaitForce() throws IOException {
        Thread running = forcing;
        if (running == null) {
            return;
        }
        Threads.joinUninterruptibly(running); // a force cannot be called back; the import's stop is a flag
        forcing = null;
        IOException failed = forceFailure;
        forceFailure = null;
        if (failed != null) {
            writeFailure = failed; // a failed force may have dropped written pages: nothing after it can be trusted
            throw new IOException("forcing the data file failed: " + failed.getMessage(), failed);
        }
    }

    /** Writes what is buffered and forces the file: from now on every link put or added is durable. */
    public void finish() throws IOException {
        if (closed) {
            throw new NoSuchFileException(log.file().toString(), null, "the import is closed");
        }
        writeOut();
        awaitForce();
        try {
            log.channel().force(false);
        } catch (IOException e) {
            writeFailure = e;
            throw e;
        }
        unforcedBytes = 0;
        whole = true;
    }

    /** How many forces this import started in the background so far, one per {@link #FORCE_BYTES} written. */
    int backgroundForces() {
        return backgroundForces;
    }

    /** True while a background force runs (its thread not yet joined). */
    boolean forcing() {
        return forcing != null;
    }

    /** Bytes this import appended so far (written, perhaps not yet forced). */
    public long bytesWritten() {
        return written;
    }

    /**
     * Releases the file; links not {@link #finish}ed may or may not be in it (a prefix of them).
     * After a {@link #finish} with nothing appended since, first writes the file's index image
     * (see {@link IndexImage}), so that the next start loads it instead of replaying every record;
     * a failure to write it is logged and changes nothing else. A file {@link #open} created and
     * nothing was added to is deleted instead, while still locked: an import of nothing leaves no
     * new file behind.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                awaitForce();
            } catch (IOException e) {
                // Not finished, or finish would have thrown it: nothing was acknowledged, and the
                // next open replays whatever prefix reached the disk.
                org.slf4j.LoggerFactory.getLogger("goto.import").warn("{}: {}", log.file(), e.getMessage());
            }
            if (!deleteIfNothingAdded() && whole) {
                writeImage();
            }
            log.close();
        }
    }

    /** Deletes the file when {@link #open} created it and it still holds its header alone; true when it did. */
    private boolean deleteIfNothingAdded() {
        try {
            if (created && written == 0 && state.size() == 0 && log.channel().size() <= LogFormat.HEADER_BYTES) {
                Files.delete(log.file());
                return true;
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger("goto.import").warn("{}: created for an import that added nothing, and could not"
                    + " be deleted ({}); it is an empty data file, which goto opens as one", log.file(), e.toString());
        }
        return false;
    }

    private void writeImage() {
        try {
            long end = log.channel().size();
            if (imageEnd == end && Files.exists(IndexImage.path(log.file()))) {
                return; // nothing appended since the image was loaded
            }
            if (IndexImage.savesNothing(state)) {
                IndexImage.deleteStale(log.file());
                return;
            }
            IndexImage.write(log, end, state, apiKeys, state.counter(), System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger("goto.import").warn("{}: could not write its index image ({}); the next start"
                    + " replays the whole file", log.file(), e.toString());
        }
    }
}
