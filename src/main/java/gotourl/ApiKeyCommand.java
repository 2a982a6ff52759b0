package gotourl;

import gotourl.apikey.ApiKey;
import gotourl.control.ApiKeyOperations;
import gotourl.control.ControlClient;
import gotourl.control.KeyLine;
import gotourl.control.LocalKeyOperations;
import gotourl.store.pg.PgAdmin;
import gotourl.store.pg.PgSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goto api-key generate|list|disable}: manages the REST API's keys, as Shlink's
 * {@code api-key:generate}, {@code api-key:list} and {@code api-key:disable}. Works while goto
 * runs (through the control socket beside its data file) and while it is stopped (on the file);
 * with {@code -db}, on the PostgreSQL database itself, whether nodes run or not.
 */
@Command(name = "api-key", versionProvider = Cli.Version.class,
        description = {"Manages the keys of goto's REST API (X-Api-Key), while goto runs or while it is stopped.",
                "  goto api-key generate --name=NAME [--role=admin|author] [--expires=DATE|DURATION]",
                "  goto api-key list",
                "  goto api-key disable NAME_OR_ID",
                "Each takes -file=FILE, the data file of the goto whose keys to manage (default goto.data),",
                "or -db=URL, the PostgreSQL database of goto nodes (running or not) whose keys to manage."})
final class ApiKeyCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream err;

    ApiKeyCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() {
        err.println("goto api-key: say what to do: generate, list or disable; goto api-key -help shows how");
        return Cli.USAGE_ERROR;
    }

    /** The data file whose keys to manage. */
    static final class FileOption {
        @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
                converter = Cli.DataFileConverter.class,
                description = "the data file of the goto whose keys to manage (default ${DEFAULT-VALUE}) [GOTO_FILE]")
        Path file;
    }

    /** Runs an operation on the keys of a data file; the shared part of the three commands. */
    abstract static class KeyCommand implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        FileOption fileOption;

        @picocli.CommandLine.Mixin
        DbOption dbOption;

        @picocli.CommandLine.Mixin
        Cli.HelpOptions helpOptions;

        final PrintStream out;
        final PrintStream err;
        final Clock clock;
        final Map<String, String> env;

        KeyCommand(PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
            this.out = out;
            this.err = err;
            this.clock = clock;
            this.env = env;
        }

        abstract String name();

        /**
         * Whether the command may create a missing data file: a key generated before goto's first
         * start is kept in the file that start then opens. Listing or disabling finds nothing there.
         */
        boolean createsFile() {
            return false;
        }

        abstract void run(ApiKeyOperations keys) throws IOException, ApiKeyOperations.ControlException;

        @Override
        public Integer call() {
            if (dbOption.given()) {
                return onDatabase();
            }
            if (fileOption.file == null) {
                err.println("goto api-key " + name() + ": -file=:memory: has no keys to reach from here: a goto in memory"
                        + " mode keeps its keys in its memory; start it with -initial-api-key (GOTO_INITIAL_API_KEY) instead");
                return Cli.USAGE_ERROR;
            }
            if (!createsFile() && !java.nio.file.Files.exists(fileOption.file)
                    && !java.nio.file.Files.exists(gotourl.control.ControlServer.socketOf(fileOption.file))
                    && !java.nio.file.Files.exists(gotourl.control.ControlServer.nodeNoteOf(fileOption.file))) {
                // A goto running with the file has created it, or (a node on -db, which keeps no
                // data file) its control socket: this is a typo or another goto's path.
                err.println("goto api-key " + name() + ": " + fileOption.file + " does not exist, so it holds no keys; give the -file"
                        + " your goto runs with (its -file flag or GOTO_FILE), or the -db of goto nodes");
                return 1;
            }
            try (ApiKeyOperations keys = ControlClient.open(fileOption.file, clock)) {
                run(keys);
                return 0;
            } catch (ApiKeyOperations.ControlException e) {
                err.println("goto api-key " + name() + ": " + e.getMessage());
                return 1;
            } catch (IOException e) {
                err.println("goto api-key " + name() + ": " + gotourl.porting.OutputFile.describe(e));
                return 1;
            }
        }

        /**
         * With {@code -db}: on the database itself, where every node reads its keys (a change
         * reaches running nodes within a second, through their feed), with no goto needed here.
         */
        private Integer onDatabase() {
            PgSettings settings;
            try {
                settings = dbOption.settings(env);
            } catch (IllegalArgumentException e) {
                err.println("goto api-key " + name() + ": " + e.getMessage());
                return Cli.USAGE_ERROR;
            }
            PgAdmin database;
            try {
                database = PgAdmin.open(settings);
            } catch (RuntimeException e) {
                err.println("goto api-key " + name() + ": " + e.getMessage());
                return 1;
            }
            try (ApiKeyOperations keys = new LocalKeyOperations(database.apiKeys(), clock, database.describe(), database)) {
                run(keys);
                return 0;
            } catch (ApiKeyOperations.ControlException e) {
                err.println("goto api-key " + name() + ": " + e.getMessage());
                return 1;
            } catch (IOException | RuntimeException e) {
                err.println("goto api-key " + name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            }
        }
    }

    @Command(name = "generate", versionProvider = Cli.Version.class,
            description = {"Makes a new API key and prints it once: goto keeps only its hash and cannot show it again.",
                    "The key goes to stdout alone (KEY=$(goto api-key generate --name=ci) works); what was made, to stderr."})
    static final class Generate extends KeyCommand {
        @Option(names = {"-name", "--name"}, paramLabel = "NAME", required = true,
                description = "a unique name for the key, e.g. the client that uses it")
        String keyName;

        @Option(names = {"-role", "--role"}, paramLabel = "ROLE", defaultValue = "author", converter = RoleConverter.class,
                description = "admin (everything) or author (creates links, and sees and edits only its own) (default ${DEFAULT-VALUE})")
        ApiKey.Role role;

        @Option(names = {"-expires", "--expires"}, paramLabel = "WHEN", converter = ExpiryConverter.class,
                description = "when the key stops working: a date (2027-01-31, from 00:00 UTC that day), a time"
                        + " (2027-01-31T18:00:00+01:00) or a duration from now (90d, 12h, P1M) (default: never)")
        Instant expires;

        Generate(PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
            super(out, err, clock, env);
        }

        @Override
        String name() {
            return "generate";
        }

        @Override
        boolean createsFile() {
            return true;
        }

        @Override
        void run(ApiKeyOperations keys) throws IOException, ApiKeyOperations.ControlException {
            ApiKeyOperations.Generated generated = keys.generate(keyName, role, expires);
            out.println(generated.secret());
            KeyLine key = generated.key();
            err.println("made " + key.roleName() + " key '" + key.name() + "' (id " + key.id() + "), "
                    + (key.expiresAt() == null ? "never expires" : "expires " + key.expiresAt()) + ", on " + keys.where()
                    + ". Save the key now: goto keeps only its hash and cannot show it again. Send it as X-Api-Key.");
        }
    }

    @Command(name = "list", versionProvider = Cli.Version.class,
            description = "Lists the API keys: id, name, role, creation, expiry and whether each works; never the keys or their hashes.")
    static final class ListKeys extends KeyCommand {
        ListKeys(PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
            super(out, err, clock, env);
        }

        @Override
        String name() {
            return "list";
        }

        @Override
        void run(ApiKeyOperations keys) throws IOException, ApiKeyOperations.ControlException {
            List<KeyLine> lines = keys.list();
            if (lines.isEmpty()) {
                err.println("no API keys on " + keys.where() + "; goto api-key generate --name=NAME makes one");
                return;
            }
            Instant now = clock.instant();
            int nameWidth = Math.max(4, lines.stream().mapToInt(key -> key.name().length()).max().orElse(4));
            String format = "%-12s  %-" + nameWidth + "s  %-6s  %-20s  %-20s  %s%n";
            out.printf(Locale.ROOT, format, "ID", "NAME", "ROLE", "CREATED", "EXPIRES", "STATUS");
            for (KeyLine key : lines) {
                String status = !key.enabled() ? "disabled" : key.expiredAt(now) ? "expired" : "enabled";
                out.printf(Locale.ROOT, format, key.id(), key.name(), key.roleName(), seconds(key.createdAt()),
                        key.expiresAt() == null ? "never" : seconds(key.expiresAt()), status);
            }
        }

        private static String seconds(Instant instant) {
            return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "disable", versionProvider = Cli.Version.class,
            description = "Disables an API key for good (it stays listed, so the links it made keep an author).")
    static final class Disable extends KeyCommand {
        @Parameters(paramLabel = "NAME_OR_ID", description = "the key's name or id, as goto api-key list shows them")
        String idOrName;

        Disable(PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
            super(out, err, clock, env);
        }

        @Override
        String name() {
            return "disable";
        }

        @Override
        void run(ApiKeyOperations keys) throws IOException, ApiKeyOperations.ControlException {
            KeyLine key = keys.disable(idOrName);
            out.println("disabled " + key.roleName() + " key '" + key.name() + "' (id " + key.id() + ") on " + keys.where());
        }
    }

    static final class RoleConverter implements CommandLine.ITypeConverter<ApiKey.Role> {
        @Override
        public ApiKey.Role convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "admin" -> ApiKey.Role.ADMIN;
                case "author" -> ApiKey.Role.AUTHOR;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a role: use admin (everything)"
                        + " or author (creates links, and sees and edits only its own)");
            };
        }
    }

    /** A date, a date-time with offset, or a duration from now (Go's units with d and w, or ISO-8601's P...). */
    static final class ExpiryConverter implements CommandLine.ITypeConverter<Instant> {
        private static final Pattern DAYS = Pattern.compile("(\\d{1,5})([dw])");

        @Override
        public Instant convert(String value) {
            return parse(value, Clock.systemUTC());
        }

        static Instant parse(String value, Clock clock) {
            String text = value.strip();
            Instant now = clock.instant();
            Instant when;
            if (text.startsWith("-")) {
                // As goto's duration flags say it (-shutdown-timeout=-1s): not "not a duration".
                throw new CommandLine.TypeConversionException("'" + value + "' is negative: an expiry is in the future;"
                        + " give a duration from now (90d, 2w, 12h, P1M), a date (2027-01-31) or a time with its offset");
            }
            try {
                if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    when = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } else if (text.startsWith("P") || text.startsWith("p")) {
                    String iso = text.toUpperCase(Locale.ROOT);
                    when = iso.contains("T") || iso.endsWith("D") && !iso.matches("P.*[YMW].*")
                            ? now.plus(Duration.parse(iso)) : now.atZone(ZoneOffset.UTC).plus(Period.parse(iso)).toInstant();
                } else if (text.contains("T")) {
                    when = text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
                } else {
                    Matcher days = DAYS.matcher(text);
                    when = days.matches() ? now.plus(Duration.ofDays(Long.parseLong(days.group(1)) * (days.group(2).equals("w") ? 7 : 1)))
                            : now.plus(GoDuration.parse(text));
                }
            } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither a date (2027-01-31), a time with"
                        + " its offset (2027-01-31T18:00:00Z) nor a duration from now (90d, 2w, 12h, P1M)");
            }
            if (when.isAfter(gotourl.link.Link.LATEST_DATE)) {
                throw new CommandLine.TypeConversionException("'" + value + "' is past the year 9999: give a date of a"
                        + " four-digit year (a record keeps it in milliseconds, which such a date would overflow)");
            }
            if (!when.isAfter(now)) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not in the future (" + when
                        + "): a key that expired already would be refused at once");
            }
            return when;
        }
    }
}
