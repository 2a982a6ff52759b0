package gotourl;

import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code goto compact}: rewrites a stopped goto's data file with only its live links. */
@Command(name = "compact", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Rewrites the data file with one record per live link, dropping what edits and deletes left behind.",
                "A running goto does this by itself when the file is twice its compacted size. Stop goto first."})
final class CompactCommand implements java.util.concurrent.Callable<Integer> {
    /** Compaction writes about 100 MB/s here; an hour covers files far beyond any real one. */
    private static final long TIMEOUT_MINUTES = 60;

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to compact (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    private final PrintStream out;
    private final PrintStream err;

    CompactCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        String notADataFile = LogLinkStore.notADataFile(file);
        if (notADataFile != null) {
            err.println("goto compact: " + file + ": " + notADataFile);
            return 1;
        }
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE).forCommand())) {
            out.println(store.compact().get(TIMEOUT_MINUTES, TimeUnit.MINUTES).describe(file));
            return 0;
        } catch (IOException e) {
            err.println("goto compact: " + gotourl.porting.OutputFile.describe(e));
            return 1;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // Said here once: the store logs nothing of it, since nothing will try again.
            err.println("goto compact: compaction failed: " + file + " was not compacted and is unchanged: "
                    + gotourl.porting.OutputFile.describe(cause) + (cause instanceof IOException ? "; the compacted copy is written"
                    + " beside the file and needs room for up to its size (" + sizeOf(file) + "): make room there, then run goto"
                    + " compact again" : ""));
            return 1;
        }
    }

    private static String sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file) + " bytes";
        } catch (IOException e) {
            return "size unknown: " + e.getMessage();
        }
    }
}
