package gotourl;

import gotourl.link.LongUrlRules;
import gotourl.link.SelfAddresses;
import gotourl.porting.ImportJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goto import}: reads links from a file (or stdin) in any format {@code gotourl.porting}
 * recognises (goto's exports, YOURLS, Shlink, Kutt, Bitly, a plain list of URLs with optional
 * {@code SLUG URL} lines) and adds them, keeping their codes and dates, with the checks of
 * {@code /add}: into a stopped goto's data file, or with {@code -url} through a running goto's
 * batch API, the API key read from {@code -api-key-file} or {@code GOTO_API_KEY} (never from the
 * command line, where other users of the machine could read it).
 */
@Command(name = "import", versionProvider = Cli.Version.class,
        description = {"Adds links from goto's export, another shortener's, or a plain list of URLs.",
                "It reads goto's JSON Lines or CSV, a YOURLS CSV export or yourls_url SQL dump,",
                "a Shlink CSV export, a Kutt link list (JSON), a Bitly CSV export, or a plain",
                "list of URLs ('SLUG URL' keeps SLUG).",
                "The format is recognised from the content. Codes and dates are kept; a link",
                "already there is left unchanged; conflicts and invalid lines are reported with",
                "their line numbers and skipped.",
                "Into a stopped goto's -file, or into a running goto with -url (API key from",
                "-api-key-file or GOTO_API_KEY).",
                "goto's JSON Lines export moves a -file's key counter to the export's (never",
                "back), so keys deleted before the export are never handed out again; CSV, other",
                "formats and -url move it past the imported keys only.",
                "Exit status: 0 every line added or unchanged, 1 some skipped or the import",
                "failed, 130 stopped by Ctrl-C (the links added before it are kept)."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to add to, created if missing (not when nothing is added); goto must be stopped"
                    + " (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @Option(names = {"-host", "--host"}, paramLabel = "HOST", defaultValue = Config.DEFAULT_HOST,
            converter = Cli.HostConverter.class,
            description = "goto's own host, whose URLs are refused as loops (default ${DEFAULT-VALUE}) [GOTO_HOST]")
    ShortUrlBase host;

    @Option(names = {"-url", "--url"}, paramLabel = "URL",
            description = "import into the running goto at URL (e.g. http://localhost:8080) through its batch API, not into -file")
    URI url;

    @Option(names = {"-api-key-file", "--api-key-file"}, paramLabel = "FILE",
            description = "with -url: the file holding the API key (else the environment's GOTO_API_KEY)")
    Path apiKeyFile;

    @Parameters(paramLabel = "INPUT", description = "the file to import, or - for stdin")
    String source;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final StopSignal stop;

    /** {@code stop}: Ctrl-C (SIGINT) or SIGTERM, which stops the import between two batches, keeping what it added. */
    ImportCommand(PrintStream out, PrintStream err, Map<String, String> env, StopSignal stop) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.stop = stop;
    }

    @Override
    public Integer call() {
        String apiKey = null;
        if (url != null) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                err.println("goto import: -url " + url + " is not a goto's address; give it as http://HOST:PORT");
                return Cli.USAGE_ERROR;
            }
            try {
                apiKey = apiKeyFile != null ? Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip() : env.get("GOTO_API_KEY");
            } catch (IOException e) {
                err.println("goto import: cannot read the API key from " + apiKeyFile + ": " + gotourl.porting.OutputFile.reason(e));
                return 1;
            }
            if (apiKey == null || apiKey.isBlank()) {
                err.println("goto import: -url needs an API key: put it in a file given with -api-key-file, or in GOTO_API_KEY"
                        + " (goto api-key generate makes one)");
                return Cli.USAGE_ERROR;
            }
        } else if (apiKeyFile != null) {
            err.println("goto import: -api-key-file is for imports through the API: give -url too, or leave it out to import into -file");
            return Cli.USAGE_ERROR;
        }
        LongUrlRules rules = new LongUrlRules(new SelfAddresses(java.util.List.of(host.selfEndpoint())));
        ImportJob job = new ImportJob(url == null ? file : null, url, apiKey, rules, out, err, ImportJob.onTerminal(err),
                Clock.systemUTC());
        if (source.equals("-")) {
            return job.run(System.in, "stdin", -1, stop::isStopped);
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            err.println("goto import: " + source + ": no such file; give the file of URLs, or - to read them from stdin");
            return 1;
        }
        if (Files.isDirectory(path)) {
            err.println("goto import: " + source + " is a directory; give the file of URLs, or - to read them from stdin");
            return 1;
        }
        try (InputStream in = Files.newInputStream(path)) {
            // Only a regular file's size is its length: a pipe given by path (<(...), /dev/stdin,
            // a FIFO) says 0, which the progress took as a total of 0 and showed 100% all along.
            return job.run(in, source, Files.isRegularFile(path) ? Files.size(path) : -1, stop::isStopped);
        } catch (IOException e) {
            err.println("goto import: cannot read " + source + ": " + e.getMessage());
            return 1;
        }
    }
}
