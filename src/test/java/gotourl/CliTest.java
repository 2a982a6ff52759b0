package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** goto's flags, parsed without serving: the seed's Go spelling, two dashes, environment variables. */
class CliTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static Config parse(String... args) {
        return Cli.serveConfig(args, NO_ENV);
    }

    /** What {@code goto ARGS} prints and returns, for flags that stop goto before it serves. */
    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, new StopSignal());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsAreTheSeeds() {
        Config config = parse();
        assertThat(config.http()).isEqualTo(new ListenAddress(null, 3000));
        assertThat(config.file()).isEqualTo(Path.of("goto.data"));
        assertThat(config.host().shortUrl("a")).isEqualTo("http://localhost:3000/a");
        assertThat(config.sync()).isTrue();
        assertThat(config.admin()).isEqualTo(new ListenAddress("127.0.0.1", 3001));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.accessLog()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-http=:4000|        | 4000",
            "-http|:4001         | 4001",
            "--http=:4002|       | 4002",
            "--http|:4003        | 4003",
            "-http=127.0.0.1:4004|| 4004"})
    void theListenAddressInEverySpelling(String flag, String value, int port) {
        Config config = value == null ? parse(flag) : parse(flag, value);
        assertThat(config.http().port()).isEqualTo(port);
    }

    @Test
    void everyFlagInTheGoSpelling() {
        Config config = parse("-http=127.0.0.1:8080", "-file=links.data", "-host=go.example.com", "-sync=false",
                "-admin=off", "-shutdown-timeout=1m30s", "-access-log=-");
        assertThat(config.http()).isEqualTo(new ListenAddress("127.0.0.1", 8080));
        assertThat(config.file()).isEqualTo(Path.of("links.data"));
        assertThat(config.host().shortUrl("b")).isEqualTo("http://go.example.com/b");
        assertThat(config.sync()).isFalse();
        assertThat(config.admin()).isNull();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.accessLog()).isEqualTo(Path.of("-"));
    }

    @Test
    void everyFlagWithTwoDashesAndSeparateValues() {
        Config config = Cli.serveConfig(new String[] {"--http", "[::1]:9090", "--file", ":memory:", "--host", "https://go.example.com",
                "--sync", "false", "--admin", "127.0.0.1:9091", "--shutdown-timeout", "500ms"}, NO_ENV);
        assertThat(config.http()).isEqualTo(new ListenAddress("::1", 9090));
        assertThat(config.file()).as(":memory: keeps links in memory").isNull();
        assertThat(config.host().shortUrl("c")).isEqualTo("https://go.example.com/c");
        assertThat(config.sync()).isFalse();
        assertThat(config.admin()).isEqualTo(new ListenAddress("127.0.0.1", 9091));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBareSyncFlagMeansTrue() {
        assertThat(parse("-sync").sync()).isTrue();
        assertThat(parse("-sync=true").sync()).isTrue();
    }

    @Test
    void everyFlagFromItsEnvironmentVariable() {
        Map<String, String> env = Map.of("GOTO_HTTP", ":5000", "GOTO_FILE", "env.data", "GOTO_HOST", "env.example:5000",
                "GOTO_SYNC", "false", "GOTO_ADMIN", "off", "GOTO_SHUTDOWN_TIMEOUT", "3s", "GOTO_ACCESS_LOG", "access.log");
        Config config = Cli.serveConfig(new String[0], env);
        assertThat(config.http().port()).isEqualTo(5000);
        assertThat(config.file()).isEqualTo(Path.of("env.data"));
        assertThat(config.host().shortUrl("a")).isEqualTo("http://env.example:5000/a");
        assertThat(config.sync()).isFalse();
        assertThat(config.admin()).isNull();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.accessLog()).isEqualTo(Path.of("access.log"));
    }

    @Test
    void aFlagOnTheCommandLineWinsOverItsEnvironmentVariable() {
        Config config = Cli.serveConfig(new String[] {"-http=:6000", "-host", "flag.example"},
                Map.of("GOTO_HTTP", ":5000", "GOTO_HOST", "env.example"));
        assertThat(config.http().port()).isEqualTo(6000);
        assertThat(config.host().shortUrl("a")).isEqualTo("http://flag.example/a");
    }

    /** Bad values, and a phrase of the one line that must say what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-http=3000               | is not HOST:PORT or :PORT",
            "-http=:99999             | port 99999 is outside 0-65535",
            "-http=:http              | port 'http' is not a number",
            "-http=::1:3000           | write an IPv6 host in brackets",
            "-http=                   | is not HOST:PORT",
            "-admin=localhost         | is not HOST:PORT",
            "-host=ftp://go.example   | must be http or https",
            "-host=go.example/path    | is not HOST[:PORT]",
            "-host=user@go.example    | is not HOST[:PORT]",
            "-file=                   | the data file name is empty",
            "-shutdown-timeout=ten    | is not a duration",
            "-shutdown-timeout=10     | is not a duration",
            "-shutdown-timeout=0s     | must be positive",
            "-shutdown-timeout=-1s    | '-1s' is negative: it must be more than zero (e.g. 10s)",
            "-check-timeout=-500ms    | '-500ms' is negative: it must be more than zero",
            "-visits-retention=-90d   | '-90d' is negative: give a duration of zero or more",
            "-check-interval=-24h     | '-24h' is negative: give a duration of zero or more",
            "-shutdown-timeout=--1s   | is not a duration",
            "-sync=maybe              | maybe",
            "-port=3000               | Unknown option",
            "-http                    | Missing required parameter"})
    void badFlagsAreRefusedNamingTheProblem(String arg, String problem) {
        assertThatThrownBy(() -> parse(arg.strip()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void aBadValueInTheEnvironmentIsRefusedToo() {
        assertThatThrownBy(() -> Cli.serveConfig(new String[0], Map.of("GOTO_HTTP", "3000")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'3000' is not HOST:PORT");
    }

    @Test
    void aBadValueStopsGotoWithOneLineNamingTheFlagAndExitCode2() {
        Outcome outcome = run(NO_ENV, "-http=:99999", "-file=:memory:");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines().findFirst()).hasValueSatisfying(line ->
                assertThat(line).startsWith("goto: ").contains("-http").contains(":99999").contains("outside 0-65535"));
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void aZeroShutdownTimeoutStopsGotoWithALineNamingTheFlag() {
        Outcome outcome = run(NO_ENV, "-shutdown-timeout=0s", "-file=:memory:", "-http=127.0.0.1:0", "-admin=off");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines().findFirst()).hasValueSatisfying(line ->
                assertThat(line).startsWith("goto: ").contains("shutdown-timeout").contains("0s").contains("positive"));
    }

    @Test
    void aNegativeShutdownTimeoutIsSaidToBeNegativeNotNotADuration() {
        Outcome outcome = run(NO_ENV, "-shutdown-timeout=-1s", "-file=:memory:", "-http=127.0.0.1:0", "-admin=off");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("goto: -shutdown-timeout: '-1s' is negative: it must be more than zero (e.g. 10s);"
                + " goto -help lists the flags");
        Outcome fromEnvironment = run(Map.of("GOTO_VISITS_RETENTION", "-7d"), "-file=:memory:", "-http=127.0.0.1:0", "-admin=off");
        assertThat(fromEnvironment.exitCode()).isEqualTo(2);
        assertThat(fromEnvironment.err()).contains("'-7d' is negative: give a duration of zero or more (e.g. 10s)")
                .doesNotContain("not a duration");
    }

    @Test
    void helpListsEveryFlagWithItsEnvironmentVariable() {
        Outcome outcome = run(NO_ENV, "--help");
        assertThat(outcome.exitCode()).isZero();
        for (String flag : new String[] {"-http", "-file", "-host", "-sync", "-admin", "-shutdown-timeout", "-access-log"}) {
            assertThat(outcome.out()).contains(flag);
        }
        assertThat(outcome.out()).contains("GOTO_HTTP").contains("GOTO_FILE").contains("GOTO_HOST").contains(":3000");
        assertThat(run(NO_ENV, "-h").out()).isEqualTo(outcome.out());
        assertThat(run(NO_ENV, "-help").out()).as("Go's spelling").isEqualTo(outcome.out());
        assertThat(run(NO_ENV, "-help").exitCode()).isZero();
        assertThat(run(NO_ENV, "import", "-help").out()).contains("Usage: goto import");
    }

    /**
     * picocli lists each command with the first line of its description: that line must be a
     * whole sentence. Three of them once read "... or yourls_url SQL dump," or "... only public",
     * cut mid-sentence, under a second hand-written list of commands that lacked export.
     */
    @Test
    void helpListsEveryCommandOnceWithAWholeSentence() {
        String help = run(NO_ENV, "-help").out();
        String commands = help.substring(help.indexOf("Commands:"));
        commands = commands.substring(0, commands.indexOf("\n\n") < 0 ? commands.length() : commands.indexOf("\n\n"));
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        String current = null;
        for (String line : commands.lines().skip(1).toList()) {
            java.util.regex.Matcher entry = java.util.regex.Pattern.compile("^  (\\S+)\\s+(.*)$").matcher(line);
            if (entry.matches()) {
                current = entry.group(1);
                entries.put(current, entry.group(2).strip());
            } else {
                entries.merge(current, line.strip(), (said, more) -> said + " " + more);
            }
        }
        assertThat(entries.keySet()).containsExactly("import", "export", "repair", "compact", "upgrade", "check", "api-key");
        entries.forEach((command, summary) -> assertThat(summary).as(command).endsWith("."));
        for (String command : entries.keySet()) {
            assertThat(help.split("goto " + command + " ", -1)).as("a second list naming %s", command).hasSize(1);
        }
    }

    @Test
    void versionInGosSpellingToo() {
        assertThat(run(NO_ENV, "-version").out()).isEqualTo(run(NO_ENV, "--version").out()).startsWith("goto ");
    }

    /** Go's flag package reads booleans with strconv.ParseBool; a Go user's habits work. */
    @ParameterizedTest(name = "-sync={0}")
    @CsvSource({"1,true", "t,true", "T,true", "TRUE,true", "true,true", "True,true",
            "0,false", "f,false", "F,false", "FALSE,false", "false,false", "False,false"})
    void syncTakesTheBooleansGoTakes(String value, boolean sync) {
        assertThat(parse("-sync=" + value).sync()).isEqualTo(sync);
        assertThat(Cli.serveConfig(new String[0], Map.of("GOTO_SYNC", value)).sync()).isEqualTo(sync);
    }

    /** The seed's -host follows its -http; so does goto's when -host is not given. */
    @ParameterizedTest(name = "-http={0}")
    @CsvSource({":4000, http://localhost:4000/a", "127.0.0.1:8080, http://127.0.0.1:8080/a",
            "0.0.0.0:5000, http://localhost:5000/a", "[::1]:6000, http://[::1]:6000/a", "go.example:80, http://go.example/a",
            "Go.Example:7000, http://go.example:7000/a"})
    void withoutHostShortUrlsNameTheListenAddress(String http, String shortUrl) {
        assertThat(parse("-http=" + http).host().shortUrl("a")).isEqualTo(shortUrl);
        assertThat(Cli.serveConfig(new String[0], Map.of("GOTO_HTTP", http)).host().shortUrl("a")).isEqualTo(shortUrl);
        assertThat(parse("-http=" + http, "-host=short.example").host().shortUrl("a")).isEqualTo("http://short.example/a");
        assertThat(Cli.serveConfig(new String[] {"-http=" + http}, Map.of("GOTO_HOST", "env.example")).host().shortUrl("a"))
                .isEqualTo("http://env.example/a");
    }

    @Test
    void aDerivedHostTakesThePortTheListenerWasGiven() {
        Config config = parse("-http=127.0.0.1:0");
        assertThat(config.boundTo(43210, 43211).host().shortUrl("a")).isEqualTo("http://127.0.0.1:43210/a");
        Config given = parse("-http=127.0.0.1:0", "-host=go.example");
        assertThat(given.boundTo(43210, 43211).host().shortUrl("a")).as("a -host given is kept").isEqualTo("http://go.example/a");
    }

    /** One line, naming the flag as written (or the variable it came from), then exit code 2. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-http=abc           | goto: -http: 'abc' is not HOST:PORT",
            "--http=abc          | goto: --http: 'abc' is not HOST:PORT",
            "-sync=maybe         | goto: -sync: 'maybe' is not a boolean: write true or false",
            "-shutdown-timeout=0 | goto: -shutdown-timeout: '0' ",
            "-http               | goto: -http needs a value, e.g. -http=ADDR",
            "-hots=x             | goto: unknown flag or argument '-hots=x'"})
    void aBadFlagIsOneLineNamingTheFlagAsWritten(String arg, String line) {
        Outcome outcome = run(NO_ENV, arg.strip(), "-file=:memory:");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines().toList()).singleElement().satisfies(only ->
                assertThat(only).startsWith(line.strip()).endsWith("; goto -help lists the flags"));
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        Outcome outcome = run(Map.of("GOTO_HTTP", "abc"), "-file=:memory:");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines().toList()).singleElement().satisfies(only ->
                assertThat(only).startsWith("goto: GOTO_HTTP (the environment's -http): 'abc' is not HOST:PORT"));
        Outcome sync = run(Map.of("GOTO_SYNC", "yes"), "-file=:memory:");
        assertThat(sync.err()).startsWith("goto: GOTO_SYNC (the environment's -sync): 'yes' is not a boolean");
        Outcome flagWins = run(Map.of("GOTO_HTTP", ":3000"), "-http=abc", "-file=:memory:");
        assertThat(flagWins.err()).startsWith("goto: -http: 'abc'");
    }

    @Test
    void aMissingImportFileIsNamedInPlainWordsAndNoDataFileIsMade(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path data = dir.resolve("goto.data");
        Outcome outcome = run(NO_ENV, "import", "-file=" + data, dir.resolve("nosuch.txt").toString());
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err().lines().toList()).singleElement().satisfies(only -> assertThat(only)
                .isEqualTo("goto import: " + dir.resolve("nosuch.txt") + ": no such file; give the file of URLs, or - to read them from stdin"));
        assertThat(data).doesNotExist();
        Outcome directory = run(NO_ENV, "import", "-file=" + data, dir.toString());
        assertThat(directory.err()).startsWith("goto import: " + dir + " is a directory");
    }

    @Test
    void versionNamesGotoAndItsVersion() {
        Outcome outcome = run(NO_ENV, "--version");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).matches("goto \\d+\\.\\d+\\.\\d+.*\\(Java .*\\)\\R");
    }

    /**
     * Go flags are single-dash words. Read as POSIX clusters, {@code -hots=x} would be {@code -h}
     * followed by junk and print the help with exit code 0, and {@code -Verbose} would print the
     * version: a typo must be an error instead.
     */
    @ParameterizedTest
    @CsvSource({"-hots=x", "-Verbose", "-hV", "-Vh", "-htp=:3000"})
    void singleDashWordsAreNeverReadAsClustersOfShortOptions(String typo) {
        Outcome outcome = run(NO_ENV, typo, "-file=:memory:");
        assertThat(outcome.exitCode()).as("exit code for %s", typo).isEqualTo(2);
        assertThat(outcome.err()).contains("goto: ").contains(typo.substring(0, 3));
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void singleDashLongFlagsAreReadWhole() {
        Config config = parse("-host=x", "-http=:7000");
        assertThat(config.host().shortUrl("a")).isEqualTo("http://x/a");
        assertThat(config.http().port()).isEqualTo(7000);
    }
}
