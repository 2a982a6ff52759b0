package gotourl;

import gotourl.apikey.Secret;
import gotourl.http.AddAccess;
import gotourl.http.WebServer;
import gotourl.store.pg.PgSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code goto}: runs the shortener until a signal (or a failure) stops it. */
@Command(name = "goto", versionProvider = Cli.Version.class, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"A fast URL shortener that never loses a link.",
                "POST /add with url=LONG_URL (or GET /add?url=...) answers a short URL; GET /KEY redirects to it.",
                "Every flag can also be set by its environment variable, shown in brackets."},
        footer = {"", "goto COMMAND -help shows a command's flags."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-http", "--http"}, paramLabel = "ADDR", defaultValue = Config.DEFAULT_HTTP,
            converter = Cli.ListenAddressConverter.class,
            description = "listen address (default ${DEFAULT-VALUE}); :PORT listens on all interfaces [GOTO_HTTP]")
    ListenAddress http;

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            converter = Cli.DataFileConverter.class,
            description = "data file, created if missing; :memory: keeps links in memory only (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @Option(names = {"-host", "--host"}, paramLabel = "HOST", converter = Cli.HostConverter.class,
            description = "host and port in short URLs; prefix https:// if goto is served over TLS"
                    + " (default: localhost and the port of -http, or the host -http names) [GOTO_HOST]")
    ShortUrlBase host;

    @Option(names = {"-sync", "--sync"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            converter = Cli.GoBooleanConverter.class,
            description = "true: answer an add once it is on disk; false: once queued, forcing to disk every second"
                    + " (faster, may lose the last second of adds on a crash) (default ${DEFAULT-VALUE}) [GOTO_SYNC]")
    boolean sync;

    @Option(names = {"-admin", "--admin"}, paramLabel = "ADDR", defaultValue = Config.DEFAULT_ADMIN,
            converter = Cli.AdminAddressConverter.class,
            description = "listen address for /health and /metrics, or off (default ${DEFAULT-VALUE}) [GOTO_ADMIN]")
    ListenAddress admin;

    @Option(names = {"-shutdown-timeout", "--shutdown-timeout"}, paramLabel = "DURATION", defaultValue = "10s",
            converter = Cli.PositiveDurationConverter.class,
            description = "on SIGTERM, how long to finish requests and queued adds (default ${DEFAULT-VALUE}) [GOTO_SHUTDOWN_TIMEOUT]")
    Duration shutdownTimeout;

    @Option(names = {"-redirect-status", "--redirect-status"}, paramLabel = "STATUS", defaultValue = "302",
            converter = Cli.RedirectStatusConverter.class,
            description = "status of a redirect: 302 or 307 (temporary), 301 or 308 (permanent, cached 30 s by the visitor's"
                    + " browser) (default ${DEFAULT-VALUE}) [GOTO_REDIRECT_STATUS]")
    int redirectStatus;

    @Option(names = {"-initial-api-key", "--initial-api-key"}, paramLabel = "KEY", converter = Cli.InitialApiKeyConverter.class,
            description = "an admin API key for the REST API, created at start unless it exists (16 to 256 printable"
                    + " characters, random: e.g. openssl rand -hex 24); prefer the variable, which ps does not show (default: none)"
                    + " [GOTO_INITIAL_API_KEY]")
    Secret initialApiKey;

    @Option(names = {"-public-add", "--public-add"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            converter = Cli.GoBooleanConverter.class,
            description = "true: anyone may add links with /add, as in the seed; false: /add answers 403 and links are created"
                    + " through the REST API with an API key (default ${DEFAULT-VALUE}) [GOTO_PUBLIC_ADD]")
    boolean publicAdd;

    @Option(names = {"-add-rate", "--add-rate"}, paramLabel = "N/PERIOD", converter = Cli.AddRateConverter.class,
            description = "at most N adds per PERIOD through /add from one client address (IPv6: one /64), e.g. 10/1m;"
                    + " more get 429 with Retry-After (default: no limit) [GOTO_ADD_RATE]")
    AddAccess.Rate addRate;

    @Option(names = {"-db", "--db"}, paramLabel = "URL",
            description = "keep links in PostgreSQL instead of -file, shared by every goto with the same URL:"
                    + " postgresql://USER@HOST:PORT/DATABASE or jdbc:postgresql://...; the password comes from"
                    + " -db-password-file, GOTO_DB_PASSWORD or PGPASSWORD (default: none) [GOTO_DB]")
    String db;

    @Option(names = {"-db-password-file", "--db-password-file"}, paramLabel = "FILE",
            description = "file holding the PostgreSQL password (default: none) [GOTO_DB_PASSWORD_FILE]")
    Path dbPasswordFile;

    @Option(names = {"-track", "--track"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            converter = Cli.GoBooleanConverter.class,
            description = "record each redirect's visit (time, referer, user agent, bot or not; never the IP address) and"
                    + " requests for unknown codes as orphan visits; false records none (maxVisits still counts)"
                    + " (default ${DEFAULT-VALUE}) [GOTO_TRACK]")
    boolean track;

    @Option(names = {"-visits-retention", "--visits-retention"}, paramLabel = "DURATION", defaultValue = "0",
            converter = Cli.RetentionConverter.class,
            description = "delete visits older than this (e.g. 90d), in the background; counts and per-day totals stay;"
                    + " 0 keeps every visit (default ${DEFAULT-VALUE}) [GOTO_VISITS_RETENTION]")
    Duration visitsRetention;

    @Option(names = {"-check-interval", "--check-interval"}, paramLabel = "DURATION", defaultValue = "off",
            converter = Cli.CheckIntervalConverter.class,
            description = "re-check every link's long URL this often in the background (e.g. 24h), keeping each link's"
                    + " health for the REST API; off checks none (default ${DEFAULT-VALUE}) [GOTO_CHECK_INTERVAL]")
    Duration checkInterval;

    @Option(names = {"-check-concurrency", "--check-concurrency"}, paramLabel = "N", defaultValue = "32",
            description = "at most N links fetched at once by link checks (default ${DEFAULT-VALUE}) [GOTO_CHECK_CONCURRENCY]")
    int checkConcurrency;

    @Option(names = {"-check-per-host", "--check-per-host"}, paramLabel = "N", defaultValue = "2",
            description = "at most N fetches at once from one host, to be polite (default ${DEFAULT-VALUE}) [GOTO_CHECK_PER_HOST]")
    int checkPerHost;

    @Option(names = {"-check-timeout", "--check-timeout"}, paramLabel = "DURATION", defaultValue = "15s",
            converter = Cli.PositiveDurationConverter.class,
            description = "how long one link's check (or title fetch) may take, redirects included (default ${DEFAULT-VALUE})"
                    + " [GOTO_CHECK_TIMEOUT]")
    Duration checkTimeout;

    @Option(names = {"-resolve-titles", "--resolve-titles"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "false",
            fallbackValue = "true", converter = Cli.GoBooleanConverter.class,
            description = "a link created without a title gets its page's <title>, fetched in the background after the"
                    + " create is answered (default ${DEFAULT-VALUE}) [GOTO_RESOLVE_TITLES]")
    boolean resolveTitles;

    @Option(names = {"-fetch-private", "--fetch-private"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "false",
            fallbackValue = "true", converter = Cli.GoBooleanConverter.class,
            description = "let link checks and title fetches reach private, loopback and link-local addresses but never a cloud's metadata service (an intranet's"
                    + " links); by default only public addresses are fetched (default ${DEFAULT-VALUE}) [GOTO_FETCH_PRIVATE]")
    boolean fetchPrivate;

    @Option(names = {"-access-log", "--access-log"}, paramLabel = "FILE",
            description = "write an access log (NCSA format) to FILE, or - for stderr (default: none) [GOTO_ACCESS_LOG]")
    Path accessLog;

    @Option(names = {"-cors-allow-origin", "--cors-allow-origin"}, paramLabel = "ORIGINS", defaultValue = "*",
            description = "origins whose browser clients may call the REST API: *, <origin> (echo the caller's),"
                    + " or a comma-separated list, as Shlink's CORS_ALLOW_ORIGIN (default ${DEFAULT-VALUE}) [GOTO_CORS_ALLOW_ORIGIN]")
    String corsAllowOrigin;

    @Option(names = {"-delete-short-url-threshold", "--delete-short-url-threshold"}, paramLabel = "VISITS",
            description = "the REST API refuses to delete a short URL with more visits than this, as Shlink's"
                    + " DELETE_SHORT_URL_THRESHOLD (default: no limit) [GOTO_DELETE_SHORT_URL_THRESHOLD]")
    Integer deleteShortUrlThreshold;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;
    private final StopSignal stop;

    private final Map<String, String> env;

    /** What stops this process (a signal): {@code goto check} watches it too. */
    StopSignal stopSignal() {
        return stop;
    }

    ServeCommand(PrintStream out, PrintStream err, StopSignal stop, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.stop = stop;
        this.env = env;
    }

    /** The settings the parsed flags describe. */
    Config config() {
        Config config = new Config(http, file, host != null ? host : ShortUrlBase.forListener(http), sync,
                admin == FlagValues.ADMIN_OFF ? null : admin,
                shutdownTimeout, accessLog, Config.DEFAULT_QUEUE_WAIT, WebServer.Limits.DEFAULT, redirectStatus, initialApiKey,
                new AddAccess(publicAdd, addRate), null, track, visitsRetention);
        config = config.withChecks(new gotourl.check.CheckSettings(checkInterval, checkConcurrency, checkPerHost, checkTimeout,
                fetchPrivate, resolveTitles));
        return db == null ? config : config.withDatabase(PgSettings.parse(db, readPasswordFile(), env));
    }

    /** The REST API's settings the flags describe; the key store plugs in here too. */
    gotourl.api.ApiOptions apiOptions() {
        return gotourl.api.ApiOptions.defaults().withCorsAllowOrigin(corsAllowOrigin)
                .withDeleteShortUrlThreshold(deleteShortUrlThreshold);
    }

    private String readPasswordFile() {
        if (dbPasswordFile == null) {
            return null;
        }
        return FlagValues.fileText("-db-password-file", dbPasswordFile);
    }

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        gotourl.api.ApiOptions api;
        try {
            config = config();
            api = apiOptions();
        } catch (IllegalArgumentException e) {
            err.println("goto: " + e.getMessage());
            return Cli.USAGE_ERROR;
        }
        stop.expectStopWithin(config.shutdownTimeout());
        GotoService service;
        try {
            service = GotoService.start(config, stop, api);
        } catch (GotoService.StartException e) {
            err.println("goto: cannot start: " + e.getMessage());
            return 1;
        }
        StopSignal.Reason reason = stop.await();
        boolean clean = service.shutdown(reason.why());
        return clean && !reason.failure() ? 0 : 1;
    }
}
