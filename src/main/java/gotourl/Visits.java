package gotourl;

import gotourl.visits.LogVisitStore;
import gotourl.visits.MemoryVisitStore;
import gotourl.visits.Tracker;
import gotourl.visits.UserAgents;
import gotourl.visits.VisitStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * goto's visits, started and stopped with it: the visit store ({@code FILE.visits/} beside the
 * data file, in memory with {@code -file=:memory:}), the {@link Tracker} and its worker, and the
 * user-agent rules loading in the background. A visit store that cannot be opened does not stop
 * goto: the tracker starts failed, so that visits are counted as lost and health says why, while
 * links and redirects are served as ever.
 */
final class Visits {
    private static final Logger LOG = LoggerFactory.getLogger("goto.visits");

    private final Tracker tracker;
    private final VisitStore store;

    private Visits(Tracker tracker, VisitStore store) {
        this.tracker = tracker;
        this.store = store;
    }

    /**
     * Opens the store of {@code config} and starts the worker; the user-agent rules load in the
     * background when the first visit comes (visits that come before they are loaded wait on the
     * worker and are classified then).
     */
    static Visits open(Config config, Clock clock, GotoService.VisitStoreOpener opener, int capacity) {
        UserAgents agents = UserAgents.yauaa();
        VisitStore store;
        String failure = null;
        RuntimeException unexpected = null;
        try {
            store = opener.open(config);
        } catch (IOException | RuntimeException e) {
            store = new MemoryVisitStore(1); // never written: the tracker starts failed
            unexpected = e instanceof RuntimeException runtime ? runtime : null; // a fault of goto's: its trace is logged
            // One line saying what was wrong and what to do, not a stack trace nor an exception's class name.
            failure = "opening the visits store " + (config.db() != null ? config.db().describe() + " "
                    : config.visitsDir() == null ? "" : config.visitsDir() + " ") + "failed: " + whyNotOpened(e, config.visitsDir());
        }
        Tracker tracker = new Tracker(store, agents, capacity, config.visitsRetention(), clock);
        if (failure != null) {
            tracker.failedToOpen(failure, unexpected);
        }
        tracker.start(); // the user-agent rules load in the background once the first visit comes
        LOG.info("visits: {}{}", !config.track() ? "not tracked (-track=false)"
                : failure != null ? "not recorded: " + failure + " (said above); links and redirects are served as ever"
                : config.db() != null ? "tracked in " + config.db().describe()
                : config.visitsDir() == null ? "tracked in memory only" : "tracked in " + config.visitsDir(),
                config.visitsRetention() == null ? "" : ", kept " + GoDuration.format(config.visitsRetention()));
        return new Visits(tracker, store);
    }

    /** Why the visits store in {@code directory} (null: in the database) could not be opened, and what to do. */
    private static String whyNotOpened(Exception e, java.nio.file.Path directory) {
        if (e instanceof java.nio.file.AccessDeniedException denied && directory != null) {
            return (denied.getFile() == null ? directory : denied.getFile()) + ": permission denied: " + directory
                    + " does not let this user (" + System.getProperty("user.name") + ") create and write files there;"
                    + " give it write access there (visits are kept beside the data file), then restart goto";
        }
        return gotourl.porting.OutputFile.describe(e);
    }

    /** goto's own visit store: PostgreSQL with {@code -db}, the visit log in {@code FILE.visits/}, or memory with {@code -file=:memory:}. */
    static VisitStore openStore(Config config) throws IOException {
        if (config.db() != null) {
            return gotourl.store.pg.PgVisitStore.open(config.db()); // with -db, visits are shared by every node too
        }
        return config.visitsDir() == null ? new MemoryVisitStore() : LogVisitStore.open(config.visitsDir());
    }

    Tracker tracker() {
        return tracker;
    }

    /**
     * Drains the tracker's queue into the store and forces it, then closes the store, within
     * {@code deadline}. Returns how many queued visits were not recorded.
     */
    int close(Duration deadline) {
        int unrecorded = tracker.stop(deadline);
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            LOG.error("closing the visits store failed: {}", e.toString(), e);
        }
        return unrecorded;
    }
}
