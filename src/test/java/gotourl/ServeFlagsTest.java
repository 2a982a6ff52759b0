package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link ServeFlags}, goto's reader of a well-formed serve command line, held to picocli's: every
 * command line it accepts sets every flag as picocli sets it, it knows every option picocli knows
 * with the same default, and it leaves everything else to picocli ({@link StartPathTest}: a real
 * goto serves without loading picocli at all).
 */
class ServeFlagsTest {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    /** Values of each flag that picocli accepts, in forms a user writes. */
    private static final Map<String, List<String>> SAMPLES = samples();

    private static Map<String, List<String>> samples() {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        samples.put("http", List.of(":4000", "127.0.0.1:0", "[::1]:9090", "go.example:80"));
        samples.put("file", List.of("links.data", ":memory:", "/var/lib/goto/goto.data"));
        samples.put("host", List.of("go.example.com", "https://go.example", "127.0.0.1:8080"));
        samples.put("sync", List.of("false", "0", "T", "True"));
        samples.put("admin", List.of("off", "none", "127.0.0.1:9091", ":0"));
        samples.put("shutdown-timeout", List.of("1m30s", "500ms", "2h"));
        samples.put("redirect-status", List.of("301", "307", "308", "302"));
        samples.put("initial-api-key", List.of("0123456789abcdef0123456789abcdef", "a-long-enough-key!"));
        samples.put("public-add", List.of("false", "1"));
        samples.put("add-rate", List.of("10/1m", "5/m", " 100 / 1h "));
        samples.put("db", List.of("postgresql://goto@db.example:5432/goto", "jdbc:postgresql://localhost/goto"));
        samples.put("db-password-file", List.of("secrets/db-password", "/run/secrets/pg"));
        samples.put("track", List.of("false", "f"));
        samples.put("visits-retention", List.of("90d", "forever", "720h", "0"));
        samples.put("check-interval", List.of("24h", "off", "1m", "0"));
        samples.put("check-concurrency", List.of("8", "1", "0", "250"));
        samples.put("check-per-host", List.of("1", "4"));
        samples.put("check-timeout", List.of("5s", "1m"));
        samples.put("resolve-titles", List.of("true", "F"));
        samples.put("fetch-private", List.of("true", "0"));
        samples.put("access-log", List.of("-", "access.log"));
        samples.put("cors-allow-origin", List.of("<origin>", "https://a.example,https://b.example", "*"));
        samples.put("delete-short-url-threshold", List.of("15", "0"));
        return samples;
    }

    private static ServeCommand quick(Map<String, String> env, String... args) {
        return ServeFlags.read(args, env, new ServeCommand(DISCARD, DISCARD, new StopSignal(), env));
    }

    /** Every option field of the serve command, as picocli and as ServeFlags set them. */
    private static void assertSameAsPicocli(Map<String, String> env, String... args) throws IllegalAccessException {
        ServeCommand quick = quick(env, args);
        assertThat(quick).as("ServeFlags reads %s with %s", Arrays.toString(args), env).isNotNull();
        ServeCommand picocli = Cli.parsedServe(args, env);
        for (Field field : ServeCommand.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(CommandLine.Option.class)) {
                assertThat(field.get(quick)).as("%s of %s with %s", field.getName(), Arrays.toString(args), env)
                        .isEqualTo(field.get(picocli));
            }
        }
    }

    @Test
    void everyOptionPicocliKnowsIsKnownWithItsNamesDefaultAndKind() {
        CommandLine cli = Cli.commandLine(new ServeCommand(DISCARD, DISCARD, new StopSignal(), Map.of()), DISCARD, DISCARD, Map.of());
        List<String> picocliFlags = new ArrayList<>();
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = option.longestName().replaceFirst("^--", "");
            picocliFlags.add(name);
            ServeFlags.Flag flag = ServeFlags.FLAGS.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
            assertThat(flag).as("ServeFlags knows -%s", name).isNotNull();
            assertThat(option.names()).as("-%s's spellings", name).containsExactlyInAnyOrder("-" + name, "--" + name);
            assertThat(flag.defaultValue()).as("-%s's default", name).isEqualTo(option.defaultValue());
            assertThat(flag.bool()).as("-%s may stand alone", name).isEqualTo(option.arity().min() == 0);
            assertThat(flag.environmentName()).isEqualTo(Cli.environmentName(option));
        }
        assertThat(ServeFlags.FLAGS.stream().map(ServeFlags.Flag::name).toList()).isEqualTo(picocliFlags);
        assertThat(SAMPLES.keySet()).as("a sample value of every flag").containsExactlyElementsOf(picocliFlags);
        assertThat(ServeFlags.SUBCOMMANDS).isEqualTo(cli.getSubcommands().keySet());
    }

    @Test
    void noFlagsIsEveryDefault() throws Exception {
        assertSameAsPicocli(Map.of());
        assertThat(quick(Map.of()).config()).isEqualTo(Cli.serveConfig(new String[0], Map.of()));
    }

    @Test
    void everyFlagInEverySpellingAsPicocliReadsIt() throws Exception {
        for (Map.Entry<String, List<String>> flag : SAMPLES.entrySet()) {
            String name = flag.getKey();
            for (String value : flag.getValue()) {
                assertSameAsPicocli(Map.of(), "-" + name + "=" + value);
                assertSameAsPicocli(Map.of(), "--" + name + "=" + value);
                boolean bool = ServeFlags.FLAGS.stream().anyMatch(f -> f.name().equals(name) && f.bool());
                if (!value.startsWith("-") && !bool) { // -sync false is picocli's to read (see everythingElseIsLeftToPicocli)
                    assertSameAsPicocli(Map.of(), "-" + name, value, name.equals("file") ? "-http=:4000" : "-file=:memory:");
                    assertSameAsPicocli(Map.of(), "--" + name, value);
                }
            }
        }
        for (String bool : List.of("sync", "public-add", "track", "resolve-titles", "fetch-private")) {
            assertSameAsPicocli(Map.of(), "-" + bool);
            assertSameAsPicocli(Map.of(), "--" + bool, "-http=:4000");
        }
    }

    @Test
    void everyFlagFromItsVariableAndTheFlagWinsOverIt() throws Exception {
        for (Map.Entry<String, List<String>> flag : SAMPLES.entrySet()) {
            String variable = "GOTO_" + flag.getKey().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
            List<String> values = flag.getValue();
            for (String value : values) {
                assertSameAsPicocli(Map.of(variable, value));
            }
            assertSameAsPicocli(Map.of(variable, values.get(0)), "-" + flag.getKey() + "=" + values.get(values.size() - 1));
        }
    }

    @Test
    void everyFlagAtOnceAsBenchAndUsersWriteThem() throws Exception {
        List<String> all = SAMPLES.entrySet().stream().map(flag -> "-" + flag.getKey() + "=" + flag.getValue().get(0)).toList();
        assertSameAsPicocli(Map.of(), all.toArray(String[]::new));
        assertSameAsPicocli(Map.of(), "-http=127.0.0.1:18080", "-file=/data/goto-1000000.log", "-host=127.0.0.1:18080",
                "-admin=127.0.0.1:18081");
        Map<String, String> env = SAMPLES.entrySet().stream().collect(Collectors.toMap(
                flag -> "GOTO_" + flag.getKey().replace('-', '_').toUpperCase(java.util.Locale.ROOT), flag -> flag.getValue().get(1)));
        assertSameAsPicocli(env);
        assertSameAsPicocli(env, all.toArray(String[]::new));
    }

    /** Command lines whose reading picocli decides: its help, its errors, its subcommands. */
    @Test
    void everythingElseIsLeftToPicocli() {
        List<List<String>> leftToPicocli = List.of(
                List.of("-help"), List.of("--help"), List.of("-h"), List.of("-version"), List.of("-V"),
                List.of("import", "-file=x.data", "urls.txt"), List.of("compact", "-file=x.data"), List.of("api-key", "list"),
                List.of("-http=:1", "-http=:2"), List.of("-http=:1", "--http=:2"),
                List.of("-sync", "false"), List.of("-track", "off"),
                List.of("-http"), List.of("-http", "-file=x"), List.of("-host", "import"), List.of("-host", "@hosts.txt"),
                List.of("-hots=x"), List.of("-Verbose"), List.of("---http=:1"), List.of("-"), List.of("--"), List.of("--", "-http=:1"),
                List.of("extra"), List.of("@args.txt"),
                List.of("-http=abc"), List.of("-http="), List.of("-file="), List.of("-sync=maybe"), List.of("-shutdown-timeout=0s"),
                List.of("-redirect-status=303"), List.of("-initial-api-key=short"), List.of("-add-rate=0/1m"),
                List.of("-visits-retention=30m"), List.of("-check-interval=10s"),
                List.of("-check-concurrency=010"), List.of("-check-concurrency=+5"), List.of("-check-concurrency=-1"),
                List.of("-check-per-host=0x10"), List.of("-delete-short-url-threshold=99999999999"));
        for (List<String> args : leftToPicocli) {
            assertThat(quick(Map.of(), args.toArray(String[]::new))).as("ServeFlags leaves %s to picocli", args).isNull();
        }
        assertThat(quick(Map.of("GOTO_HTTP", "abc"))).as("a bad variable").isNull();
        assertThat(quick(Map.of("GOTO_HTTP", "abc"), "-http=:4000")).as("a bad variable, even behind its flag").isNull();
        assertThat(quick(Map.of("GOTO_SHUTDOWN_TIMEOUT", "0s"))).isNull();
    }

    /** What the user sees of a refusal is picocli's one line, whichever reader met the command line first. */
    @Test
    void aRefusalIsPicocliLineAndExitCode() {
        CliRun bad = CliRun.of(Map.of(), "-http=abc", "-file=:memory:");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("goto: -http: 'abc' is not HOST:PORT").contains("goto -help lists the flags");
        CliRun twice = CliRun.of(Map.of(), "-http=127.0.0.1:0", "-http=127.0.0.1:0", "-file=:memory:");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("should be specified only once");
    }

    @Test
    void variablesOfOtherProgramsAreNotFlags() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("GOTO_"));
        env.put("GOTO", "1");
        env.put("GOTO_PORT", "8080");
        assertSameAsPicocli(env, "-file=:memory:");
    }
}
