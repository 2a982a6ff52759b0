package gotourl;

import gotourl.http.AddRoute;
import gotourl.http.AdminHandler;
import gotourl.http.AppHandler;
import gotourl.http.RedirectRoute;
import gotourl.http.WebServer;
import gotourl.link.LongUrlRules;
import gotourl.ops.ErrorLog;
import gotourl.ops.Health;
import gotourl.ops.LogLimiter;
import gotourl.ops.Metrics;
import gotourl.store.LinkStore;
import gotourl.store.MemoryLinkStore;
import gotourl.store.log.CommitObserver;
import gotourl.store.log.CompactionResult;
import gotourl.store.log.LogLinkStore;
import gotourl.store.log.Replay;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running goto: the store, the listeners, health and metrics, started in order and stopped in
 * reverse under one deadline. {@code goto} on the command line and the end-to-end tests both
 * start goto through here.
 */
public final class GotoService {
    private static final Logger LOG = LoggerFactory.getLogger("goto");

    /** goto could not start; the message says what to change. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Config config;
    private final WebServer web;
    private final LinkStore store;
    private final Health health;
    private final Metrics metrics;
    private final Visits visits;

    private GotoService(Config config, WebServer web, LinkStore store, Health health, Metrics metrics, Visits visits) {
        this.config = config;
        this.web = web;
        this.store = store;
        this.health = health;
        this.metrics = metrics;
        this.visits = visits;
    }

    /**
     * Opens the store goto serves from; the file store unless a test brings its own. It is called
     * once the listeners are bound, with the settings as bound (the real ports of {@code :0}).
     */
    @FunctionalInterface
    public interface StoreOpener {
        LinkStore open(Config config, Metrics metrics) throws IOException;
    }

    /**
     * Binds the listeners (so a port in use is reported before a long replay), opens the store,
     * then serves. {@code stop} is completed with a failure if a listener fails later.
     */
    public static GotoService start(Config config, StopSignal stop) throws StartException {
        return start(config, stop, Clock.systemUTC());
    }

    /** As {@link #start(Config, StopSignal)}, with {@code clock} for links' creation and validity (tests move it). */
    public static GotoService start(Config config, StopSignal stop, Clock clock) throws StartException {
        return start(config, stop, (c, metrics) -> openStore(c, metrics, clock), clock);
    }

    public static GotoService start(Config config, StopSignal stop, StoreOpener opener) throws StartException {
        return start(config, stop, opener, Clock.systemUTC());
    }

    /**
     * Opens the store visits are kept in; the visit log beside the data file unless a test brings
     * its own (one that fails, or holds the visits worker).
     */
    @FunctionalInterface
    public interface VisitStoreOpener {
        gotourl.visits.VisitStore open(Config config) throws IOException;
    }

    /** As {@link #start(Config, StopSignal, StoreOpener)}, with links' validity judged by {@code clock}'s time. */
    public static GotoService start(Config configured, StopSignal stop, StoreOpener opener, Clock clock) throws StartException {
        return start(configured, stop, opener, clock, Visits::openStore, gotourl.visits.Tracker.DEFAULT_CAPACITY);
    }

    /**
     * As {@link #start(Config, StopSignal, StoreOpener, Clock)}, with visits kept where
     * {@code visitStores} opens and a visit queue of {@code visitQueueCapacity} events.
     */
    public static GotoService start(Config configured, StopSignal stop, StoreOpener opener, Clock clock,
                                    VisitStoreOpener visitStores, int visitQueueCapacity) throws StartException {
        Config config = configured;
        Metrics metrics = config.admin() == null ? Metrics.disabled() : Metrics.enabled();
        Health health = new Health();
        Scheduler scheduler = WebServer.newScheduler();
        ErrorLog errors = new ErrorLog(LogLimiter.perMinute());
        AppHandler app = new AppHandler(new RedirectRoute(metrics, config.redirectStatus(), clock, errors),
                new AddRoute(config.host(), scheduler, config.queueWait(), metrics, errors), metrics, errors);
        WebServer web = WebServer.create(config.http(), app, config.admin(), new AdminHandler(health, metrics, errors),
                config.limits(), config.accessLog(), scheduler);
        web.countServerAnswers(metrics::refusedByServer);
        try {
            web.start();
        } catch (WebServer.ListenerException e) {
            metrics.close();
            throw new StartException(e.getMessage(), e);
        }
        config = config.boundTo(web.appPort(), web.adminPort());
        LongUrlRules rules = new LongUrlRules(SelfAddressLookup.of(config));
        LinkStore store;
        try {
            store = opener.open(config, metrics);
        } catch (IOException | RuntimeException e) {
            web.stop(Duration.ofSeconds(1));
            metrics.close();
            throw new StartException(describe(e), e);
        }
        Visits visits = Visits.open(config, clock, visitStores, visitQueueCapacity);
        metrics.watchVisits(visits.tracker());
        health.watchVisits(visits.tracker()::failure);
        app.open(store, rules, config.track() ? visits.tracker() : null);
        health.ready(store);
        web.onListenerFailure(reason -> {
            LOG.error("{}; goto stops both listeners", reason);
            stop.stop(reason, true);
        });
        GotoService service = new GotoService(config, web, store, health, metrics, visits);
        service.logStarted();
        return service;
    }

    /** goto's own link store: the data file of {@code -file}, or memory; links created at {@code clock}'s time. */
    public static StoreOpener defaultStoreOpener(Clock clock) {
        return (config, metrics) -> openStore(config, metrics, clock);
    }

    private static LinkStore openStore(Config config, Metrics metrics, Clock clock) throws IOException {
        if (config.file() == null) {
            LinkStore memory = new MemoryLinkStore(clock);
            metrics.watchStore(memory, null);
            return memory;
        }
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withDurable(config.sync()).withClock(clock)
                .withObserver(metrics.commitObserver());
        LogLinkStore log = LogLinkStore.open(config.file(), options);
        metrics.replayed(log.replay().took());
        metrics.watchStore(log, LogLinkStore::queueDepth);
        metrics.watchDataFile(log, LogLinkStore::fileBytes, LogLinkStore::liveBytes);
        return log;
    }

    private void logStarted() {
        if (store instanceof LogLinkStore log) {
            Replay replay = log.replay();
            LOG.info("loaded {} from {} in {} ms{}", plural(store.size(), "link"), config.file(), replay.took().toMillis(),
                    replay.droppedBytes() > 0 ? " (dropped a torn tail of " + replay.droppedBytes() + " bytes)" : "");
        }
        LOG.info("durability: {}", config.durabilityDescription());
        LOG.info("serving on {} as {}KEY; admin (health, metrics) {}", config.http(), config.host(),
                config.admin() == null ? "off" : "on " + config.admin());
    }

    public int appPort() {
        return web.appPort();
    }

    public int adminPort() {
        return web.adminPort();
    }

    public LinkStore store() {
        return store;
    }

    /** Where visits go and are read from (the REST API's visits routes query {@code tracker().store()}). */
    public gotourl.visits.Tracker tracker() {
        return visits.tracker();
    }

    /** The listeners; tests reach into them to make one fail. */
    public WebServer web() {
        return web;
    }

    /**
     * Stops in order under {@code config.shutdownTimeout()}: not ready, stop accepting, finish
     * in-flight requests, drain the write queue and force the file. Returns true if everything
     * finished before the deadline.
     */
    public boolean shutdown(String why) {
        Duration timeout = config.shutdownTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        health.stopping();
        LOG.info("stopping ({}): finishing in-flight requests and queued adds within {}", why, GoDuration.format(timeout));
        long cutOff = web.stop(remaining(deadline));
        int unrecorded = visits.close(remaining(deadline));
        String writeFailure = store.failure(); // read before close, which sets a reason of its own
        int unwritten = store.close(remaining(deadline));
        metrics.close();
        long tookMillis = timeout.toMillis() - remaining(deadline).toMillis();
        if (unrecorded > 0) {
            LOG.warn("{} queued at the deadline were not recorded", plural(unrecorded, "visit"));
        }
        if (cutOff == 0 && unwritten == 0 && writeFailure == null) {
            LOG.info("stopped cleanly in {} ms; {} stored", tookMillis, plural(store.size(), "link"));
            return true;
        }
        if (cutOff == 0 && unwritten == 0) {
            // The drain was clean, but adds were refused since the disk failed: exit non-zero so
            // that whatever restarts goto sees a failure, not a routine stop.
            LOG.error("stopped in {} ms with {} stored, after refusing adds since writing failed: {}", tookMillis,
                    plural(store.size(), "link"), writeFailure);
            return false;
        }
        LOG.error("stopped at the {} deadline with work unfinished: {} cut off, {} not written"
                + " (their clients got no answer, so none was acknowledged)", GoDuration.format(timeout), plural(cutOff, "request"),
                plural(unwritten, "queued add"));
        return false;
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return missing.getFile() + ": " + missing.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return denied.getFile() + ": permission denied; goto needs to read and write its data file";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
