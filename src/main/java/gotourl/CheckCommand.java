package gotourl;

import gotourl.check.CheckProgress;
import gotourl.check.CheckReport;
import gotourl.check.CheckRun;
import gotourl.check.CheckSettings;
import gotourl.check.HealthBook;
import gotourl.check.LinkChecker;
import gotourl.fetch.Cancellation;
import gotourl.fetch.Fetcher;
import gotourl.fetch.HostResolver;
import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import gotourl.store.pg.PgAdmin;
import gotourl.store.pg.PgSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code goto check}: fetches every link's long URL of a stopped goto's data file (HEAD, then GET
 * when HEAD is refused), under a global and a per-host bound, shows progress with rate and ETA,
 * keeps each link's health in {@code FILE.health} (which the REST API shows once goto runs) or,
 * with {@code -db}, in the database's {@code link_health} (which running nodes show within a
 * second: the nodes need not stop), and
 * writes a CSV or JSON report. Ctrl-C stops it within a second, in-flight fetches aborted, with
 * what was checked so far kept and reported.
 */
@Command(name = "check", versionProvider = Cli.Version.class, sortOptions = false,
        description = {"Checks every link's long URL and keeps its health for the REST API.",
                "Each is fetched with HEAD (GET when HEAD is refused), redirects followed, only public addresses unless",
                "-fetch-private. Each link's health is kept beside the data file (FILE.health), and -report writes a report.",
                "Stop goto first; Ctrl-C stops the check and keeps what it found.",
                "With -db=URL, checks the links of goto nodes on PostgreSQL and keeps their health in the database,",
                "where running nodes see it: they need not stop.",
                "Exit status: 0 every link fine, 3 some links broken, 130 interrupted, 1 the check could not run or its health could not be kept."})
final class CheckCommand implements Callable<Integer> {
    static final int SOME_BROKEN = 3;
    static final int INTERRUPTED = 130;

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file of a stopped goto (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @Option(names = {"-report", "--report"}, paramLabel = "FILE",
            description = "write a report of every link checked to FILE, - for stdout (default: none) [GOTO_REPORT]")
    String report;

    @Option(names = {"-format", "--format"}, paramLabel = "FORMAT",
            description = "the report's format: csv or json (default: from the report's name, else csv) [GOTO_FORMAT]")
    String format;

    @Option(names = {"-concurrency", "--concurrency", "-check-concurrency"}, paramLabel = "N",
            defaultValue = "" + CheckSettings.DEFAULT_CONCURRENCY,
            description = "at most N links fetched at once (default ${DEFAULT-VALUE}) [GOTO_CHECK_CONCURRENCY]")
    int concurrency;

    @Option(names = {"-per-host", "--per-host", "-check-per-host"}, paramLabel = "N", defaultValue = "" + CheckSettings.DEFAULT_PER_HOST,
            description = "at most N fetches at once from one host (default ${DEFAULT-VALUE}) [GOTO_CHECK_PER_HOST]")
    int perHost;

    @Option(names = {"-timeout", "--timeout", "-check-timeout"}, paramLabel = "DURATION", defaultValue = "15s",
            converter = Cli.PositiveDurationConverter.class,
            description = "how long one link's check may take, redirects included (default ${DEFAULT-VALUE}) [GOTO_CHECK_TIMEOUT]")
    Duration timeout;

    @Option(names = {"-fetch-private", "--fetch-private"}, paramLabel = "BOOL", arity = "0..1", defaultValue = "false",
            fallbackValue = "true", converter = Cli.GoBooleanConverter.class,
            description = "also fetch from private, loopback and link-local addresses, never a cloud's metadata service (default ${DEFAULT-VALUE}) [GOTO_FETCH_PRIVATE]")
    boolean fetchPrivate;

    @picocli.CommandLine.Mixin
    DbOption dbOption;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;
    private final StopSignal stop;
    private final boolean terminal;
    private final Map<String, String> env;
    /** Why the verdicts could not be kept at the end of the check, or null when they were. */
    private String notKept;
    /** How host names are resolved; the tests' seam. */
    HostResolver resolver = HostResolver.SYSTEM;

    CheckCommand(PrintStream out, PrintStream err, StopSignal stop, boolean terminal, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.stop = stop;
        this.terminal = terminal;
        this.env = env;
    }

    @Override
    public Integer call() {
        CheckReport.Format reportFormat;
        CheckSettings settings;
        try {
            reportFormat = reportFormat();
            settings = new CheckSettings(null, concurrency, perHost, timeout, fetchPrivate, false);
        } catch (IllegalArgumentException e) {
            err.println("goto check: " + e.getMessage());
            return Cli.USAGE_ERROR;
        }
        PgSettings database = null;
        if (dbOption.given()) {
            try {
                database = dbOption.settings(env);
            } catch (IllegalArgumentException e) {
                err.println("goto check: " + e.getMessage());
                return Cli.USAGE_ERROR;
            }
        } else if (gotourl.store.log.LogLinkStore.notADataFile(file) != null) {
            err.println("goto check: " + file + ": " + gotourl.store.log.LogLinkStore.notADataFile(file)
                    + (Files.exists(file) ? "" : "; give the -file of a goto") + ", or the -db of goto nodes");
            return 1;
        }
        if (report != null && !"-".equals(report)) {
            String problem = gotourl.porting.OutputFile.problem(Path.of(report));
            if (problem != null) {
                err.println("goto check: cannot write the report " + report + ": " + problem); // said before the check, not after it
                return 1;
            }
        }
        long started = System.nanoTime();
        Cancellation cancel = new Cancellation();
        stop.onStop(() -> cancel.cancel("stopped by a signal (Ctrl-C)"));
        List<CheckRun.Result> results;
        HealthBook book;
        int links;
        try {
            if (database != null) {
                // The nodes may be running: they see each verdict through their feed, as another node's.
                try (PgAdmin db = PgAdmin.open(database)) {
                    Map<String, Link> live = db.liveLinks();
                    links = live.size();
                    book = new HealthBook((Path) null).keepIn(db.linkHealth());
                    results = checkAll(live.values(), live::get, book, settings, cancel);
                }
            } else {
                // A command's store, and one that only reads: a check that runs for minutes must
                // not compact the file by itself meanwhile, nor log a failure in a server's words.
                try (LogLinkStore store = LogLinkStore.open(file,
                        LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE).forCommand())) {
                    List<Link> all = new ArrayList<>((int) store.size());
                    store.forEach(all::add);
                    links = all.size();
                    book = new HealthBook(HealthBook.fileBeside(file)).load();
                    results = checkAll(all, store::lookup, book, settings, cancel);
                }
            }
        } catch (IOException | RuntimeException e) {
            String message = gotourl.porting.OutputFile.describe(e);
            // A running goto holds its file: it checks its own links, which need not stop for it.
            err.println("goto check: " + (e instanceof IOException && message.contains(" is in use by another goto process")
                    ? file + " is in use by a running goto: stop it first, or let it check its own links while it serves"
                    + " (start it with -check-interval=24h; its REST API then shows each link's health)" : message));
            return 1;
        }
        CheckReport checked = new CheckReport(results);
        if (report != null) {
            try {
                writeReport(checked, reportFormat);
            } catch (IOException e) {
                err.println("goto check: " + e.getMessage());
                return 1;
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        PrintStream summary = "-".equals(report) ? err : out;
        summary.printf(Locale.ROOT, "%s %,d of %,d links in %.1f s (%.1f links/s): %s%n", cancel.isCancelled() ? "stopped after checking"
                : "checked", results.size(), links, seconds, results.size() / seconds, checked.summaryLine());
        if (notKept != null) {
            // Said after the summary, not instead of it: the links were checked, and what was found is above.
            if (report != null && !"-".equals(report)) {
                summary.println("report in " + report);
            }
            err.println("goto check: the health could not be kept in " + book.where() + ": " + notKept + "; "
                    + (database != null ? "the results above are all this check kept: let the database's user write link_health, then check again"
                    : "the results above are all this check kept: let this user (" + System.getProperty("user.name") + ") write in "
                    + HealthBook.fileBeside(file).toAbsolutePath().getParent() + ", then check again"
                    + (report == null ? " (with -report=FILE to keep the results in a file)" : "")));
            return 1;
        }
        summary.println("health kept in " + book.where() + (report == null || "-".equals(report) ? "" : "; report in " + report));
        if (cancel.isCancelled()) {
            return INTERRUPTED;
        }
        return checked.broken() > 0 ? SOME_BROKEN : 0;
    }

    /**
     * Checks {@code links} with a progress bar, recording each verdict in {@code book}, then has
     * the book keep them, without the verdicts of links {@code lookup} no longer holds. When the
     * book cannot keep them, says why in {@link #notKept} and returns the results all the same.
     */
    private List<CheckRun.Result> checkAll(java.util.Collection<Link> links, java.util.function.Function<String, Link> lookup,
                                           HealthBook book, CheckSettings settings, Cancellation cancel) throws IOException {
        List<CheckRun.Target> targets = new ArrayList<>(links.size());
        for (Link link : links) {
            targets.add(new CheckRun.Target(link.shortCode(), link.dateCreated(), link.longUrl()));
        }
        List<CheckRun.Result> results;
        try (Fetcher fetcher = Fetcher.start(settings.fetchOptions(), resolver);
             CheckProgress progress = CheckProgress.start(err, targets.size(), terminal)) {
            CheckRun run = new CheckRun(new LinkChecker(fetcher, Clock.systemUTC()), settings.concurrency(), settings.perHost());
            results = run.run(targets, cancel, result -> {
                book.record(result);
                progress.step();
            });
        }
        try {
            book.save(entry -> {
                Link link = lookup.apply(entry.shortCode());
                return link != null && link.dateCreated().toEpochMilli() == entry.linkCreatedMillis();
            });
        } catch (IOException | RuntimeException e) {
            notKept = gotourl.porting.OutputFile.describe(e); // the results are reported all the same, then this
        }
        return results;
    }

    private CheckReport.Format reportFormat() {
        String name = format != null ? format : report != null && report.toLowerCase(Locale.ROOT).endsWith(".json") ? "json" : "csv";
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> CheckReport.Format.CSV;
            case "json" -> CheckReport.Format.JSON;
            default -> throw new IllegalArgumentException("-format: '" + format + "' is not a report format; use csv or json");
        };
    }

    private void writeReport(CheckReport checked, CheckReport.Format reportFormat) throws IOException {
        if ("-".equals(report)) {
            checked.write(reportFormat, out);
            return;
        }
        try (gotourl.porting.OutputFile file = gotourl.porting.OutputFile.open(Path.of(report))) {
            file.leftovers().forEach(said -> err.println("goto check: " + said));
            checked.write(reportFormat, file.stream());
            file.commit();
        }
    }

    /**
     * Whether standard error is a terminal the progress bar may redraw in place. {@code System.console()}
     * is null when either stream is redirected on JDK 21; on JDK 22+ it may exist anyway, and its
     * {@code isTerminal()} says.
     */
    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
