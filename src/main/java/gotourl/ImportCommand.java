package gotourl;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrlRules;
import gotourl.link.SelfAddresses;
import gotourl.store.LinkConflictException;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreUnavailableException;
import gotourl.store.log.LogLinkStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goto import}: adds the URLs of a text file, one per line, straight into the data file,
 * with the same checks as {@code /add} and the same durable group commit. A line may name its
 * custom slug before the URL ({@code SLUG URL}), as links moved from another shortener keep
 * theirs. goto must be stopped.
 */
@Command(name = "import", versionProvider = Cli.Version.class,
        description = {"Adds the URLs of a file, one per line, to the data file, with the checks /add applies.",
                "Each URL gets the next key, in order; a line 'SLUG URL' keeps SLUG as the link's custom slug.",
                "Bad lines (and slugs already taken) are reported and skipped. Stop goto first."})
final class ImportCommand implements Callable<Integer> {
    private static final int MAX_REPORTED_LINES = 20;

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to add to, created if missing (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @Option(names = {"-host", "--host"}, paramLabel = "HOST", defaultValue = Config.DEFAULT_HOST,
            converter = Cli.HostConverter.class,
            description = "goto's own host, whose URLs are refused as loops (default ${DEFAULT-VALUE}) [GOTO_HOST]")
    ShortUrlBase host;

    @Parameters(paramLabel = "URLS", description = "the file of URLs, or - for stdin")
    String source;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;

    ImportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        LongUrlRules rules = new LongUrlRules(new SelfAddresses(java.util.List.of(host.selfEndpoint())));
        long started = System.nanoTime();
        long imported = 0;
        long skipped = 0;
        long lineNumber = 0;
        String firstKey = null;
        String lastKey = null;
        try (BufferedReader lines = open(source);
             LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            ArrayDeque<CompletableFuture<String>> pending = new ArrayDeque<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                // 'SLUG URL': a slug holds no ':', so a first field with one is the start of a URL
                // that has a space in it, which the URL rules judge whole.
                String stripped = line.strip();
                String[] fields = stripped.split("\\s+", 2);
                boolean hasSlug = fields.length == 2 && !fields[0].contains(":");
                String slug = hasSlug ? fields[0] : null;
                LongUrlRules.Verdict verdict = rules.check(hasSlug ? fields[1] : stripped);
                String problem = verdict.accepted() ? null
                        : hasSlug ? "read as 'SLUG URL' with the slug '" + slug + "': " + verdict.problem() : verdict.problem();
                LinkDraft draft = null;
                if (problem == null && slug != null) {
                    try {
                        draft = LinkDraft.of(verdict.url()).withCustomSlug(slug);
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem == null) {
                    CompletableFuture<String> added = addWaitingWhileBusy(store, verdict.url(), draft, pending);
                    if (added.isCompletedExceptionally() && added.exceptionNow() instanceof LinkConflictException taken) {
                        problem = taken.getMessage();
                    } else {
                        pending.add(added);
                    }
                }
                if (problem != null) {
                    if (++skipped <= MAX_REPORTED_LINES) {
                        err.println("line " + lineNumber + ": skipped: " + problem);
                    }
                    continue;
                }
                imported++;
                // Keep the writer's queue fed without holding a future per line.
                while (pending.size() > LogLinkStore.Options.DEFAULT_QUEUE_CAPACITY) {
                    lastKey = pending.poll().join();
                    firstKey = firstKey == null ? lastKey : firstKey;
                }
            }
            while (!pending.isEmpty()) {
                lastKey = pending.poll().join();
                firstKey = firstKey == null ? lastKey : firstKey;
            }
        } catch (CompletionException e) {
            err.println("goto import: stopped after " + plural(imported, "link") + ": " + e.getCause().getMessage());
            return 1;
        } catch (IOException e) {
            err.println("goto import: " + e.getMessage());
            return 1;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        out.println("imported " + plural(imported, "link") + " into " + file
                + (firstKey == null ? "" : firstKey.equals(lastKey) ? " (key " + firstKey + ")" : " (keys " + firstKey + " to " + lastKey + ")")
                + " in " + took.toMillis() + " ms" + (skipped > 0 ? "; skipped " + plural(skipped, "bad line") : ""));
        return skipped > 0 ? 1 : 0;
    }

    /** Adds {@code url} (under {@code draft}'s slug if there is one); a taken slug comes back as a failed future. */
    private static CompletableFuture<String> addWaitingWhileBusy(LogLinkStore store, String url, LinkDraft draft,
                                                                ArrayDeque<CompletableFuture<String>> pending) {
        while (true) {
            CompletableFuture<String> added = draft == null ? store.add(url) : store.create(draft).thenApply(Link::shortCode);
            if (!added.isCompletedExceptionally()) {
                return added;
            }
            Throwable refusal = added.exceptionNow();
            if (refusal instanceof LinkConflictException) {
                return added;
            }
            if (!(refusal instanceof StoreBusyException) || pending.isEmpty()) {
                throw new CompletionException((StoreUnavailableException) refusal);
            }
            pending.peek().join(); // the queue is full: wait for the oldest add to be written
        }
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private BufferedReader open(String name) throws IOException {
        if (name.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        }
        Path path = Path.of(name);
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(name, null, "no such file; give the file of URLs, or - to read them from stdin");
        }
        if (Files.isDirectory(path)) {
            throw new IOException(name + " is a directory; give the file of URLs, or - to read them from stdin");
        }
        return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }
}
