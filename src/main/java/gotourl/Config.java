package gotourl;

import gotourl.apikey.ApiKeyAdmin;
import gotourl.apikey.Secret;
import gotourl.http.AddAccess;
import gotourl.http.RedirectRoute;
import gotourl.http.WebServer;
import gotourl.store.pg.PgSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * goto's settings, validated once and handed to what needs them.
 *
 * @param http            where the application listens ({@code -http})
 * @param file            the data file, or null to keep links in memory only ({@code -file=:memory:})
 * @param host            what short URLs start with ({@code -host}, or derived from {@code -http})
 * @param sync            true: an add is answered once on disk; false: once queued ({@code -sync})
 * @param admin           where health and metrics listen, or null when off ({@code -admin})
 * @param shutdownTimeout how long a stop may take to drain requests and queued adds
 * @param accessLog       where to write the access log, {@code -} for stderr, or null for none
 * @param queueWait       how long an add waits for room in a full write queue before a 503
 * @param limits          connection and request limits
 * @param redirectStatus  the status of a redirect: 302 (the seed's), 301, 307 or 308 ({@code -redirect-status})
 * @param initialApiKey   an admin API key to create at start if no key has its value, or null
 *                        ({@code -initial-api-key}, as Shlink's {@code INITIAL_API_KEY})
 * @param addAccess       whether the public {@code /add} is open ({@code -public-add}) and its rate
 *                        limit per client address ({@code -add-rate})
 * @param db              the PostgreSQL database links live in instead of {@code file} ({@code -db}), or null
 * @param track           record visits of redirects and orphan visits ({@code -track}); maxVisits is
 *                        enforced either way
 * @param visitsRetention how long raw visits are kept ({@code -visits-retention}), or null to keep
 *                        them all; counts and per-day aggregates are kept regardless
 * @param checks          link checks, titles and outbound fetches ({@code -check-interval},
 *                        {@code -resolve-titles}, {@code -fetch-private}...); null for the defaults
 */
public record Config(ListenAddress http, Path file, ShortUrlBase host, boolean sync, ListenAddress admin,
                     Duration shutdownTimeout, Path accessLog, Duration queueWait, WebServer.Limits limits,
                     int redirectStatus, Secret initialApiKey, AddAccess addAccess, PgSettings db,
                     boolean track, Duration visitsRetention, gotourl.check.CheckSettings checks) {

    public static final String MEMORY_FILE = ":memory:";
    public static final String DEFAULT_HTTP = ":3000";
    public static final String DEFAULT_FILE = "goto.data";
    public static final String DEFAULT_HOST = "localhost:3000";
    public static final String DEFAULT_ADMIN = "127.0.0.1:3001";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A full queue means the disk is behind by thousands of records; a few group commits'
     * time is worth waiting before refusing, longer only piles up clients.
     */
    public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofMillis(200);
    /** The seed's redirect: 302 Found, which browsers do not cache, so an edit takes effect at once. */
    public static final int DEFAULT_REDIRECT_STATUS = 302;

    public Config {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(addAccess, "addAccess");
        checks = checks == null ? gotourl.check.CheckSettings.defaults() : checks;
        if (visitsRetention != null && (visitsRetention.isNegative() || visitsRetention.isZero())) {
            throw new IllegalArgumentException("visits retention must be positive, not " + visitsRetention);
        }
        if (initialApiKey != null && ApiKeyAdmin.initialKeyProblem(initialApiKey.value()) != null) {
            throw new IllegalArgumentException(ApiKeyAdmin.initialKeyProblem(initialApiKey.value()));
        }
        if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new IllegalArgumentException("shutdown timeout must be positive, not " + shutdownTimeout);
        }
        if (queueWait.isNegative()) {
            throw new IllegalArgumentException("queue wait must not be negative, not " + queueWait);
        }
        if (!RedirectRoute.STATUSES.contains(redirectStatus)) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 307 or 308, not " + redirectStatus);
        }
    }

    /** The settings of the flags that came before link checks, with checks off. */
    public Config(ListenAddress http, Path file, ShortUrlBase host, boolean sync, ListenAddress admin,
                  Duration shutdownTimeout, Path accessLog, Duration queueWait, WebServer.Limits limits,
                  int redirectStatus, Secret initialApiKey, AddAccess addAccess, PgSettings db,
                  boolean track, Duration visitsRetention) {
        this(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, addAccess,
                db, track, visitsRetention, null);
    }

    /** The settings of the nine flags that came before {@code -redirect-status}, redirecting with 302. */
    public Config(ListenAddress http, Path file, ShortUrlBase host, boolean sync, ListenAddress admin,
                  Duration shutdownTimeout, Path accessLog, Duration queueWait, WebServer.Limits limits) {
        this(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, DEFAULT_REDIRECT_STATUS);
    }

    /** The settings of the ten flags that came before the API keys', with no initial key and the seed's open {@code /add}. */
    public Config(ListenAddress http, Path file, ShortUrlBase host, boolean sync, ListenAddress admin,
                  Duration shutdownTimeout, Path accessLog, Duration queueWait, WebServer.Limits limits, int redirectStatus) {
        this(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, null, AddAccess.SEED, null, true, null);
    }

    /** The defaults, with the application on {@code http} and links in {@code file}. */
    public static Config defaults(ListenAddress http, Path file) {
        return new Config(http, file, ShortUrlBase.parse(DEFAULT_HOST), true, ListenAddress.parse(DEFAULT_ADMIN),
                DEFAULT_SHUTDOWN_TIMEOUT, null, DEFAULT_QUEUE_WAIT, WebServer.Limits.DEFAULT, DEFAULT_REDIRECT_STATUS);
    }

    public Config withHost(ShortUrlBase newHost) {
        return new Config(http, file, newHost, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withAdmin(ListenAddress newAdmin) {
        return new Config(http, file, host, sync, newAdmin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withSync(boolean newSync) {
        return new Config(http, file, host, newSync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withShutdownTimeout(Duration timeout) {
        return new Config(http, file, host, sync, admin, timeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withLimits(WebServer.Limits newLimits) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, newLimits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withRedirectStatus(int status) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, status, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    /**
     * These settings with the ports the listeners were actually given: {@code -http=:0} asks the
     * system for a free port, and what is then linked to, logged or refused is that port.
     */
    public Config boundTo(int appPort, int adminPort) {
        ListenAddress boundHttp = new ListenAddress(http.host(), appPort);
        ListenAddress boundAdmin = admin == null ? null : new ListenAddress(admin.host(), adminPort);
        ShortUrlBase boundHost = host.fromListener() ? ShortUrlBase.forListener(boundHttp) : host;
        return new Config(boundHttp, file, boundHost, sync, boundAdmin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus,
                initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    public Config withInitialApiKey(Secret key) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, key, addAccess, db, track, visitsRetention, checks);
    }

    public Config withAddAccess(AddAccess access) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus, initialApiKey, access, db, track, visitsRetention, checks);
    }

    public Config withAccessLog(Path log) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, log, queueWait, limits, redirectStatus, initialApiKey, addAccess, db, track, visitsRetention, checks);
    }

    /** These settings with links in the PostgreSQL database {@code database} instead of the file. */
    public Config withDatabase(PgSettings database) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus,
                initialApiKey, addAccess, database, track, visitsRetention, checks);
    }

    /** These settings with visits tracked ({@code track}) and raw visits kept for {@code retention} (null: for ever). */
    public Config withTracking(boolean newTrack, Duration retention) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus,
                initialApiKey, addAccess, db, newTrack, retention, checks);
    }

    /** These settings with link checks and titles as {@code newChecks} says. */
    public Config withChecks(gotourl.check.CheckSettings newChecks) {
        return new Config(http, file, host, sync, admin, shutdownTimeout, accessLog, queueWait, limits, redirectStatus,
                initialApiKey, addAccess, db, track, visitsRetention, newChecks);
    }

    /**
     * Where visits are kept beside the data file: {@code FILE.visits/} (docs/VISITS-FORMAT.md);
     * null when links are in memory, and then visits are too.
     */
    public Path visitsDir() {
        return file == null ? null : file.resolveSibling(file.getFileName() + ".visits");
    }

    public String durabilityDescription() {
        if (db != null) {
            return "PostgreSQL: each change is answered after its group commit (synchronous_commit = on) in " + db.describe();
        }
        if (file == null) {
            return "memory only: links are lost when goto stops";
        }
        return sync ? "durable: each add is answered after it is forced to disk"
                : "async: adds are answered when queued and forced to disk every second";
    }
}
