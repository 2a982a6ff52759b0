package gotourl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, StopSignal stop) {
        return commandLine(new ServeCommand(out, err, stop), out, err, env).execute(args);
    }

    /**
     * The settings {@code goto ARGS} would serve with, without serving; throws picocli's
     * {@link CommandLine.ParameterException} for flags {@link #run} would refuse.
     */
    static Config serveConfig(String[] args, Map<String, String> env) {
        PrintStream discard = new PrintStream(java.io.OutputStream.nullOutputStream());
        ServeCommand serve = new ServeCommand(discard, discard, new StopSignal());
        commandLine(serve, discard, discard, env).parseArgs(args);
        return serve.config();
    }

    private static CommandLine commandLine(ServeCommand serve, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cli = new CommandLine(serve);
        cli.addSubcommand(new ImportCommand(out, err));
        cli.addSubcommand(new RepairCommand(out, err));
        cli.addSubcommand(new CompactCommand(out, err));
        cli.addSubcommand(new UpgradeCommand(out, err));
        // Go flags are single-dash words: -hots=x is a typo to report, not -h followed by junk
        // (which would print the help and exit 0). Set after the subcommands so they get it too.
        cli.setPosixClusteredShortOptionsAllowed(false);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setDefaultValueProvider(fromEnvironment(env));
        cli.setParameterExceptionHandler((problem, arguments) -> {
            err.println("goto: " + problem.getMessage());
            err.println("Run 'goto --help' to see the flags.");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            err.println("goto: " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
            return 1;
        });
        return cli;
    }

    /** {@code --shutdown-timeout} reads {@code GOTO_SHUTDOWN_TIMEOUT}, and so on. */
    static CommandLine.IDefaultValueProvider fromEnvironment(Map<String, String> env) {
        return argument -> argument instanceof OptionSpec option ? env.get(environmentName(option)) : null;
    }

    static String environmentName(OptionSpec option) {
        return "GOTO_" + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
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
            return converted(() -> ListenAddress.parse(value));
        }
    }

    /** An admin address, or {@code off}. */
    static final class AdminAddressConverter implements ITypeConverter<ListenAddress> {
        static final ListenAddress OFF = new ListenAddress("off", 0);

        @Override
        public ListenAddress convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            if (text.equals("off") || text.equals("none") || text.equals("false") || text.isEmpty()) {
                return OFF;
            }
            return converted(() -> ListenAddress.parse(value));
        }
    }

    static final class HostConverter implements ITypeConverter<ShortUrlBase> {
        @Override
        public ShortUrlBase convert(String value) {
            return converted(() -> ShortUrlBase.parse(value));
        }
    }

    /** A duration that must be longer than zero, such as a deadline to finish work in. */
    static final class PositiveDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration = converted(() -> GoDuration.parse(value));
            if (duration.isZero()) {
                throw new TypeConversionException("'" + value + "' must be positive (e.g. 10s): with no time to finish,"
                        + " every stop would cut off requests and queued adds");
            }
            return duration;
        }
    }

    /** 301, 302, 307 or 308. */
    static final class RedirectStatusConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String text = value.strip();
            if (text.matches("30[1278]")) {
                return Integer.valueOf(text);
            }
            throw new TypeConversionException("'" + value + "' is not a redirect status goto sends: use 302 or 307 (temporary),"
                    + " or 301 or 308 (permanent)");
        }
    }

    /** {@code :memory:} keeps links in memory only. */
    static final class DataFileConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("the data file name is empty; give a path, or :memory: to keep links in memory only");
            }
            return value.equals(Config.MEMORY_FILE) ? null : converted(() -> Path.of(value));
        }
    }

    private static <T> T converted(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
