package gotourl.check;

import gotourl.fetch.Fetcher;
import gotourl.fetch.HostResolver;
import gotourl.link.Link;
import gotourl.store.LinkStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link health and titles in a running goto, started and stopped by {@code GotoService}: the
 * {@link HealthBook} the REST API reads, the background checker of {@code -check-interval} (one
 * named platform thread, {@code goto-checker}, running a {@link CheckRun} over every link each
 * interval), and the {@link TitleResolver} of {@code -resolve-titles}, sharing one {@link Fetcher}.
 */
public final class Checks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.check");

    private final CheckSettings settings;
    private final HealthBook book;
    private final Clock clock;
    private final Fetcher fetcher;
    private final TitleResolver titles;
    private ScheduledExecutorService checker;
    private volatile gotourl.fetch.Cancellation round = new gotourl.fetch.Cancellation();
    private volatile String lastFailure;

    private Checks(CheckSettings settings, HealthBook book, Clock clock, Fetcher fetcher) {
        this.settings = settings;
        this.book = book;
        this.clock = clock;
        this.fetcher = fetcher;
        this.titles = settings.resolveTitles() ? new TitleResolver(fetcher) : null;
    }

    /**
     * Loads the health kept beside {@code dataFile} (null: in memory, as with {@code -db} or
     * {@code :memory:}) and starts the fetcher if anything needs it. An unreadable health file is
     * logged and left alone (the next round rewrites it): health can always be checked again.
     */
    public static Checks start(CheckSettings settings, Path dataFile, Clock clock, HostResolver resolver) {
        HealthBook book = new HealthBook(dataFile == null ? null : HealthBook.fileBeside(dataFile));
        try {
            book.load();
        } catch (IOException e) {
            LOG.error("link health not loaded: {}", e.getMessage());
        }
        Fetcher fetcher = settings.fetches() ? Fetcher.start(settings.fetchOptions(), resolver) : null;
        return new Checks(settings, book, clock, fetcher);
    }

    /** The verdicts the REST API shows. */
    public HealthBook book() {
        return book;
    }

    /**
     * Keeps the verdicts in {@code keeper} from now on (PostgreSQL's, with {@code -db}: shared by
     * every node and kept across restarts) and reads those it holds. A failure to read them is
     * logged and left alone, as an unreadable side file is: health can always be checked again.
     */
    public void keepIn(HealthBook.Keeper keeper) {
        try {
            book.keepIn(keeper);
            LOG.info("link health: {} verdicts kept in {}", book.size(), keeper.where());
        } catch (IOException e) {
            LOG.error("link health not loaded from {}: {}", keeper.where(), e.getMessage());
        }
    }

    /** {@code store} as the routes should use it: with titles filled in when {@code -resolve-titles} is on. */
    public LinkStore forRoutes(LinkStore store) {
        return titles == null ? store : new TitlingStore(store, titles);
    }

    /**
     * Starts re-checking every link of {@code store} each {@code -check-interval} (nothing when it
     * is off): the first round at once unless the kept health is younger than an interval.
     */
    public void startChecking(LinkStore store) {
        if (settings.interval() == null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "goto-checker");
            thread.setDaemon(true);
            return thread;
        });
        long newest = book.entries().stream().mapToLong(e -> e.health().checkedAt().toEpochMilli()).max().orElse(Long.MIN_VALUE);
        long delayMillis = newest == Long.MIN_VALUE ? 0
                : Math.max(0, newest + settings.interval().toMillis() - clock.millis());
        checker.scheduleWithFixedDelay(() -> round(store), delayMillis, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("checking every link's long URL every {} (next in {} s), at most {} at once and {} per host",
                settings.interval(), delayMillis / 1000, settings.concurrency(), settings.perHost());
    }

    /** One round over every link; a failure is logged and kept for {@link #failure}, and the next round runs anyway. */
    void round(LinkStore store) {
        try {
            List<CheckRun.Target> targets = new ArrayList<>();
            store.forEach(link -> targets.add(new CheckRun.Target(link.shortCode(), link.dateCreated(), link.longUrl())));
            long started = System.nanoTime();
            gotourl.fetch.Cancellation cancel = new gotourl.fetch.Cancellation();
            round = cancel;
            List<CheckRun.Result> results = new CheckRun(new LinkChecker(fetcher, clock), settings.concurrency(), settings.perHost())
                    .run(targets, cancel, book::record);
            try {
                book.save(entry -> {
                    Link link = store.lookup(entry.shortCode());
                    return link != null && link.dateCreated().toEpochMilli() == entry.linkCreatedMillis();
                });
            } catch (IOException e) {
                if (book.failure() == null) {
                    throw e;
                }
                // The keeper holds the verdicts and retries them itself: its failure() reports the
                // trouble, and clears once they are written, without waiting for the next round.
                LOG.warn("link health not kept at the round's end (retried): {}", e.getMessage());
            }
            lastFailure = null;
            LOG.info("checked {} of {} links in {} ms: {}", results.size(), targets.size(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), new CheckReport(results).summaryLine());
        } catch (IOException | RuntimeException e) {
            lastFailure = "link check round failed: " + e.getMessage();
            LOG.error("{}; the next round runs in {}", lastFailure, settings.interval());
        }
    }

    /** Why the last round failed, or why verdicts are not being kept now; null when neither. */
    public String failure() {
        String round = lastFailure;
        return round != null ? round : book.failure();
    }

    /** Failed attempts to keep verdicts since start ({@link HealthBook#failedWrites}), for the metrics. */
    public long failedWrites() {
        return book.failedWrites();
    }

    /** Stops: the round in flight cancelled (its fetches aborted), titles stopped, the fetcher closed; within about two seconds. */
    @Override
    public void close() {
        round.cancel("goto is stopping");
        if (checker != null) {
            checker.shutdownNow();
            try {
                if (!checker.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("the link checker was still running 2 s after the stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (titles != null) {
            titles.close();
        }
        if (fetcher != null) {
            fetcher.close();
        }
    }
}
