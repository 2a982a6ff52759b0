package gotourl.store.log;

import gotourl.link.Keys;
import gotourl.store.LinkIndex;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * goto's default store: links in a {@link LinkIndex} in memory, kept durable by an append-only
 * record log that one writer thread appends to (see {@link LogWriter} for what is guaranteed when).
 * Opening the store replays the log; the store owns the writer thread and stops it on close.
 */
public final class LogLinkStore implements LinkStore {

    /**
     * @param durable        answer adds after their record is forced (true) or once queued
     * @param queueCapacity  adds that may wait for the writer before adds are refused as busy
     * @param flushInterval  async mode: how often written records are forced
     * @param writeChannel   wraps the channel the writer appends through (tests inject disk failures)
     */
    public record Options(boolean durable, int queueCapacity, Duration flushInterval, Clock clock,
                          CommitObserver observer, UnaryOperator<FileChannel> writeChannel) {
        /**
         * 4096 waiting adds: a group commit takes every waiting record, so the queue only fills
         * when the disk stalls; at ~60k adds/s that is ~70 ms of a stalled disk absorbed before
         * clients are told to retry, and at most 4096 URLs (32 MiB at the 8 KiB limit) held.
         */
        public static final int DEFAULT_QUEUE_CAPACITY = 4096;
        public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

        public Options {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1, not " + queueCapacity);
            }
        }

        /** Durable, with the measured defaults. */
        public static Options defaults() {
            return new Options(true, DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL, Clock.systemUTC(), CommitObserver.NONE,
                    UnaryOperator.identity());
        }

        public Options withDurable(boolean newDurable) {
            return new Options(newDurable, queueCapacity, flushInterval, clock, observer, writeChannel);
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(durable, capacity, flushInterval, clock, observer, writeChannel);
        }

        public Options withFlushInterval(Duration interval) {
            return new Options(durable, queueCapacity, interval, clock, observer, writeChannel);
        }

        public Options withObserver(CommitObserver newObserver) {
            return new Options(durable, queueCapacity, flushInterval, clock, newObserver, writeChannel);
        }

        public Options withWriteChannel(UnaryOperator<FileChannel> wrapper) {
            return new Options(durable, queueCapacity, flushInterval, clock, observer, wrapper);
        }
    }

    private final Path file;
    private final LogFile log;
    private final LinkIndex index;
    private final ArrayBlockingQueue<LogWriter.Pending> queue;
    private final Options options;
    private final LogWriter writer;
    private final Replay replay;
    private final Object admission = new Object();

    // Guarded by admission; volatile so the writer and metrics can read them.
    private volatile long nextCounter;
    private volatile long reservedThrough;
    private volatile boolean closing;

    private LogLinkStore(Path file, LogFile log, Replay replay, Options options) {
        this.file = file;
        this.log = log;
        this.index = replay.index();
        this.replay = replay;
        this.options = options;
        this.nextCounter = replay.nextCounter();
        this.reservedThrough = replay.nextCounter();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.writer = new LogWriter(options.writeChannel().apply(log.channel()), file, queue, index, options.durable(), options.flushInterval(),
                options.clock(), options.observer(), new LogWriter.Admission() {
                    @Override
                    public long next() {
                        return nextCounter;
                    }

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
                        return admission;
                    }
                });
    }

    /**
     * Opens {@code file}, creating it if absent: replays it, drops a torn tail, and starts the
     * writer. Throws {@link LogFormatException} when the file is corrupt or of an unknown format,
     * and {@link IOException} when it is locked by another goto or cannot be read.
     */
    public static LogLinkStore open(Path file, Options options) throws IOException {
        LogFile log = LogFile.open(file);
        try {
            Replay replay = Replay.run(log);
            LogLinkStore store = new LogLinkStore(file, log, replay, options);
            if (!options.durable()) {
                store.writer.reserveKeys(store.nextCounter + LogWriter.KEYS_PER_RESERVATION);
            }
            store.writer.start();
            return store;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<String> add(String url) {
        String unfit = LogFormat.urlProblem(url);
        if (unfit != null) {
            // Refused here: queued, it would fail the writer's whole batch and stop all writing.
            return CompletableFuture.failedFuture(new IllegalArgumentException(unfit));
        }
        synchronized (admission) {
            String failure = writer.failure();
            if (failure != null) {
                return CompletableFuture.failedFuture(new StoreFailedException(failure, null));
            }
            if (closing) {
                return CompletableFuture.failedFuture(new StoreFailedException("goto is shutting down", null));
            }
            long counter = nextCounter;
            if (!options.durable() && counter >= reservedThrough) {
                return CompletableFuture.failedFuture(new StoreBusyException("waiting for the next block of keys to be reserved on disk"));
            }
            String key = Keys.encode(counter);
            CompletableFuture<String> done = new CompletableFuture<>();
            if (!queue.offer(new LogWriter.Pending(counter, key, url, options.clock().millis(), done))) {
                return CompletableFuture.failedFuture(new StoreBusyException(
                        "the write queue is full: " + queue.size() + " adds are waiting for the disk"));
            }
            nextCounter = counter + 1;
            if (!options.durable()) {
                index.put(counter, url);
                done.complete(key);
            }
            return done;
        }
    }

    @Override
    public String lookup(String key) {
        return index.get(Keys.decode(key));
    }

    @Override
    public long size() {
        return index.size();
    }

    @Override
    public String failure() {
        String failed = writer.failure();
        if (failed != null) {
            return failed;
        }
        // A closed store refuses adds too; say so, as the LinkStore contract asks.
        return closing ? "the store is closed" : null;
    }

    public int queueDepth() {
        return queue.size();
    }

    /** What opening the store found: links loaded, time taken, torn bytes dropped. */
    public Replay replay() {
        return replay;
    }

    public Path file() {
        return file;
    }

    @Override
    public int close(Duration deadline) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        synchronized (admission) {
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
        log.close();
        return unfinished;
    }
}
