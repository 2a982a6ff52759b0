package gotourl;

import gotourl.api.ApiOptions;
import gotourl.api.RestApi;
import gotourl.apikey.ApiKeyAdmin;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyStore;
import gotourl.apikey.ApiKeys;
import gotourl.apikey.StoredApiKeys;
import gotourl.control.ControlServer;
import gotourl.control.LocalKeyOperations;
import gotourl.events.EventFeed;
import gotourl.events.Tickets;
import gotourl.files.OwnerOnly;
import gotourl.http.AddRoute;
import gotourl.http.AdminHandler;
import gotourl.http.AppHandler;
import gotourl.http.RedirectRoute;
import gotourl.protect.PasswordChecks;
import gotourl.protect.ProtectedRoute;
import gotourl.protect.UnlockLimits;
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
import gotourl.store.pg.PgLinkStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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
    private final ApiKeys apiKeys;
    private final ControlServer control;
    private final Visits visits;
    private final PasswordChecks passwords;
    private final EventFeed events;
    private final gotourl.check.Checks checks;

    private GotoService(Config config, WebServer web, LinkStore store, Health health, Metrics metrics, ApiKeys apiKeys,
                        ControlServer control, Visits visits, PasswordChecks passwords, EventFeed events,
                        gotourl.check.Checks checks) {
        this.passwords = passwords;
        this.events = events;
        this.checks = checks;
        this.config = config;
        this.web = web;
        this.store = store;
        this.health = health;
        this.metrics = metrics;
        this.apiKeys = apiKeys;
        this.control = control;
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

    /** As {@link #start(Config, StopSignal)}, with the REST API's {@code api} options (see the five-argument start). */
    public static GotoService start(Config config, StopSignal stop, ApiOptions api) throws StartException {
        Clock clock = Clock.systemUTC();
        return start(config, stop, (c, metrics) -> openStore(c, metrics, clock), clock, api);
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
        return start(configured, stop, opener, clock, ApiOptions.defaults());
    }

    /**
     * As {@link #start(Config, StopSignal, StoreOpener, Clock)}, with the REST API's
     * {@code api} options: the seam where test keys ({@link ApiOptions#withKeys}) and the
     * visit counts ({@link ApiOptions#withVisits}) plug in. Without keys of its own, the API
     * authenticates through the store's.
     */
    public static GotoService start(Config configured, StopSignal stop, StoreOpener opener, Clock clock, ApiOptions api)
            throws StartException {
        return start(configured, stop, opener, clock, api, Visits::openStore, gotourl.visits.Tracker.DEFAULT_CAPACITY);
    }

    /**
     * As {@link #start(Config, StopSignal, StoreOpener, Clock)}, with visits kept where
     * {@code visitStores} opens and a visit queue of {@code visitQueueCapacity} events.
     */
    public static GotoService start(Config configured, StopSignal stop, StoreOpener opener, Clock clock,
                                    VisitStoreOpener visitStores, int visitQueueCapacity) throws StartException {
        return start(configured, stop, opener, clock, ApiOptions.defaults(), visitStores, visitQueueCapacity);
    }

    /** The whole of it: links from {@code opener}, the REST API's {@code api}, visits from {@code visitStores}. */
    public static GotoService start(Config configured, StopSignal stop, StoreOpener opener, Clock clock, ApiOptions api,
                                    VisitStoreOpener visitStores, int visitQueueCapacity) throws StartException {
        Config config = configured;
        Metrics metrics = config.admin() == null ? Metrics.disabled() : Metrics.enabled();
        Health health = new Health();
        Scheduler scheduler = WebServer.newScheduler();
        ErrorLog errors = new ErrorLog(LogLimiter.perMinute());
        // The keys are the store's, known once it is open; until then the REST API answers 503.
        // A test's own keys (api.keys()) take their place.
        AtomicReference<ApiKeys> storeKeys = new AtomicReference<>(ApiOptions.NO_KEYS);
        ApiOptions options = api.keys() != ApiOptions.NO_KEYS ? api
                : api.withKeys((presented, now) -> storeKeys.get().authenticate(presented, now));
        // The visits routes read the tracker's store, known once visits are open (after the links).
        AtomicReference<gotourl.visits.Tracker> apiTracker = new AtomicReference<>();
        AtomicReference<LinkStore> apiLinks = new AtomicReference<>();
        if (options.visits() == gotourl.api.ApiVisits.NONE) {
            options = options.withVisits(gotourl.api.ApiVisits.of(apiTracker::get, apiLinks::get));
        }
        // Link health (goto check, -check-interval) and titles (-resolve-titles); health is kept beside the data file.
        gotourl.check.Checks checks = gotourl.check.Checks.start(config.checks(), config.db() == null ? config.file() : null, clock,
                gotourl.fetch.HostResolver.SYSTEM);
        options = options.withHealth(link -> {
            gotourl.check.LinkHealth verdict = checks.book().healthOf(link);
            return verdict == null ? null : new gotourl.api.ApiHealth.Health(verdict.state().label(), verdict.status(),
                    verdict.location(), verdict.checkedAt());
        });
        // Protected links: hashes made and checked off the selector threads, a bounded number at once.
        PasswordChecks passwords = new PasswordChecks();
        EventFeed events = new EventFeed(EventFeed.Options.defaults(), RestApi.shortUrlJson(options, config.host()),
                new Tickets(clock));
        RestApi rest = new RestApi(options, config.host(), scheduler, config.queueWait(), clock, health::notReadyReason, passwords,
                events);
        gotourl.web.WebApp pages = new gotourl.web.WebApp(config.host(), config.addAccess().publicAdd());
        AddRoute add = new AddRoute(config.host(), scheduler, config.queueWait(), metrics, errors, config.addAccess(), clock, pages);
        add.onCreated(events::linkCreated);
        AppHandler app = new AppHandler(new RedirectRoute(metrics, config.redirectStatus(), clock, errors,
                        new ProtectedRoute(passwords, new UnlockLimits(clock), config.host().origin())), add, rest,
                new gotourl.qr.QrCodeRoute(config.host(), clock), pages, metrics, errors);
        // Requests that arrive while the links load wait for them (a click on a link during a
        // restart gets its redirect), each no longer than a request may take to arrive.
        app.holdWhileStarting(config.limits().maxConnections(), config.limits().requestTimeout());
        WebServer web = WebServer.create(config.http(), app, config.admin(), new AdminHandler(health, metrics, errors),
                config.limits(), config.accessLog(), scheduler);
        web.countServerAnswers(metrics::refusedByServer);
        try {
            web.start();
        } catch (WebServer.ListenerException e) {
            checks.close();
            metrics.close();
            passwords.close();
            throw new StartException(e.getMessage(), e);
        }
        config = config.boundTo(web.appPort(), web.adminPort());
        LongUrlRules rules = new LongUrlRules(SelfAddressLookup.of(config));
        LinkStore store;
        try {
            store = opener.open(config, metrics);
        } catch (IOException | RuntimeException e) {
            app.stopHolding();
            web.stop(Duration.ofSeconds(1));
            checks.close();
            metrics.close();
            passwords.close();
            throw new StartException(describe(e), e);
        }
        if (store instanceof LogLinkStore log) {
            log.answerOn(web.answers()); // a group commit's responses written from the selector (BENCHMARKS.md, "Durable adds")
        }
        ControlServer control;
        try {
            ensureInitialApiKey(config, store, clock);
            control = startControl(config, store, clock);
        } catch (StartException e) {
            store.close(Duration.ofSeconds(5));
            app.stopHolding();
            web.stop(Duration.ofSeconds(1));
            checks.close();
            metrics.close();
            passwords.close();
            throw e;
        }
        storeKeys.set(apiKeysOf(store));
        Visits visits = Visits.open(config, clock, visitStores, visitQueueCapacity);
        metrics.watchVisits(visits.tracker());
        apiTracker.set(visits.tracker());
        apiLinks.set(store);
        visits.tracker().publishTo(events::visitsRecorded);
        events.start(store::lookup);
        metrics.watchEvents(events);
        health.watchVisits(visits.tracker()::failure);
        health.watchChecks(checks::failure);
        metrics.watchChecks(checks);
        if (store instanceof PgLinkStore pg) {
            checks.keepIn(pg.linkHealth()); // with -db, health lives in the database, shared by every node
        }
        app.open(checks.forRoutes(store), rules, config.track() ? visits.tracker() : null);
        checks.startChecking(store);
        health.ready(store);
        web.onListenerFailure(reason -> {
            LOG.error("{}; goto stops both listeners", reason);
            stop.stop(reason, true);
        });
        GotoService service = new GotoService(config, web, store, health, metrics, apiKeysOf(store), control, visits, passwords,
                events, checks);
        service.logStarted();
        // The JVM's meters are bound at the first scrape (Metrics.scrape), not here.
        return service;
    }

    /**
     * The API keys the REST API authenticates through: those {@code store} keeps when it is an
     * {@link ApiKeyStore} (read lock-free from its published table), else none (every key refused).
     */
    public static ApiKeys apiKeysOf(LinkStore store) {
        if (store instanceof ApiKeyStore keys) {
            return StoredApiKeys.of(keys);
        }
        return (presented, now) -> new ApiKeys.Authentication.Refused(presented == null || presented.isEmpty(),
                "this goto's store keeps no API keys, so the REST API accepts none");
    }

    /** {@code -initial-api-key}: created unless a key has its value; the value itself is never logged. */
    private static void ensureInitialApiKey(Config config, LinkStore store, Clock clock) throws StartException {
        if (config.initialApiKey() == null) {
            return;
        }
        if (!(store instanceof ApiKeyStore keys)) {
            throw new StartException("-initial-api-key is set, but this store keeps no API keys", null);
        }
        try {
            java.util.Optional<ApiKeyRecord> created = new ApiKeyAdmin(keys, clock).ensureInitial(config.initialApiKey().value())
                    .get(LocalKeyOperations.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            if (created.isPresent()) {
                LOG.info("created the initial API key as admin key '{}' (id {}){}", created.get().name(), created.get().id(),
                        keys.apiKeyTable().size() > 1 ? "; keys made before stay valid until disabled (goto api-key list)" : "");
            } else {
                ApiKeyRecord existing = keys.apiKeyTable().byHash(gotourl.apikey.KeyHash.of(config.initialApiKey().value()));
                if (!existing.enabled()) {
                    LOG.warn("the initial API key (-initial-api-key) is key '{}', which was disabled: it is refused", existing.name());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while creating the initial API key", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            if (keys.apiKeyTable().byHash(gotourl.apikey.KeyHash.of(config.initialApiKey().value())) != null) {
                return; // another node on the same database created it at the same moment
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StartException("cannot create the initial API key (-initial-api-key): " + cause.getMessage(), cause);
        }
    }

    /** The control socket beside the data file, for {@code goto api-key} while goto runs; null in memory mode or if it cannot be made. */
    private static ControlServer startControl(Config config, LinkStore store, Clock clock) {
        if (config.file() == null || !(store instanceof ApiKeyStore keys)) {
            return null;
        }
        noteNode(config);
        if (config.db() != null && answers(ControlServer.socketOf(config.file()))) {
            // Another node on this database, beside the same -file, serves it: its keys are these.
            LOG.info("goto api-key reaches this database through the node already serving {}", ControlServer.socketOf(config.file()));
            return null;
        }
        try {
            return ControlServer.start(ControlServer.socketOf(config.file()),
                    new LocalKeyOperations(keys, clock, "the running goto", null));
        } catch (IOException e) {
            LOG.warn("{}; stop goto to manage keys on its file", e.getMessage());
            return null;
        }
    }

    /**
     * Writes, or with no {@code -db} deletes, the note that says this {@code -file} belongs to a
     * node on PostgreSQL ({@link ControlServer#nodeNoteOf}); a failure is logged and changes nothing else.
     */
    private static void noteNode(Config config) {
        java.nio.file.Path note = ControlServer.nodeNoteOf(config.file());
        try {
            if (config.db() != null) {
                // 0600 when new, as everything beside the data file.
                OwnerOnly.write(note, (config.db().describe() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                java.nio.file.Files.deleteIfExists(note);
            }
        } catch (java.io.IOException e) {
            LOG.warn("cannot {} {} ({}): goto api-key -file on a stopped node {}", config.db() != null ? "write" : "delete", note,
                    gotourl.porting.OutputFile.describe(e), config.db() != null ? "will make a data file whose keys no node reads"
                    : "will refuse this file as a node's");
        }
    }

    /** True when a goto answers on the control socket {@code socket} (with -db, nodes hold no file lock that says so). */
    private static boolean answers(java.nio.file.Path socket) {
        if (!java.nio.file.Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            probe.connect(java.net.UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | RuntimeException stale) {
            return false;
        }
    }

    /** goto's own link store: the data file of {@code -file}, or memory; links created at {@code clock}'s time. */
    public static StoreOpener defaultStoreOpener(Clock clock) {
        return (config, metrics) -> openStore(config, metrics, clock);
    }

    private static LinkStore openStore(Config config, Metrics metrics, Clock clock) throws IOException {
        if (config.db() != null) {
            PgLinkStore pg = PgLinkStore.open(config.db(), PgLinkStore.Options.defaults().withClock(clock));
            metrics.watchStore(pg, PgLinkStore::queueDepth);
            return pg;
        }
        if (config.file() == null) {
            LinkStore memory = new MemoryLinkStore(clock);
            metrics.watchStore(memory, null);
            return memory;
        }
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withDurable(config.sync()).withClock(clock)
                .withObserver(metrics.commitObserver()).withPreallocation(true);
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

    /**
     * The API keys the REST API authenticates through ({@link #apiKeysOf} of the store): built
     * once at start, safe to call on every request.
     */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The control socket {@code goto api-key} reaches this goto through, or null (memory mode, or it could not be made). */
    public java.nio.file.Path controlSocket() {
        return control == null ? null : control.socket();
    }

    /** Where visits go and are read from (the REST API's visits routes query {@code tracker().store()}). */
    public gotourl.visits.Tracker tracker() {
        return visits.tracker();
    }

    /** The live feed ({@code GET /rest/v3/events}); tests read its counts. */
    public EventFeed events() {
        return events;
    }

    /** Link health and titles: the verdicts the REST API shows ({@code checks().book()}). */
    public gotourl.check.Checks checks() {
        return checks;
    }

    /** The listeners; tests reach into them to make one fail. */
    public WebServer web() {
        return web;
    }

    /**
     * Stops in order under {@code config.shutdownTimeout()}: not ready, stop accepting, finish
     * in-flight requests, drain the write queue and force the file (and write its index image),
     * then record the queued visits. Returns true if every link finished before the deadline.
     */
    public boolean shutdown(String why) {
        Duration timeout = config.shutdownTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        health.stopping();
        if (control != null) {
            control.close();
        }
        LOG.info("stopping ({}): finishing in-flight requests and queued adds within {}", why, GoDuration.format(timeout));
        // Live-feed streams never finish by themselves: end them first, or the drain would wait for them.
        events.close(remaining(deadline));
        long cutOff = web.stop(remaining(deadline));
        passwords.close(remaining(deadline));
        checks.close();
        // The links before the visits: the visits worker may wait, up to the deadline, for the
        // user-agent rules that the visits it holds need (they load for seconds after the first
        // visit with an agent); waited for first, that left the store's drain, force and index
        // image no time, and the next start replayed the whole data file. Neither needs the other.
        String writeFailure = store.failure(); // read before close, which sets a reason of its own
        int unwritten = store.close(remaining(deadline));
        int unrecorded = visits.close(remaining(deadline));
        metrics.close();
        // Measured, not the timeout less what remains: a stop that runs past its deadline says so.
        long tookMillis = (System.nanoTime() - (deadline - timeout.toNanos())) / 1_000_000;
        if (cutOff == 0 && unwritten == 0 && writeFailure == null) {
            // Every link made it (exit 0); visits the deadline cut off are said, not called clean.
            LOG.info("stopped {}in {} ms; {} stored{}", unrecorded == 0 ? "cleanly " : "", tookMillis, plural(store.size(), "link"),
                    unrecorded == 0 ? "" : "; " + plural(unrecorded, "visit") + " not recorded (said above)");
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

    /**
     * What was wrong with the data file, and what to do, in one line. A file that does not exist
     * yet is one goto failed to create: the trouble is its directory, not the file.
     */
    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing && missing.getReason() == null) {
            return missing.getFile() + ": cannot be created: the system refuses a new file there (no such file or directory); point -file at a"
                    + " directory on an ordinary disk";
        }
        // The commands' words for a file refused (OutputFile.describe), with what a server's data file needs.
        String line = gotourl.porting.OutputFile.describe(e);
        if (e instanceof java.nio.file.AccessDeniedException) {
            return line + (line.contains("permission denied creating it") ? " (-file)" : "; goto needs to read and write its data file");
        }
        return line;
    }
}
