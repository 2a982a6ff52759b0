package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.ShortCodes;
import gotourl.store.log.LogLinkStore;
import gotourl.visits.LogVisitStore;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitsSummary;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code goto export}: every link of a stopped goto's data file, oldest first (then by code),
 * with its visit counts from the visit store beside it ({@code FILE.visits/}), in
 * {@link ExportFormat}; in JSON Lines, then the file's key counter position ({@link ExportEnd}),
 * so that a restore never hands out again a key whose link was deleted before the export. The data file is opened as goto opens it, locked: a running goto's file
 * is refused (no export reads a file that is being written), and no goto can start on it during
 * the export. Nothing is written to the file; compaction is off while it is open.
 *
 * @param file   the data file
 * @param format JSON Lines or CSV
 * @param output where to write, or null for {@code out}: written whole or not at all ({@link OutputFile}); never the
 *               data file itself, nor a path goto keeps beside it ({@code FILE.visits}, {@code FILE.image}, ...)
 */
public record ExportJob(Path file, ExportFormat format, Path output, PrintStream out, PrintStream err) {
    /**
     * Oldest first; within a second, counter keys in the counter's order, then the other codes by
     * length and code: the same file exports the same bytes. An import takes them in any order
     * ({@link gotourl.store.LinkState#planImport}): a custom slug claimed again after newer keys
     * comes after those keys.
     */
    static final Comparator<Link> ORDER = Comparator.comparing(Link::dateCreated)
            .thenComparingLong(link -> link.origin() == Link.CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : Long.MAX_VALUE)
            .thenComparingInt(link -> link.shortCode().length()).thenComparing(Link::shortCode);

    /** Writes the export; 0 when done, 1 (saying why on stderr) when it could not be. */
    public int run() {
        if (!Files.isRegularFile(file)) {
            err.println("goto export: " + file + (Files.exists(file) ? " is not a regular file" : " does not exist")
                    + "; give the data file of a goto with -file");
            return 1;
        }
        if (output != null) {
            String problem = outputProblem();
            if (problem != null) {
                err.println("goto export: cannot write " + output + ": " + problem);
                return 1;
            }
        }
        long started = System.nanoTime();
        List<Link> links = new ArrayList<>();
        long nextCounter;
        List<String> released;
        List<String> retired;
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE).forCommand())) {
            store.forEach(links::add);
            nextCounter = store.nextCounter();
            released = store.releasedCodes();
            retired = store.retiredCodes();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            err.println("goto export: " + (message.contains(" is in use")
                    ? file + " is in use by a running goto: stop it first (a running goto's links are listed by its REST API,"
                    + " GET /rest/v3/short-urls)" : message));
            return 1;
        }
        links.sort(ORDER);
        Path visitsDir = file.resolveSibling(file.getFileName() + ".visits");
        try (VisitStore visits = Files.isDirectory(visitsDir) ? LogVisitStore.open(visitsDir) : null;
             OutputFile target = output == null ? null : OutputFile.open(output)) {
            if (target != null) {
                target.leftovers().forEach(said -> err.println("goto export: " + said));
            }
            if (format == ExportFormat.CSV) {
                err.println("goto export: CSV carries no key counter position; export as jsonl for a restore that never"
                        + " re-hands deleted keys");
            }
            try (ExportFormat.Writer writer = format.writer(target == null ? failingStdout(out) : target.stream())) {
                for (Link link : links) {
                    writer.write(PortableLink.of(link, visits == null ? VisitsSummary.NONE : visits.summary(link.shortCode())));
                }
                writer.end(ExportEnd.of(nextCounter, links.size(), released, retired));
            } catch (IOException e) {
                throw new IOException(output == null ? "writing to standard output failed: " + OutputFile.reason(e) + "; the export is incomplete"
                        : "cannot write " + output + ": " + OutputFile.reason(e) + "; " + output + " is left as it was", e);
            }
            if (target != null) {
                target.commit();
            }
        } catch (IOException e) {
            err.println("goto export: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        err.println("exported " + links.size() + " link" + (links.size() == 1 ? "" : "s") + " from " + file + " as " + format
                + (output == null ? "" : " to " + output) + " in " + took.toMillis() + " ms");
        return 0;
    }

    /** Why {@code output} cannot be written (see {@link OutputFile#problem}), or null. */
    private String outputProblem() {
        String problem = OutputFile.problem(output);
        if (problem != null) {
            return problem;
        }
        try {
            if (Files.exists(output) && Files.isSameFile(output, file)) {
                return "it is the data file being exported; give -o another file";
            }
            String owned = ownedBeside(file, output);
            if (owned != null) {
                return "it is " + owned + "; give -o another file";
            }
        } catch (IOException e) {
            return OutputFile.reason(e);
        }
        return null;
    }

    /**
     * What goto keeps at {@code FILE} + suffix beside a data file {@code FILE}, as a phrase with
     * {@code %s} for the data file. An export written there would be taken for it (a plain file
     * where the visits directory belongs) or overwritten by goto.
     */
    private static final Map<String, String> OWNED_BESIDE = Map.of(
            ".visits", "the directory goto keeps the visits of %s in",
            ".image", "the index image goto writes for %s",
            ".image.writing", "the file goto writes the index image of %s into",
            ".compacting", "the file goto compacts %s into",
            ".repairing", "the file goto repair rewrites %s into",
            ".sock", "the control socket of the goto serving %s",
            ".health", "the file goto check keeps the link health of %s in",
            ".health.tmp", "the file goto check writes the link health of %s into",
            ".pg-node", "the note saying which PostgreSQL database keeps the API keys of the node whose -file is %s");
    /** The backups goto repair and goto upgrade make beside the data file: {@code FILE.corrupt-20261201T120000}, {@code FILE.v1-...}. */
    private static final Pattern BACKUP = Pattern.compile("\\.(corrupt|v\\d+)-\\d{8}T\\d{6}");

    /**
     * What {@code output} is among the paths goto keeps beside the data file {@code dataFile}
     * (by its name in the data file's directory, the data file named as given or as resolved
     * through symbolic links), or null when it is none of them.
     */
    static String ownedBeside(Path dataFile, Path output) throws IOException {
        Path directory = output.toAbsolutePath().getParent();
        String name = output.getFileName().toString();
        for (Path data : new Path[] {dataFile.toAbsolutePath(), dataFile.toRealPath()}) {
            String dataName = data.getFileName().toString();
            if (!name.startsWith(dataName) || directory == null || !Files.isSameFile(directory, data.getParent())) {
                continue;
            }
            String suffix = name.substring(dataName.length());
            String owned = OWNED_BESIDE.get(suffix);
            if (owned != null) {
                return owned.formatted(dataFile);
            }
            if (BACKUP.matcher(suffix).matches()) {
                return "a backup goto made of %s".formatted(dataFile);
            }
        }
        return null;
    }

    /**
     * {@code stdout} for the writer, which closes what it writes to: flushed, never closed, and
     * failing with an IOException on any write error. A PrintStream swallows its errors (a full
     * disk under {@code > file}, {@code /dev/full}): the process's own stdout is written through
     * its file descriptor instead, so that the error says why; another PrintStream (a test's, an
     * embedding's) is checked with {@link PrintStream#checkError} after every write and flush.
     */
    static OutputStream failingStdout(PrintStream stdout) {
        if (stdout == System.out) {
            stdout.flush();
            // FileDescriptor.out stays open for what the process writes after the export.
            return OutputFile.leftOpen(new FileOutputStream(FileDescriptor.out));
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                stdout.write(b);
                check();
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                stdout.write(bytes, offset, length);
                check();
            }

            @Override
            public void flush() throws IOException {
                stdout.flush();
                check();
            }

            @Override
            public void close() throws IOException {
                flush();
            }

            private void check() throws IOException {
                if (stdout.checkError()) {
                    throw new IOException("the stream refused a write");
                }
            }
        };
    }
}
