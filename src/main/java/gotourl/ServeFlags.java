package gotourl;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the command line of {@code goto} serving (no subcommand) without picocli, when every flag
 * on it is well formed: the one command line whose cost is paid at every start. picocli defines
 * the flags ({@link ServeCommand}'s annotations), prints the help and words every refusal, and
 * reads every other command line; but its jar is Java 5 bytecode, which the JVM's ahead-of-time
 * cache cannot hold, so building its model of goto's commands costs about 0.2 s of CPU at each
 * start, a fifth of a start with 1,000,000 links (BENCHMARKS.md, "Start with 1M links").
 *
 * <p>This reader sets a flag only where picocli would set the same value, and gives up (returns
 * null, and picocli reads the command line as before) on anything else: each flag at most once,
 * spelt {@code -name=VALUE}, {@code --name=VALUE}, {@code -name VALUE} or {@code --name VALUE}
 * (a separate value neither starting with {@code -} or {@code @} nor naming a subcommand), a
 * boolean flag also alone ({@code -sync}, not followed by a value); every value, and the
 * environment variable ({@code GOTO_HTTP}) or default of each flag not given, converted by
 * {@link FlagValues} as picocli's converters do. {@code ServeFlagsTest} holds this reader to
 * picocli's results on many command lines, and to picocli's list of options and defaults.
 */
final class ServeFlags {
    /** A flag of {@code goto} serving, by its name without dashes, with its default (null: none) and kind. */
    record Flag(String name, String defaultValue, boolean bool) {
        /** {@code GOTO_SHUTDOWN_TIMEOUT} for {@code shutdown-timeout}. */
        String environmentName() {
            return "GOTO_" + name.replace('-', '_').toUpperCase(Locale.ROOT);
        }
    }

    /** Every option of {@link ServeCommand}, in its order. */
    static final List<Flag> FLAGS = List.of(
            new Flag("http", Config.DEFAULT_HTTP, false),
            new Flag("file", Config.DEFAULT_FILE, false),
            new Flag("host", null, false),
            new Flag("sync", "true", true),
            new Flag("admin", Config.DEFAULT_ADMIN, false),
            new Flag("shutdown-timeout", "10s", false),
            new Flag("redirect-status", "302", false),
            new Flag("initial-api-key", null, false),
            new Flag("public-add", "true", true),
            new Flag("add-rate", null, false),
            new Flag("db", null, false),
            new Flag("db-password-file", null, false),
            new Flag("track", "true", true),
            new Flag("visits-retention", "0", false),
            new Flag("check-interval", "off", false),
            new Flag("check-concurrency", "32", false),
            new Flag("check-per-host", "2", false),
            new Flag("check-timeout", "15s", false),
            new Flag("resolve-titles", "false", true),
            new Flag("fetch-private", "false", true),
            new Flag("access-log", null, false),
            new Flag("cors-allow-origin", "*", false),
            new Flag("delete-short-url-threshold", null, false));

    /** The subcommands' names: picocli would not take one as a flag's value. */
    static final Set<String> SUBCOMMANDS = Set.of("import", "export", "repair", "compact", "upgrade", "check", "api-key");

    private static final Map<String, Flag> BY_NAME = byName();

    private ServeFlags() {}

    private static Map<String, Flag> byName() {
        Map<String, Flag> flags = new HashMap<>();
        for (Flag flag : FLAGS) {
            flags.put(flag.name(), flag);
        }
        return flags;
    }

    /**
     * {@code serve} with every flag set from {@code args} and {@code env} as picocli would set it,
     * or null when picocli must read {@code args} (anything but well-formed serve flags: a
     * subcommand, help, an unknown flag, a bad value...). {@code serve} is only ever returned filled:
     * on null, give picocli a new one.
     */
    static ServeCommand read(String[] args, Map<String, String> env, ServeCommand serve) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String body = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (body == null) {
                return null; // a subcommand, an @file, or a value where picocli would see an argument
            }
            int equals = body.indexOf('=');
            Flag flag = BY_NAME.get(equals < 0 ? body : body.substring(0, equals));
            if (flag == null) {
                return null;
            }
            String value;
            if (equals >= 0) {
                value = body.substring(equals + 1);
            } else if (flag.bool()) {
                if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    return null; // -sync false: picocli decides whether that is the flag's value
                }
                value = "true";
            } else {
                String next = i + 1 < args.length ? args[i + 1] : null;
                if (next == null || next.startsWith("-") || next.startsWith("@") || SUBCOMMANDS.contains(next)) {
                    return null;
                }
                value = next;
                i++;
            }
            if (given.putIfAbsent(flag.name(), value) != null) {
                return null; // given twice: picocli's error
            }
        }
        try {
            for (Flag flag : FLAGS) {
                String fromEnvironment = env.get(flag.environmentName());
                String value = given.getOrDefault(flag.name(), fromEnvironment != null ? fromEnvironment : flag.defaultValue());
                if (fromEnvironment != null && given.containsKey(flag.name())) {
                    set(new ServeCommand(null, null, null, env), flag.name(), fromEnvironment); // a bad variable: picocli's call
                }
                if (value != null) {
                    set(serve, flag.name(), value);
                }
            }
        } catch (IllegalArgumentException refused) {
            return null; // picocli words the refusal
        }
        return serve;
    }

    /** Sets the field of flag {@code name}; throws {@link IllegalArgumentException} for a value picocli would refuse. */
    private static void set(ServeCommand serve, String name, String value) {
        switch (name) {
            case "http" -> serve.http = FlagValues.listenAddress(value);
            case "file" -> serve.file = FlagValues.dataFile(value);
            case "host" -> serve.host = FlagValues.host(value);
            case "sync" -> serve.sync = FlagValues.goBoolean(value);
            case "admin" -> serve.admin = FlagValues.adminAddress(value);
            case "shutdown-timeout" -> serve.shutdownTimeout = FlagValues.positiveDuration(value);
            case "redirect-status" -> serve.redirectStatus = FlagValues.redirectStatus(value);
            case "initial-api-key" -> serve.initialApiKey = FlagValues.initialApiKey(value);
            case "public-add" -> serve.publicAdd = FlagValues.goBoolean(value);
            case "add-rate" -> serve.addRate = FlagValues.addRate(value);
            case "db" -> serve.db = value;
            case "db-password-file" -> serve.dbPasswordFile = Path.of(value);
            case "track" -> serve.track = FlagValues.goBoolean(value);
            case "visits-retention" -> serve.visitsRetention = FlagValues.retention(value);
            case "check-interval" -> serve.checkInterval = FlagValues.checkInterval(value);
            case "check-concurrency" -> serve.checkConcurrency = decimal(value);
            case "check-per-host" -> serve.checkPerHost = decimal(value);
            case "check-timeout" -> serve.checkTimeout = FlagValues.positiveDuration(value);
            case "resolve-titles" -> serve.resolveTitles = FlagValues.goBoolean(value);
            case "fetch-private" -> serve.fetchPrivate = FlagValues.goBoolean(value);
            case "access-log" -> serve.accessLog = Path.of(value);
            case "cors-allow-origin" -> serve.corsAllowOrigin = value;
            case "delete-short-url-threshold" -> serve.deleteShortUrlThreshold = decimal(value);
            default -> throw new IllegalArgumentException("no flag " + name);
        }
    }

    /**
     * A whole number picocli reads the same way whichever of {@code Integer.valueOf} or
     * {@code Integer.decode} its version uses: digits without a sign or a leading zero.
     */
    private static int decimal(String value) {
        if (!value.matches("0|[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("'" + value + "' is left to picocli");
        }
        return Integer.parseInt(value);
    }
}
