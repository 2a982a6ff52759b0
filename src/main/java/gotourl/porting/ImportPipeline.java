package gotourl.porting;

import gotourl.porting.Importer.Judgement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One import's links read on one thread, judged on a few, and applied to the target in input
 * order on the caller's: the seeds' bounded queue and fixed pool of workers.
 *
 * <p>Design note. Judging a line (parsing it, JSON included, and applying the URL rules) is most
 * of an import's work and needs nothing but the line, so it runs on {@code judges} threads
 * ({@code goto-import-judge-N}), a batch of {@value #BATCH_LINES} lines at a time. The reader
 * ({@code goto-import-reader}) hands each batch to the pool and puts its future in a bounded queue
 * in input order; the caller takes the futures in that order and applies every judgement (the
 * store's appends, the idempotency check, the counts and the reports) on its own thread. So the
 * codes, the records' order and every message are those of a reading on one thread; the queue's
 * bound ({@value #BATCHES_AHEAD_PER_JUDGE} batches per judge) keeps the judges busy while the
 * caller writes, and caps what is held in memory at a few megabytes.
 *
 * <p>A reading that fails (invalid UTF-8, broken CSV quoting) fails after the links before it are
 * applied, as on one thread. When the caller stops (its target failed, a judge failed, it was
 * asked to stop, or it was interrupted), the reader and the judges are stopped and waited for
 * before {@link #run} returns; the links applied are a prefix of the input.
 */
final class ImportPipeline {
    /** Lines per batch: large enough that handing a batch over costs nothing beside judging it (~1 ms of work). */
    static final int BATCH_LINES = 1024;
    /** Batches read ahead per judge: enough to cover the caller's pauses (a write, a force), small enough to bound memory. */
    static final int BATCHES_AHEAD_PER_JUDGE = 4;
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** How often the caller, waiting for the next batch, looks whether it was asked to stop. */
    private static final long STOP_POLL_MILLIS = 50;

    /**
     * The import was asked to stop (Ctrl-C) and stopped between two batches: every link before
     * is applied, none after. A flag rather than an interrupt, because an interrupt would close the
     * data file's channel under a write.
     */
    static final class Stopped extends IOException {
        Stopped(long links) {
            super("stopped by a signal (Ctrl-C) after " + links + " links");
        }
    }

    /** A batch in input order: its judgements to come, then perhaps the failure that ended the reading, or its end. */
    private record Batch(Future<Judged> judged, Throwable failure, boolean last) {}

    private ImportPipeline() {}

    /** Judging threads for this machine: its cores, at most four (the caller's single appending thread is the bound past that). */
    static int defaultJudges() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Reads every link of {@code in} (in {@code format}), judges it and applies it to
     * {@code importer}, ticking {@code progress} once per link. Returns once all are applied;
     * throws the IOException that stopped the reading or the target (every link before it
     * applied), or a RuntimeException of a judge.
     */
    static void run(InputFormat format, BufferedReader in, Importer importer, ImportProgress progress, int judges)
            throws IOException {
        run(format, in, importer, progress, judges, () -> false);
    }

    /**
     * As {@link #run(InputFormat, BufferedReader, Importer, ImportProgress, int)}, and throws
     * {@link Stopped} within about {@value #STOP_POLL_MILLIS} ms (a batch's work) once
     * {@code stopRequested} says so.
     */
    static void run(InputFormat format, BufferedReader in, Importer importer, ImportProgress progress, int judges,
                    BooleanSupplier stopRequested) throws IOException {
        run(format, in::readLine, in, importer, progress, judges, stopRequested);
    }

    /** Whether {@code format} is read a line at a time (and can be read by {@link Utf8Lines}): goto's plain list and JSON Lines. */
    static boolean byLines(InputFormat format) {
        return format == InputFormat.PLAIN || format == InputFormat.GOTO_JSONL;
    }

    /**
     * As {@link #run(InputFormat, BufferedReader, Importer, ImportProgress, int, BooleanSupplier)}
     * for a format read {@link #byLines}, its lines from {@code lines}.
     */
    static void run(InputFormat format, Utf8Lines lines, Importer importer, ImportProgress progress, int judges,
                    BooleanSupplier stopRequested) throws IOException {
        if (!byLines(format)) {
            throw new IllegalArgumentException(format + " is not read line by line");
        }
        run(format, lines::readLine, null, importer, progress, judges, stopRequested);
    }

    /** Where the reader takes lines from, for the formats read {@link #byLines}. */
    private interface LineSource {
        /** The next line, or null at the end. */
        String readLine() throws IOException;
    }

    private static void run(InputFormat format, LineSource lines, BufferedReader in, Importer importer, ImportProgress progress,
                            int judges, BooleanSupplier stopRequested) throws IOException {
        BlockingQueue<Batch> ahead = new ArrayBlockingQueue<>(judges * BATCHES_AHEAD_PER_JUDGE);
        ExecutorService pool = Executors.newFixedThreadPool(judges, Thread.ofPlatform().name("goto-import-judge-", 1).daemon(true).factory());
        Thread reader = Thread.ofPlatform().name("goto-import-reader").daemon(true)
                .unstarted(() -> read(format, lines, in, importer, pool, ahead));
        reader.start();
        try {
            while (true) {
                Batch batch = ahead.poll(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (stopRequested.getAsBoolean()) {
                    throw new Stopped(importer.read());
                }
                if (batch == null) {
                    continue;
                }
                if (batch.judged() != null) {
                    Judged judged = await(batch.judged());
                    importer.upcoming(judged);
                    for (int i = 0; i < judged.size(); i++) {
                        if (judged.exportEnd(i) == null) { // the export's end record is no link
                            progress.link();
                        }
                        try {
                            importer.apply(judged, i);
                        } catch (IllegalArgumentException e) {
                            importer.invalid(judged.line(i), e.getMessage());
                        }
                    }
                }
                if (batch.failure() instanceof IOException e) {
                    throw e;
                }
                if (batch.failure() instanceof RuntimeException e) {
                    throw e;
                }
                if (batch.failure() instanceof Error e) {
                    throw e;
                }
                if (batch.last()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the import was interrupted");
        } finally {
            stop(reader, pool);
        }
    }

    private static Judged await(Future<Judged> judged) throws InterruptedException {
        try {
            return judged.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("judging a batch of lines failed", e.getCause());
        }
    }

    /**
     * Stops the reader and the judges and waits for them, up to {@value #STOP_WAIT_MILLIS} ms,
     * even when the caller was interrupted (its interrupt is kept for it): a judge finishes the
     * batch in hand (about a millisecond); a reader blocked on its input (a pipe) cannot be
     * interrupted, and is left to end with the process, as a daemon.
     */
    private static void stop(Thread reader, ExecutorService pool) {
        reader.interrupt();
        pool.shutdownNow();
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        while (true) {
            try {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                reader.join(left);
                left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                if (!pool.awaitTermination(left, TimeUnit.MILLISECONDS)) {
                    System.err.println("goto import: the judging threads did not stop within " + STOP_WAIT_MILLIS + " ms");
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the reader's side ----

    /** The reader thread: batches of lines (or of links read) to the pool, their futures to {@code ahead} in order. */
    private static void read(InputFormat format, LineSource lines, BufferedReader in, Importer importer, ExecutorService pool,
                             BlockingQueue<Batch> ahead) {
        Batcher batcher = new Batcher(format, importer, pool, ahead);
        Throwable failure = null;
        try {
            if (byLines(format)) {
                long number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    batcher.line(++number, line);
                }
            } else {
                LinkReaders.read(format, in, batcher);
            }
        } catch (InterruptedException stopped) {
            return; // the caller stopped: it reads nothing more
        } catch (IOException | RuntimeException | Error e) {
            failure = e; // an Error too: the caller, waiting for the last batch, must hear of it rather than wait forever
        }
        try {
            batcher.flush();
            ahead.put(new Batch(null, failure, true));
        } catch (InterruptedException | RejectedExecutionException stopped) {
            // the caller stopped meanwhile
        }
    }

    /**
     * Collects the reader's lines (plain lists and JSON Lines, parsed by the judges) or links
     * (other formats, parsed by the reader) into batches.
     */
    private static final class Batcher implements LinkReaders.Sink {
        private final InputFormat format;
        private final Importer importer;
        private final ExecutorService pool;
        private final BlockingQueue<Batch> ahead;
        private long firstLine;
        private List<String> lines = new ArrayList<>(BATCH_LINES);
        /** An export's end record read, with its line. */
        private record Ended(long line, ExportEnd end) {}

        /** Links read ({@link PortableLink}), invalid records ({@link Judgement}) and end records ({@link Ended}), in order. */
        private List<Object> read = new ArrayList<>(BATCH_LINES);

        Batcher(InputFormat format, Importer importer, ExecutorService pool, BlockingQueue<Batch> ahead) {
            this.format = format;
            this.importer = importer;
            this.pool = pool;
            this.ahead = ahead;
        }

        void line(long number, String line) throws InterruptedException {
            if (lines.isEmpty()) {
                firstLine = number;
            }
            lines.add(line);
            if (lines.size() == BATCH_LINES) {
                flush();
            }
        }

        @Override
        public void link(PortableLink link) throws IOException {
            add(link);
        }

        @Override
        public void invalid(long line, String problem) throws IOException {
            add(Judgement.invalid(line, problem));
        }

        @Override
        public void unreadable(long line, String problem) throws IOException {
            add(Judgement.unreadable(line, problem));
        }

        @Override
        public void exportEnd(long line, ExportEnd end) throws IOException {
            add(new Ended(line, end));
        }

        private void add(Object item) throws InterruptedIOException {
            read.add(item);
            if (read.size() == BATCH_LINES) {
                try {
                    flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("the import stopped");
                }
            }
        }

        /** Hands what is collected to the pool, its future to the queue (waiting while the queue is full). */
        void flush() throws InterruptedException {
            if (!lines.isEmpty()) {
                List<String> batch = lines;
                long first = firstLine;
                lines = new ArrayList<>(BATCH_LINES);
                ahead.put(new Batch(CompletableFuture.supplyAsync(() -> judgeLines(first, batch), pool), null, false));
            }
            if (!read.isEmpty()) {
                List<Object> batch = read;
                read = new ArrayList<>(BATCH_LINES);
                ahead.put(new Batch(CompletableFuture.supplyAsync(() -> judgeLinks(batch), pool), null, false));
            }
        }

        /** On a judge: the lines parsed and their links judged; a bare URL of a plain list without a judgement built. */
        private Judged judgeLines(long first, List<String> batch) {
            Judged judged = new Judged(batch.size());
            LinkReaders.Sink sink = new LinkReaders.Sink() {
                @Override
                public void link(PortableLink link) {
                    judged.add(judge(link));
                }

                @Override
                public void invalid(long line, String problem) {
                    judged.add(Judgement.invalid(line, problem));
                }

                @Override
                public void unreadable(long line, String problem) {
                    judged.add(Judgement.unreadable(line, problem));
                }

                @Override
                public void exportEnd(long line, ExportEnd end) {
                    judged.end(line, end);
                }
            };
            try {
                for (int i = 0; i < batch.size(); i++) {
                    if (format == InputFormat.PLAIN) {
                        String url = importer.plainUrl(batch.get(i));
                        if (url != null) {
                            // Computed here, on a judge, and kept in the String: the importing thread's
                            // look-ups of this URL (its fingerprint, the long-URL index) then read it.
                            url.hashCode();
                            judged.plain(first + i, url);
                        } else {
                            LinkReaders.plainLine(first + i, batch.get(i), sink);
                        }
                    } else {
                        GotoJsonLines.line(first + i, batch.get(i), sink);
                    }
                }
            } catch (IOException cannotHappen) {
                throw new java.io.UncheckedIOException(cannotHappen); // the sink above throws none
            }
            return judged;
        }

        /** On a judge: the links the reader read, judged. */
        private Judged judgeLinks(List<Object> batch) {
            Judged judged = new Judged(batch.size());
            for (Object item : batch) {
                if (item instanceof Ended ended) {
                    judged.end(ended.line(), ended.end());
                } else {
                    judged.add(item instanceof PortableLink link ? judge(link) : (Judgement) item);
                }
            }
            return judged;
        }

        /** A link judged; a field the link model refuses makes its line invalid, as the readers report it. */
        private Judgement judge(PortableLink link) {
            try {
                return importer.judge(link);
            } catch (IllegalArgumentException e) {
                return Judgement.invalid(link.line(), e.getMessage());
            }
        }
    }
}
