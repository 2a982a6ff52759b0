package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link ImportFlags}, goto's reader of a well-formed {@code goto import} command line, held to
 * picocli's: every command line it accepts sets every field as picocli sets it, it knows every
 * option picocli knows with the same default, and it leaves everything else to picocli.
 */
class ImportFlagsTest {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    /** Values of each flag that picocli accepts, in forms a user writes. */
    private static final Map<String, List<String>> SAMPLES = samples();

    private static Map<String, List<String>> samples() {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        samples.put("file", List.of("links.data", "/var/lib/goto/goto.data", "dir/with space.data"));
        samples.put("host", List.of("go.example.com", "https://go.example", "127.0.0.1:8080"));
        samples.put("url", List.of("http://localhost:8080", "https://go.example/", "localhost:8080"));
        samples.put("api-key-file", List.of("key.txt", "/run/secrets/goto-key"));
        return samples;
    }

    private static ImportCommand quick(Map<String, String> env, String... args) {
        return ImportFlags.read(args, env, new ImportCommand(DISCARD, DISCARD, env, new StopSignal()));
    }

    private static ImportCommand picocli(Map<String, String> env, String... args) {
        ServeCommand serve = new ServeCommand(DISCARD, DISCARD, new StopSignal(), env);
        CommandLine cli = Cli.commandLine(serve, DISCARD, DISCARD, env);
        cli.parseArgs(args);
        return (ImportCommand) cli.getSubcommands().get("import").getCommand();
    }

    /** Every option and parameter field of the import command, as picocli and as ImportFlags set them. */
    private static void assertSameAsPicocli(Map<String, String> env, String... args) throws IllegalAccessException {
        ImportCommand quick = quick(env, args);
        assertThat(quick).as("ImportFlags reads %s with %s", Arrays.toString(args), env).isNotNull();
        ImportCommand picocli = picocli(env, args);
        int compared = 0;
        for (Field field : ImportCommand.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(CommandLine.Option.class) || field.isAnnotationPresent(CommandLine.Parameters.class)) {
                assertThat(field.get(quick)).as("%s of %s with %s", field.getName(), Arrays.toString(args), env)
                        .isEqualTo(field.get(picocli));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(ImportFlags.FLAGS.size() + 1);
    }

    @Test
    void everyOptionPicocliKnowsIsKnownWithItsNamesAndDefault() {
        CommandLine cli = Cli.commandLine(new ServeCommand(DISCARD, DISCARD, new StopSignal(), Map.of()), DISCARD, DISCARD, Map.of());
        List<String> picocliFlags = new ArrayList<>();
        for (OptionSpec option : cli.getSubcommands().get("import").getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = option.longestName().replaceFirst("^--", "");
            picocliFlags.add(name);
            assertThat(option.names()).as("-%s's spellings", name).containsExactlyInAnyOrder("-" + name, "--" + name);
            assertThat(ImportFlags.defaultValue(name)).as("-%s's default", name).isEqualTo(option.defaultValue());
            assertThat(option.arity().min()).as("-%s takes a value", name).isEqualTo(1);
            assertThat(ImportFlags.environmentName(name)).isEqualTo(Cli.environmentName(option));
        }
        assertThat(ImportFlags.FLAGS).isEqualTo(picocliFlags);
        assertThat(SAMPLES.keySet()).as("a sample value of every flag").containsExactlyElementsOf(picocliFlags);
    }

    @Test
    void everyFlagInEverySpellingAsPicocliReadsIt() throws Exception {
        assertSameAsPicocli(Map.of(), "import", "urls.txt");
        for (Map.Entry<String, List<String>> flag : SAMPLES.entrySet()) {
            String name = flag.getKey();
            for (String value : flag.getValue()) {
                assertSameAsPicocli(Map.of(), "import", "-" + name + "=" + value, "urls.txt");
                assertSameAsPicocli(Map.of(), "import", "--" + name + "=" + value, "urls.txt");
                assertSameAsPicocli(Map.of(), "import", "urls.txt", "-" + name, value);
                assertSameAsPicocli(Map.of(), "import", "--" + name, value, "in put.csv");
            }
        }
        assertSameAsPicocli(Map.of(), "import", "-file=x.data", "-host=go.example", "-url=http://127.0.0.1:1",
                "-api-key-file=k", "export.jsonl");
    }

    @Test
    void everyFlagFromItsVariableAndTheFlagWinsOverIt() throws Exception {
        for (Map.Entry<String, List<String>> flag : SAMPLES.entrySet()) {
            String variable = ImportFlags.environmentName(flag.getKey());
            List<String> values = flag.getValue();
            for (String value : values) {
                assertSameAsPicocli(Map.of(variable, value), "import", "urls.txt");
            }
            assertSameAsPicocli(Map.of(variable, values.get(0)), "import", "-" + flag.getKey() + "=" + values.get(values.size() - 1),
                    "urls.txt");
        }
        assertSameAsPicocli(Map.of("GOTO", "1", "GOTO_PORT", "8080", "GOTO_HTTP", ":9"), "import", "urls.txt");
    }

    /** Command lines whose reading picocli decides: its help, its errors, stdin's "-", other commands. */
    @Test
    void everythingElseIsLeftToPicocli() {
        List<List<String>> leftToPicocli = List.of(
                List.of("import"), List.of("import", "-help"), List.of("import", "-h"), List.of("import", "--help"),
                List.of("import", "-version"), List.of("import", "-V"), List.of("import", "-"), List.of("import", "-file=x", "-"),
                List.of("import", "--", "urls.txt"), List.of("import", "a.txt", "b.txt"), List.of("import", "@args.txt"),
                List.of("import", "-file=x", "-file=y", "u.txt"), List.of("import", "-file=x", "--file=y", "u.txt"),
                List.of("import", "-file"), List.of("import", "-file", "-host=x", "u.txt"), List.of("import", "-file", "@f", "u.txt"),
                List.of("import", "-file=", "u.txt"), List.of("import", "-fiel=x", "u.txt"), List.of("import", "---file=x", "u.txt"),
                List.of("import", "-host=", "u.txt"), List.of("import", "-host=not a host", "u.txt"),
                List.of("import", "-url=http://bad host", "u.txt"), List.of("import", "-url", "ftp://[x", "u.txt"),
                List.of("export", "-file=x"), List.of("-file=x", "import", "u.txt"), List.of("urls.txt"), List.of());
        for (List<String> args : leftToPicocli) {
            assertThat(quick(Map.of(), args.toArray(String[]::new))).as("ImportFlags leaves %s to picocli", args).isNull();
        }
        assertThat(quick(Map.of("GOTO_HOST", "not a host"), "import", "u.txt")).as("a bad variable").isNull();
        assertThat(quick(Map.of("GOTO_HOST", "not a host"), "import", "-host=go.example", "u.txt"))
                .as("a bad variable, even behind its flag").isNull();
        assertThat(quick(Map.of("GOTO_FILE", ""), "import", "u.txt")).as("an empty variable").isNull();
    }

    /** An import read by ImportFlags runs as picocli's would: its output, its refusals, its exit codes. */
    @Test
    void anImportReadWithoutPicocliRunsAndRefusesAsBefore(@TempDir Path dir) throws Exception {
        Path urls = Files.writeString(dir.resolve("urls.txt"), "https://example.com/a\nnot a url\n");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + dir.resolve("x.data"), urls.toString());
        assertThat(run.out()).contains("1 added").contains("1 invalid");
        assertThat(run.err()).contains("line 2: skipped");
        assertThat(run.exitCode()).isEqualTo(1);
        CliRun missing = CliRun.of(Map.of(), "import", "-file=" + dir.resolve("x.data"), dir.resolve("nosuch.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
        Path noKey = dir.resolve("no-key.txt");
        CliRun missingKey = CliRun.of(Map.of(), "import", "-url=http://127.0.0.1:9", "-api-key-file=" + noKey, urls.toString());
        assertThat(missingKey.exitCode()).isEqualTo(1);
        assertThat(missingKey.err()).contains("cannot read the API key from " + noKey + ": no such file or directory");
        CliRun keyWithoutUrl = CliRun.of(Map.of(), "import", "-api-key-file=k", urls.toString());
        assertThat(keyWithoutUrl.exitCode()).isEqualTo(2);
        assertThat(keyWithoutUrl.err()).contains("-api-key-file is for imports through the API");
        CliRun badHost = CliRun.of(Map.of(), "import", "-host=not a host", urls.toString());
        assertThat(badHost.exitCode()).as("picocli's refusal").isEqualTo(2);
        assertThat(badHost.err()).contains("goto import: -host").contains("goto import -help lists the flags");
    }
}
