package gotourl.store.log;

import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyStore;
import gotourl.apikey.ApiKeyTable;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrls;
import gotourl.link.ShortCodes;
import gotourl.store.LinkChange;
import gotourl.store.LinkState;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import gotourl.store.VisitCounts;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * goto's default store: links in a {@link LinkState} in memory, kept durable by an append-only
 * record log that one writer thread appends to (see {@link LogWriter} for what is guaranteed
 * when) and that {@link Compaction} rewrites when dead records pile up. Opening the store replays
 * the log; the store owns the writer and compactor threads and stops them on close. API keys are
 * kept in the same log (records 8 and 9), written and forced by the same writer.
 */
public final class LogLinkStore implements LinkStore, ApiKeyStore {

    /**
     * @param durable             answer changes after their record is forced (true) or once queued
     * @param queueCapacity       changes that may wait for the writer before more are refused as busy
     * @param flushInterval       async mode: how often written records are forced
     * @param clock               creation and edit times, and when a failed compaction may be retried
     * @param writeChannel        wraps each channel goto writes through (tests inject disk failures)
     * @param compactionHook      told of each step of a compaction (tests crash it there)
     * @param compactMinDeadBytes compaction runs by itself once dead bytes reach the live bytes and
     *                            this; {@link Long#MAX_VALUE} turns it off
     * @param indexImage          load the data file's index image at open if one matches, and write
     *                            it at a clean close ({@link IndexImage}); false: always replay the
     *                            whole file, and leave any image as it is
     * @param command             a command's store, opened for one change or one compaction and then
     *                            closed: a write failure or a failed compaction is the caller's to
     *                            report (it gets the failed future), so the store does not log it;
     *                            false (a server's store): logged for the operator, with what to do
     * @param preallocateChunkBytes extend the file ahead of the writer with zeros written and
     *                            forced once, this many bytes at a time ({@link Preallocation}:
     *                            faster forces), in a thread of the store's; 0 (and a command's
     *                            store) never. Off in {@link #defaults()}, whose file is exactly as
     *                            long as its records; goto's server turns it on
     */
    public record Options(boolean durable, int queueCapacity, Duration flushInterval, Clock clock,
                          CommitObserver observer, UnaryOperator<FileChannel> writeChannel, Compaction.Hook compactionHook,
                          long compactMinDeadBytes, boolean indexImage, boolean command, long preallocateChunkBytes) {
        /**
         * 4096 waiting changes: a group commit takes every waiting record, so the queue only fills
         * when the disk stalls; at ~60k adds/s that is ~70 ms of a stalled disk absorbed before
         * clients are told to retry, and at most 4096 URLs (32 MiB at the 8 KiB limit) held.
         */
        public static final int DEFAULT_QUEUE_CAPACITY = 4096;
        public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

        public Options {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1, not " + queueCapacity);
            }
            if (preallocateChunkBytes < 0) {
                throw new IllegalArgumentException("the preallocation chunk must not be negative, not " + preallocateChunkBytes);
            }
            if (compactMinDeadBytes < 0) {
                throw new IllegalArgumentException("the compaction threshold must not be negative, not " + compactMinDeadBytes);
            }
        }

        /** Durable, with the measured defaults. */
        public static Options defaults() {
            return new Options(true, DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL, Clock.systemUTC(), CommitObserver.NONE,
                    UnaryOperator.identity(), Compaction.Hook.NONE, Compaction.DEFAULT_MIN_DEAD_BYTES, true, false, 0);
        }

        public Options withDurable(boolean newDurable) {
            return new Options(newDurable, queueCapacity, flushInterval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(durable, capacity, flushInterval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        public Options withFlushInterval(Duration interval) {
            return new Options(durable, queueCapacity, interval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        public Options withClock(Clock newClock) {
            return new Options(durable, queueCapacity, flushInterval, newClock, observer, writeChannel, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        public Options withObserver(CommitObserver newObserver) {
            return new Options(durable, queueCapacity, flushInterval, clock, newObserver, writeChannel, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        public Options withWriteChannel(UnaryOperator<FileChannel> wrapper) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, wrapper, compactionHook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        Options withCompactionHook(Compaction.Hook hook) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, writeChannel, hook, compactMinDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        /** Compacts by itself once at least {@code minDeadBytes} are dead (and as many as are live). */
        public Options withCompactionThreshold(long minDeadBytes) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, writeChannel, compactionHook, minDeadBytes, indexImage, command, preallocateChunkBytes);
        }

        /** With or without the index image (see {@link #indexImage}). */
        public Options withIndexImage(boolean use) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes, use, command, preallocateChunkBytes);
        }

        /** With the file extended ahead of the writer by {@link Preallocation#CHUNK_BYTES}, or not (see {@link #preallocateChunkBytes}). */
        public Options withPreallocation(boolean on) {
            return withPreallocationChunk(on ? Preallocation.CHUNK_BYTES : 0);
        }

        /** With the file extended ahead of the writer {@code bytes} at a time (tests use small ones), 0 for never. */
        Options withPreallocationChunk(long bytes) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes,
                    indexImage, command, bytes);
        }

        /** A command's store (see {@link #command}): it reports failures to its caller alone. */
        public Options forCommand() {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, writeChannel, compactionHook, compactMinDeadBytes,
                    indexImage, true, preallocateChunkBytes);
        }
    }

    private final Path file;
    private final LinkState state;
    private final ArrayBlockingQueue<LogWriter.Pending> queue;
    private final Options options;
    private final LogWriter writer;
    private final Compaction compaction;
    private final Preallocation preallocation;
    private final Replay replay;
    private final AtomicLong liveBytes;
    private final LogApiKeys apiKeys;

    // Guarded by state (the admission lock); volatile so the writer and metrics can read them.
    private volatile long reservedThrough;
    private volatile boolean closing;

    private LogLinkStore(Path file, LogFile log, Replay replay, Options options) throws IOException {
        this.file = file;
        this.state = replay.state();
        this.replay = replay;
        this.options = options;
        this.liveBytes = new AtomicLong(replay.liveBytes());
        this.apiKeys = new LogApiKeys(replay.apiKeys());
        this.reservedThrough = state.counter();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        LogWriter.Admission admission = new LogWriter.Admission() {
            @Override
            public long reservedThrough() {
                return reservedThrough;
            }

            @Override
            public void reserved(long through) {
                reservedThrough = through;
            }

            @Override
            public Object lock() {
                return state;
            }
        };
        FileChannel out = options.writeChannel().apply(log.channel());
        this.writer = new LogWriter(out, replay.validEnd(), file, queue, state,
                options.durable(), options.flushInterval(), options.clock(), options.observer(), admission, liveBytes, options.command());
        this.compaction = new Compaction(log, state, liveBytes, options.writeChannel(), options.clock(), options.compactionHook(),
                options.compactMinDeadBytes(), admission, options.observer(), apiKeys, options.command());
        writer.compaction(compaction);
        compaction.writer(writer);
        // Replay left nothing but zeros after the last record: the file's size is where they end.
        this.preallocation = options.preallocateChunkBytes() > 0 && !options.command()
                ? new Preallocation(file, out, log.channel().size(), options.preallocateChunkBytes()) : Preallocation.off();
        writer.preallocation(preallocation);
    }

    /**
     * Why {@code file} is not an existing data file that a command on a stopped goto's file
     * ({@code goto compact}, {@code repair}, {@code upgrade}, {@code check}) can open, as words to
     * follow "FILE: ": {@code "no such data file"} when nothing is there, and for a directory or
     * another kind of file what it is and what to give instead; null for a regular file. It does
     * not read the file: whether it is goto's is for opening it to say.
     */
    public static String notADataFile(Path file) {
        if (java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        if (java.nio.file.Files.isDirectory(file)) {
            return "is a directory, not a data file; give -file the data file in it (such as "
                    + file.resolve("goto.data") + ")";
        }
        return java.nio.file.Files.exists(file) ? "is not a regular file, so not a goto data file; give -file the data file" : "no such data file";
    }

    /**
     * Opens {@code file}, creating it if absent: replays it, drops a torn tail, and starts the
     * writer and compactor. Throws {@link LogFormatException} when the file is corrupt, of an
     * unknown format, or of format version 1 (which {@code goto upgrade} converts), and
     * {@link IOException} when it is locked by another goto or cannot be read.
     */
    public static LogLinkStore open(Path file, Options options) throws IOException {
        LogFile log = LogFile.open(file);
        try {
            Replay replay = Replay.run(log, options.indexImage());
            LogLinkStore store = new LogLinkStore(file, log, replay, options);
            if (!options.durable()) {
                store.writer.reserveKeys(store.state.nextCounter() + LogWriter.KEYS_PER_RESERVATION);
            }
            store.writer.start();
            store.compaction.start();
            store.preallocation.start();
            return store;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<List<Link>> apply(List<LinkChange> changes) {
        if (changes.isEmpty() || changes.size() > MAX_BATCH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a batch holds 1 to " + MAX_BATCH + " changes, not " + changes.size()));
        }
        long counters = changes.stream().filter(LogLinkStore::mayTakeAKey).count();
        try {
            synchronized (state) {
                RuntimeException refusal = refusal(counters);
                if (refusal != null) {
                    return CompletableFuture.failedFuture(refusal);
                }
                LinkState.Plan plan = state.plan(changes, now(), options.durable());
                if (plan.writes().isEmpty()) {
                    state.publish(plan); // found or unchanged links: nothing to write
                } else {
                    queue.add(new LogWriter.Pending(plan, options.clock().millis()));
                    if (!options.durable()) {
                        state.publish(plan);
                    }
                }
                return plan.results();
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    private static boolean mayTakeAKey(LinkChange change) {
        return change instanceof LinkChange.Create create && create.draft().customSlug() == null
                && create.draft().shortCodeLength() == null;
    }

    /** The seed's add, without a batch's bookkeeping: the hot path of {@code /add}. */
    @Override
    public CompletableFuture<String> add(String url) {
        String unfit = LongUrls.problem(url);
        if (unfit != null) {
            // Refused here: queued, it would fail the writer's whole batch and stop all writing.
            return CompletableFuture.failedFuture(new IllegalArgumentException(unfit));
        }
        synchronized (state) {
            RuntimeException refusal = refusal(1);
            if (refusal != null) {
                return CompletableFuture.failedFuture(refusal);
            }
            LinkState.Plan plan;
            try {
                plan = state.planAdd(url, now());
            } catch (RuntimeException refused) { // the counter at its end: an answer, not an internal error
                return CompletableFuture.failedFuture(refused);
            }
            queue.add(new LogWriter.Pending(plan, 0));
            if (!options.durable()) {
                state.publish(plan);
            }
            String key = plan.writes().getFirst().after().shortCode();
            return plan.kept().thenApply(kept -> key);
        }
    }

    @Override
    public CompletableFuture<ApiKeyRecord> createApiKey(ApiKeyRecord key) {
        try {
            synchronized (state) {
                RuntimeException refusal = refusal(0);
                if (refusal != null) {
                    return CompletableFuture.failedFuture(refusal);
                }
                LogApiKeys.Write write = apiKeys.planCreate(key, options.clock().millis());
                queue.add(LogWriter.Pending.of(write));
                return write.done();
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public CompletableFuture<ApiKeyRecord> disableApiKey(String idOrName) {
        try {
            synchronized (state) {
                RuntimeException refusal = refusal(0);
                if (refusal != null) {
                    return CompletableFuture.failedFuture(refusal);
                }
                LogApiKeys.Write write = apiKeys.planDisable(idOrName, options.clock().millis());
                if (write == null) {
                    return CompletableFuture.completedFuture(apiKeys.published().byIdOrName(idOrName));
                }
                queue.add(LogWriter.Pending.of(write));
                return write.done();
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return state.notFoundRedirects();
    }

    /**
     * Writes a not-found redirects record through the writer's queue like an API-key change:
     * forced before it is acknowledged in either durability mode, and published (readers, then
     * the future) by the writer once it is; two sets are kept in the order they were asked.
     */
    @Override
    public CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        try {
            synchronized (state) {
                RuntimeException refusal = refusal(0);
                if (refusal != null) {
                    return CompletableFuture.failedFuture(refusal);
                }
                RedirectsWrite write = new RedirectsWrite(java.util.Objects.requireNonNull(redirects, "redirects"),
                        options.clock().millis(), state);
                queue.add(LogWriter.Pending.of(write));
                return write.done;
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /** The not-found redirects on their way to disk; published on the writer thread once forced. */
    private static final class RedirectsWrite implements LogWriter.SideWrite {
        private final gotourl.link.NotFoundRedirects redirects;
        private final long timeMillis;
        private final LinkState state;
        final CompletableFuture<gotourl.link.NotFoundRedirects> done = new CompletableFuture<>();
        private long liveBytesDelta;

        RedirectsWrite(gotourl.link.NotFoundRedirects redirects, long timeMillis, LinkState state) {
            this.redirects = redirects;
            this.timeMillis = timeMillis;
            this.state = state;
        }

        @Override
        public long timeMillis() {
            return timeMillis;
        }

        @Override
        public int frameBytes() {
            return NotFoundRedirectRecords.frameBytes(redirects);
        }

        @Override
        public void encode(java.nio.ByteBuffer out, java.util.zip.CRC32C crc) {
            NotFoundRedirectRecords.put(out, crc, timeMillis, redirects);
        }

        @Override
        public void publish() {
            // A compacted file keeps the last record only: this one replaces the one before.
            liveBytesDelta = NotFoundRedirectRecords.liveBytes(redirects) - NotFoundRedirectRecords.liveBytes(state.notFoundRedirects());
            state.publishNotFoundRedirects(redirects);
            done.complete(redirects);
        }

        @Override
        public long liveBytesDelta() {
            return liveBytesDelta;
        }

        @Override
        public void fail(RuntimeException why) {
            done.completeExceptionally(why);
        }
    }

    @Override
    public ApiKeyTable apiKeyTable() {
        return apiKeys.published();
    }

    /**
     * A visit of a limited link: reserved in memory (one compare-and-set, refused when exhausted),
     * then its record goes through the writer's queue and group commit like a change, and the
     * future completes once the record is forced, with its group commit's answers (on the writer,
     * or where {@link #answerOn} says). Admitted under the same lock as
     * changes, so that a stopping or failed store refuses it rather than leave it unanswered.
     */
    @Override
    public CompletableFuture<Boolean> reserveVisit(Link link) {
        VisitCounts counts = state.visitCounts();
        if (!counts.tryReserve(link)) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> counted = new CompletableFuture<>();
        synchronized (state) {
            RuntimeException refusal = refusal(0);
            if (refusal != null) {
                counts.release(link);
                return CompletableFuture.failedFuture(refusal);
            }
            queue.add(LogWriter.Pending.of(new LogWriter.CountedVisit(link, counted), options.clock().millis()));
        }
        return counted;
    }

    @Override
    public long visitsCounted(Link link) {
        return link.maxVisits() == null ? 0 : state.visitCounts().reserved(link);
    }

    /** Why a change that may take {@code keys} keys must be refused now, or null; under the admission lock. */
    private RuntimeException refusal(long keys) {
        String failure = writer.failure();
        if (failure != null) {
            return new StoreFailedException(failure, null);
        }
        if (closing) {
            return new StoreFailedException("goto is shutting down", null);
        }
        if (queue.remainingCapacity() == 0) {
            return new StoreBusyException("the write queue is full: " + queue.size() + " adds are waiting for the disk");
        }
        if (!options.durable() && state.nextCounter() + keys > reservedThrough) {
            return new StoreBusyException("waiting for the next block of keys to be reserved on disk");
        }
        return null;
    }

    private Instant now() {
        return options.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public Link lookup(String shortCode) {
        return state.index().get(shortCode);
    }

    @Override
    public gotourl.store.LinkIndex redirectIndex() {
        return state.index();
    }

    @Override
    public List<Link> linksTo(String longUrl) {
        return state.committedLinksTo(longUrl);
    }

    @Override
    public void forEach(Consumer<? super Link> action) {
        state.forEach(action);
    }

    @Override
    public gotourl.store.LinksPage list(gotourl.store.LinksQuery query) {
        return state.list(query);
    }

    @Override
    public java.util.Map<String, Long> tagCounts(String author) {
        return state.tagCounts(author);
    }

    @Override
    public List<String> crawlableShortCodes() {
        return state.crawlableShortCodes();
    }

    @Override
    public long size() {
        return state.size();
    }

    @Override
    public String failure() {
        String failed = writer.failure();
        if (failed != null) {
            return failed;
        }
        // A closed store refuses changes too; say so, as the LinkStore contract asks.
        return closing ? "the store is closed" : null;
    }

    /**
     * Compacts the data file now (online: links go on being served and changed) and completes
     * with what it did, or exceptionally if it failed (the file is then unchanged and in use).
     */
    public CompletableFuture<CompactionResult> compact() {
        return compaction.request();
    }

    public int queueDepth() {
        return queue.size();
    }

    /**
     * Bytes of the data file's records now: where the writer appends. The file may be longer by
     * the zeros preallocated after them ({@link Options#preallocate}).
     */
    public long fileBytes() {
        return writer.end();
    }

    /** Bytes the live links take in the file; the rest is dead until the next compaction. */
    public long liveBytes() {
        return liveBytes.get();
    }

    /**
     * The counter of the key this store hands out next (keys a custom slug or random code holds
     * skipped): every key below it may have been handed out, its link deleted since. Just after
     * {@link #open}, it is past the key reservations the file holds (async mode reserves keys
     * ahead of handing them out), as the counter of a goto restarted on the file is.
     */
    public long nextCounter() {
        return state.nextCounter();
    }

    @Override
    public boolean keysExhausted() {
        return state.nextCounter() >= ShortCodes.MAX_COUNTER;
    }

    /** The deleted custom slugs free to claim again, sorted (see {@link LinkState#releasedCodes}). */
    public List<String> releasedCodes() {
        return state.releasedCodes();
    }

    /** The deleted random codes never given again, sorted (see {@link LinkState#retiredCodes}). */
    public List<String> retiredCodes() {
        return state.retiredCodes();
    }

    /** What opening the store found: links loaded, time taken, torn bytes dropped. */
    public Replay replay() {
        return replay;
    }

    public Path file() {
        return file;
    }

    /**
     * Runs the answers of each durable group commit (and of counted visits) through
     * {@code executor}, one task per commit, instead of on the writer thread: goto passes the
     * HTTP server's selector ({@code WebServer.answers()}), so that the commit's responses are
     * written where a response costs least. The task only completes futures; by then every change
     * in it is forced and visible to readers. {@code executor} must run every task it is given,
     * exactly once (also after the server stops), and must not throw.
     */
    public void answerOn(java.util.concurrent.Executor executor) {
        writer.answerOn(executor);
    }

    @Override
    public int close(Duration deadline) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        synchronized (state) {
            closing = true;
        }
        writer.stop();
        int unfinished = 0;
        try {
            if (!writer.await(Duration.ofNanos(deadlineNanos - System.nanoTime()))) {
                unfinished = writer.abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                unfinished = writer.abandon();
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            compaction.await(Duration.ofSeconds(1).plusNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // It writes one slice at most after being told (a write and a force of 1 MiB): the file
        // is not closed under it, which would only end it with an error.
        preallocation.stop(Duration.ofSeconds(1).plusNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        // Not once the deadline has passed: the image only saves the next start time. Its write
        // gives up too when the deadline passes meanwhile (checked between blocks of about 1 MiB:
        // at 10M links it takes seconds); a kill during it leaves the temporary file, deleted at
        // the next start.
        if (options.indexImage() && unfinished == 0 && writer.failure() == null && !writer.isAlive() && !compaction.isAlive()
                && !Thread.currentThread().isInterrupted()) {
            if (System.nanoTime() < deadlineNanos) {
                writeImage(IndexImage.Deadline.atNanos(deadlineNanos));
            } else if (imageBehind()) {
                LoggerFactory.getLogger("goto.writer").warn("{}: did not write its index image: the close's deadline had passed"
                        + " before it began; the next start replays what no image covers", file);
            }
        }
        compaction.log().close();
        return unfinished;
    }

    /**
     * At a clean close, once the writer has written everything and ended: writes the index image
     * of the file as it is, unless the image loaded at open is still that of the whole file, or
     * an image would save nothing ({@link IndexImage#savesNothing}: no links). A
     * failure is logged and changes nothing else: the image only saves time at the next start.
     * Gives up, logging why, once {@code deadline} passes.
     */
    private void writeImage(IndexImage.Deadline deadline) {
        LogFile log = compaction.log();
        long end = writer.end();
        if (!imageBehind()) {
            return; // nothing written since the image was loaded
        }
        if (IndexImage.savesNothing(state)) {
            IndexImage.deleteStale(log.file());
            return;
        }
        try {
            log.channel().force(false);
            IndexImage.write(log, end, state, apiKeys.published(), Math.max(state.counter(), reservedThrough), options.clock().millis(),
                    deadline);
        } catch (IndexImage.DeadlinePassed e) {
            LoggerFactory.getLogger("goto.writer").warn("{}: did not write its index image: {} (the close's deadline); the next"
                    + " start replays what no image covers", file, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger("goto.writer").warn("{}: could not write its index image ({}); the next start replays what"
                    + " no image covers", file, e.toString());
        }
    }

    /** True unless the image loaded at open is still that of the whole file (nothing written since). */
    private boolean imageBehind() {
        return !(replay.imageEnd() == writer.end() && !compaction.renamed() && Files.exists(IndexImage.path(compaction.log().file())));
    }
}
