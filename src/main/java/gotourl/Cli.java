package gotourl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * goto's command line: flags in the seed's Go spelling ({@code -http=:3000}, {@code -http :3000})
 * and as {@code --http}, each also from an environment variable ({@code GOTO_HTTP}). Returns an
 * exit code and writes to the streams it is given, so it is tested without a process.
 */
public final class Cli {
    static final int USAGE_ERROR = 2;

    private Cli() {}

    /**
     * Runs {@code goto ARGS}: serves, or runs the subcommand named, and returns the exit code. A
     * well-formed serve command line is read by {@link ServeFlags} without building picocli's
     * model (a fifth of goto's start; see its docs), and so is a well-formed import command line,
     * by {@link ImportFlags}; anything else, help and every refusal included, by picocli.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, StopSignal stop) {
        ServeCommand quick = ServeFlags.read(args, env, new ServeCommand(out, err, stop, env));
        ImportCommand importing = quick != null ? null : ImportFlags.read(args, env, new ImportCommand(out, err, env, stop));
        if (quick != null || importing != null) {
            try {
                return quick != null ? quick.call() : importing.call();
            } catch (Exception failure) {
                err.println(failureLine(failure));
                return 1;
            }
        }
        return commandLine(new ServeCommand(out, err, stop, env), out, err, env).execute(args);
    }

    /**
     * The settings {@code goto ARGS} would serve with, without serving; throws picocli's
     * {@link CommandLine.ParameterException} for flags {@link #run} would refuse.
     */
    static Config serveConfig(String[] args, Map<String, String> env) {
        return parsedServe(args, env).config();
    }

    /** The REST API's settings {@code args} and {@code env} describe, as {@code goto} would use them (for tests). */
    static gotourl.api.ApiOptions serveApiOptions(String[] args, Map<String, String> env) {
        return parsedServe(args, env).apiOptions();
    }

    /** The serve command as picocli reads {@code args}; throws {@link CommandLine.ParameterException} as {@link #run} would refuse. */
    static ServeCommand parsedServe(String[] args, Map<String, String> env) {
        PrintStream discard = new PrintStream(java.io.OutputStream.nullOutputStream());
        ServeCommand serve = new ServeCommand(discard, discard, new StopSignal(), env);
        commandLine(serve, discard, discard, env).parseArgs(args);
        return serve;
    }

    /** The one line a command's failure gets (exit code 1). */
    private static String failureLine(Exception failure) {
        return "goto: " + (failure.getMessage() == null ? failure.toString() : failure.getMessage());
    }

    static CommandLine commandLine(ServeCommand serve, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cli = new CommandLine(serve);
        cli.addSubcommand(new ImportCommand(out, err, env, serve.stopSignal()));
        cli.addSubcommand(new ExportCommand(out, err));
        cli.addSubcommand(new RepairCommand(out, err));
        cli.addSubcommand(new CompactCommand(out, err));
        cli.addSubcommand(new UpgradeCommand(out, err));
        cli.addSubcommand(new CheckCommand(out, err, serve.stopSignal(), CheckCommand.stderrIsTerminal(), env));
        CommandLine apiKeys = new CommandLine(new ApiKeyCommand(err));
        apiKeys.addSubcommand(new ApiKeyCommand.Generate(out, err, Clock.systemUTC(), env));
        apiKeys.addSubcommand(new ApiKeyCommand.ListKeys(out, err, Clock.systemUTC(), env));
        apiKeys.addSubcommand(new ApiKeyCommand.Disable(out, err, Clock.systemUTC(), env));
        cli.addSubcommand(apiKeys);
        // Go flags are single-dash words: -hots=x is a typo to report, not -h followed by junk
        // (which would print the help and exit 0). Set after the subcommands so they get it too.
        cli.setPosixClusteredShortOptionsAllowed(false);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setDefaultValueProvider(fromEnvironment(env));
        cli.setParameterExceptionHandler((problem, arguments) -> {
            err.println(problemLine(problem, arguments, env));
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            err.println(failureLine(failure));
            return 1;
        });
        return cli;
    }

    /**
     * The one line a refused flag gets: the flag as the user wrote it ({@code -http}, not
     * picocli's {@code --http}), or the environment variable when the value came from there,
     * then what is wrong, and where to read more.
     */
    static String problemLine(CommandLine.ParameterException problem, String[] args, Map<String, String> env) {
        CommandLine command = problem.getCommandLine();
        String prefix = command.getCommandSpec().qualifiedName(" ") + ": ";
        String help = command.getCommandSpec().qualifiedName(" ") + " -help";
        String detail = problem.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "").strip();
        if (problem instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            return prefix + "unknown flag or argument '" + String.join(" ", unmatched.getUnmatched()) + "'"
                    + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)")
                    + "; " + help + " lists the flags";
        }
        java.util.regex.Matcher expected = java.util.regex.Pattern.compile("Expected parameter for option '([^']+)' but found '([^']*)'")
                .matcher(problem.getMessage());
        if (expected.find() && command.getCommandSpec().findOption(expected.group(1)) != null) {
            OptionSpec option = command.getCommandSpec().findOption(expected.group(1));
            String flag = writtenName(option, args);
            return prefix + (flag == null ? goName(option) : flag) + " needs a value, e.g. " + goName(option) + "="
                    + option.paramLabel() + " (found '" + expected.group(2) + "' instead); " + help + " lists the flags";
        }
        if (problem.getArgSpec() instanceof OptionSpec option) {
            String written = writtenName(option, args);
            if (written == null && env.containsKey(environmentName(option))) {
                return prefix + environmentName(option) + " (the environment's " + goName(option) + "): " + detail
                        + "; " + help + " lists the flags";
            }
            String flag = written == null ? goName(option) : written;
            if (problem instanceof CommandLine.MissingParameterException) {
                return prefix + flag + " needs a value, e.g. " + goName(option) + "=" + option.paramLabel() + "; " + help
                        + " lists the flags";
            }
            return prefix + flag + ": " + detail + "; " + help + " lists the flags";
        }
        return prefix + detail.replace("\n", " ").replaceAll("\\s+", " ") + "; " + help + " lists the flags";
    }

    /** The name of {@code option} as it appears in {@code args} ({@code -http} or {@code --http}), or null. */
    private static String writtenName(OptionSpec option, String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return name;
                }
            }
        }
        return null;
    }

    /** The Go spelling of a flag: {@code -shutdown-timeout}. */
    static String goName(OptionSpec option) {
        return "-" + option.longestName().replaceFirst("^-+", "");
    }

    /** {@code --shutdown-timeout} reads {@code GOTO_SHUTDOWN_TIMEOUT}, and so on. */
    static CommandLine.IDefaultValueProvider fromEnvironment(Map<String, String> env) {
        return argument -> argument instanceof OptionSpec option ? env.get(environmentName(option)) : null;
    }

    static String environmentName(OptionSpec option) {
        return "GOTO_" + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * {@code -help} and {@code -version} as Go's flag package spells them, beside {@code -h},
     * {@code --help}, {@code -V} and {@code --version}.
     */
    static final class HelpOptions {
        @CommandLine.Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @CommandLine.Option(names = {"-V", "-version", "--version"}, versionHelp = true, description = "print the version and exit")
        boolean version;
    }

    /** A boolean as Go's {@code strconv.ParseBool} reads it ({@link FlagValues#goBoolean}). */
    static final class GoBooleanConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return converted(() -> FlagValues.goBoolean(value));
        }
    }

    /** The version in the jar, from Maven. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"goto " + properties.getProperty("version", "(unknown version)")
                    + " (Java " + Runtime.version() + ")"};
        }
    }

    static final class ListenAddressConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            return converted(() -> FlagValues.listenAddress(value));
        }
    }

    /** An admin address, or {@code off}. */
    static final class AdminAddressConverter implements ITypeConverter<ListenAddress> {
        static final ListenAddress OFF = FlagValues.ADMIN_OFF;

        @Override
        public ListenAddress convert(String value) {
            return converted(() -> FlagValues.adminAddress(value));
        }
    }

    static final class HostConverter implements ITypeConverter<ShortUrlBase> {
        @Override
        public ShortUrlBase convert(String value) {
            return converted(() -> FlagValues.host(value));
        }
    }

    /** A duration that must be longer than zero, such as a deadline to finish work in. */
    static final class PositiveDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return converted(() -> FlagValues.positiveDuration(value));
        }
    }

    /** How long raw visits are kept ({@link FlagValues#retention}); null keeps all. */
    static final class RetentionConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return converted(() -> FlagValues.retention(value));
        }
    }

    /** 301, 302, 307 or 308. */
    static final class RedirectStatusConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return converted(() -> FlagValues.redirectStatus(value));
        }
    }

    /** An initial API key: checked here so that a bad one is refused naming the flag, and never echoed. */
    static final class InitialApiKeyConverter implements ITypeConverter<gotourl.apikey.Secret> {
        @Override
        public gotourl.apikey.Secret convert(String value) {
            return converted(() -> FlagValues.initialApiKey(value));
        }
    }

    /** {@code N/PERIOD} ({@link FlagValues#addRate}). */
    static final class AddRateConverter implements ITypeConverter<gotourl.http.AddAccess.Rate> {
        @Override
        public gotourl.http.AddAccess.Rate convert(String value) {
            return converted(() -> FlagValues.addRate(value));
        }
    }

    /** A check interval ({@code 24h}), or {@code off} (also {@code 0}) for none: converted to null. */
    static final class CheckIntervalConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return converted(() -> FlagValues.checkInterval(value));
        }
    }

    /** {@code :memory:} keeps links in memory only. */
    static final class DataFileConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return converted(() -> FlagValues.dataFile(value));
        }
    }

    private static <T> T converted(java.util.function.Supplier<T> parse) {
        return Conversion.of(parse);
    }

    /**
     * {@link FlagValues}' refusals as picocli's conversion errors. A class of its own: a method of
     * {@code Cli} that throws picocli's exception would make the JVM load picocli's classes to
     * verify {@code Cli}, on the serve path that {@link ServeFlags} keeps free of them.
     */
    private static final class Conversion {
        static <T> T of(java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
