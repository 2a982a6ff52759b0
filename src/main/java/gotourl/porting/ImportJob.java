package gotourl.porting;

import gotourl.link.LongUrlRules;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One {@code goto import}: the input's format recognised, its links read, judged and put into a
 * stopped goto's data file or a running goto's API, with progress on stderr, each skipped line
 * reported there, and a summary on stdout. goto's JSON Lines export ends with its key counter's
 * position ({@link ExportEnd}), to which a data file's counter moves (never back) once the input
 * has ended and the record was found whole ({@link Importer#exportEnd}); the API cannot
 * move a server's counter, which the import says once, and goes on (the links are what matters;
 * refusing them for want of the counter would leave the user with nothing).
 *
 * @param file   the data file to import into, or null when {@code url} is given
 * @param url    a running goto's address ({@code http://host:port}), or null
 * @param apiKey the API key for {@code url}
 * @param rules  goto's URL rules (its own host refused, as {@code /add} does)
 */
public record ImportJob(Path file, URI url, String apiKey, LongUrlRules rules, PrintStream out, PrintStream err,
                        boolean terminal, Clock clock) {
    /** The exit code of an import stopped by a signal: 128 + SIGINT, as a shell reports it (and as {@code goto check} exits). */
    public static final int STOPPED = 130;

    /**
     * Imports {@code in} (named {@code name} in messages, {@code bytes} long or -1 when unknown);
     * returns 0 when every line was added or unchanged, 1 when some were skipped or the import
     * failed (saying why on stderr).
     */
    public int run(InputStream in, String name, long bytes) {
        return run(in, name, bytes, () -> false);
    }

    /**
     * As {@link #run(InputStream, String, long)}, stopping between two batches of links once
     * {@code stopRequested} says so (Ctrl-C): the links before are kept and made durable, the
     * summary says how many, and the exit code is {@link #STOPPED}.
     */
    public int run(InputStream in, String name, long bytes, java.util.function.BooleanSupplier stopRequested) {
        long started = System.nanoTime();
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        InputFormat format;
        long expected;
        String head;
        try {
            head = head(buffered);
            format = InputFormat.detect(head);
            expected = estimateLinks(head, bytes);
        } catch (IOException e) {
            err.println("goto import: cannot read " + name + ": " + e.getMessage());
            return 1;
        }
        char separator = format == InputFormat.PLAIN ? InputFormat.foreignSeparator(head) : 0;
        if (separator != 0) {
            String first = head.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("").replace("\uFEFF", "");
            err.println("goto import: " + name + " starts with fields separated by " + (separator == ';' ? "';'" : "tabs") + " ("
                    + Dates.abbreviate(first.replace("\t", "\\t")) + "), not by commas; nothing was imported. goto reads"
                    + " comma-separated CSV: save it again as CSV with commas (a spreadsheet's \"CSV UTF-8 (comma delimited)\"),"
                    + " or give a plain list: one URL per line, or 'SLUG URL'");
            return 1;
        }
        List<String> unknownHeader = format == InputFormat.PLAIN ? InputFormat.unknownCsvHeader(head) : null;
        if (unknownHeader != null) {
            // Read as a plain list, every row would become a long URL with the other columns glued on.
            err.println("goto import: " + name + " starts with a CSV header goto does not recognise (" + String.join(",", unknownHeader)
                    + "); nothing was imported. goto reads the CSV exports of goto (shortCode,longUrl,dateCreated,forwardQuery,...),"
                    + " YOURLS (keyword,url,... or source,target,...), Shlink (shortCode,longUrl,createdAt,...) and Bitly"
                    + " (link,long_url,...); rename the columns of another tool's export to one of those, or give a plain list:"
                    + " one URL per line, or 'SLUG URL'");
            return 1;
        }
        boolean newFile = file != null && !Files.exists(file);
        Importer importer = new Importer(rules, format, err, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String failure = null;
        boolean stopped = false;
        String target;
        try (ImportTarget destination = file != null ? FileTarget.open(file, importer, expected) : new ApiTarget(url, apiKey, importer)) {
            target = destination.describe();
            importer.target(destination);
            try (ImportProgress progress = ImportProgress.over(buffered, bytes, "import", err, terminal)) {
                try {
                    if (ImportPipeline.byLines(format)) {
                        ImportPipeline.run(format, new Utf8Lines(progress.input()), importer, progress, ImportPipeline.defaultJudges(),
                                stopRequested);
                    } else {
                        ImportPipeline.run(format, reader(progress.input()), importer, progress, ImportPipeline.defaultJudges(),
                                stopRequested);
                    }
                    importer.endOfInput();
                } catch (ImportPipeline.Stopped e) {
                    stopped = true;
                    failure = e.getMessage() + " of " + name + "; they are kept, and running the same import again adds the rest";
                } catch (ImportTarget.Failed e) {
                    // Not the input's fault, and nothing more can be written: no finish (it would
                    // write again), and no summary (its "added" counts links that never reached the target).
                    err.println(writeFailed(target, importer.read(), name, (Exception) e.getCause()));
                    return 1;
                } catch (IOException e) {
                    failure = "reading " + name + " stopped after " + importer.read() + " links: " + describe(e)
                            + "; the links before it are kept, and a second run after fixing the input adds the rest";
                }
            }
            try {
                destination.finish();
            } catch (IOException e) {
                err.println((failure != null ? "goto import: " + failure + "\n" : "") + writeFailed(target, importer.read(), name, e));
                return 1;
            }
        } catch (IOException | RuntimeException e) {
            err.println("goto import: " + (failure != null ? failure + "; then " : "") + describe(e)
                    + (importer.read() > 0 ? " (" + importer.read() + " links had been read; none is half-stored, and running"
                    + " the import again adds what is missing)" : ""));
            return 1;
        } catch (OutOfMemoryError e) {
            // Closed by now (a prefix of the links written, none half-stored, no index image); let
            // the index go before saying so, so that the message itself finds room.
            importer.target(null);
            err.println("goto import: " + outOfMemory(importer.read(), Runtime.getRuntime().maxMemory()));
            return 1;
        }
        if (failure != null) {
            err.println("goto import: " + failure);
        } else if (format == InputFormat.GOTO_CSV && file != null && importer.read() > 0) {
            err.println("goto import: goto's CSV export carries no key counter position: the key counter moved past the"
                    + " imported keys only, so a key handed out and deleted before the export may be handed out again;"
                    + " import goto's JSON Lines export (goto export -format=jsonl) to carry it");
        } else if (format == InputFormat.GOTO_JSONL && file != null && !importer.endSeen() && importer.read() > 0) {
            err.println("goto import: " + name + " does not end with goto's end-of-export record ({\"" + ExportEnd.FIELD
                    + "\": ...}): it was written by an older goto or by hand, or it was cut short (then links are missing too)."
                    + " The key counter moved past the imported keys only, so a key handed out and deleted before the export"
                    + " may be handed out again; an export written whole carries the counter's position");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long skipped = importer.conflicts + importer.invalid;
        // An import that adds nothing to a file it would have created leaves none (BulkImport#close).
        boolean noFile = newFile && importer.added == 0 && !Files.exists(file);
        out.println("imported " + plural(importer.added, "link") + (noFile ? "" : " into " + target) + " from " + name
                + " (" + format.description()
                + "): " + importer.read() + " read, " + importer.added + " added, " + importer.unchanged + " unchanged, "
                + plural(importer.conflicts, "conflict") + ", " + importer.invalid + " invalid, in " + took.toMillis() + " ms"
                + (took.toMillis() > 0 ? String.format(" (%,d links/s)", importer.read() * 1000 / took.toMillis()) : "")
                + (skipped > 0 ? "; skipped " + plural(skipped, "bad line") + (importer.unreported() > 0
                        ? " (" + importer.unreported() + " not listed above)" : "") : "")
                + (noFile ? "; nothing written: " + file + " was not created" : "")
                + (importer.counterSummary() != null ? "; " + importer.counterSummary() : ""));
        return stopped ? STOPPED : skipped > 0 || failure != null ? 1 : 0;
    }

    /** What an import says when putting its links into {@code target} failed with {@code e}, after {@code read} links of {@code name}. */
    private static String writeFailed(String target, long read, String name, Exception e) {
        String why = describe(e);
        return "goto import: writing the links to " + target + " failed after " + read + " links of " + name + " were read: "
                + why + (why.endsWith("?") || why.endsWith(".") ? "" : ".")
                + " The links written before it are kept (none is half-stored); fix that, then run the same"
                + " import again: it adds what is missing";
    }

    /**
     * What an import that ran out of heap after reading {@code read} links says, with the
     * {@code -Xmx} to run it again with: twice the heap it had ({@code maxHeapBytes}).
     */
    static String outOfMemory(long read, long maxHeapBytes) {
        long mib = Math.max(1, maxHeapBytes >> 20);
        long twice = 2 * mib;
        String bigger = twice >= 1024 ? (twice + 1023) / 1024 + "g" : twice + "m";
        return "ran out of memory after reading " + read + " links: the Java heap (at most " + mib + " MiB) cannot hold"
                + " this import's index (each link takes its URL and ~100 bytes: 50,000,000 links need ~5 GB)."
                + " The links written before it are kept (none is half-stored; the file's earlier links are untouched),"
                + " and running the same import again adds what is missing. Run it again with a bigger heap,"
                + " e.g. GOTO_JVM_OPTS=-Xmx" + bigger + " ./goto import ...";
    }

    private static String describe(Exception e) {
        if (e instanceof CharacterCodingException) {
            return "the input is not UTF-8 text; convert it to UTF-8 first";
        }
        return OutputFile.describe(e);
    }

    /**
     * About how many links an input of {@code bytes} holds, from the lines of its {@code head}
     * (a line a link, as in most formats); 0 when unknown (stdin, or no line ends in the head).
     */
    static long estimateLinks(String head, long bytes) {
        long lines = head.chars().filter(c -> c == '\n').count();
        if (bytes <= 0 || lines == 0) {
            return 0;
        }
        return bytes <= head.length() ? lines + 1 : bytes * lines / head.length() + 1;
    }

    /** The first {@link InputFormat#HEAD_CHARS} of the input, leaving it unread. */
    private static String head(BufferedInputStream in) throws IOException {
        in.mark(InputFormat.HEAD_CHARS);
        byte[] bytes = in.readNBytes(InputFormat.HEAD_CHARS);
        in.reset();
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** UTF-8, refusing what is not (a Latin-1 file would otherwise import mangled), without a byte order mark. */
    private static BufferedReader reader(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** True when {@code err} is the process's stderr on an interactive terminal: the bar may redraw in place. */
    public static boolean onTerminal(PrintStream err) {
        if (err != System.err || System.console() == null) {
            return false;
        }
        try {
            // JDK 22+ gives a console even when redirected; it says whether it is a terminal.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
