package gotourl;

import gotourl.store.log.LogUpgrade;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code goto upgrade}: rewrites a data file of an older format version as the current one. */
@Command(name = "upgrade", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Rewrites a data file written by an older goto (format version 1) as format version 2.",
                "The old file is kept beside it as FILE.v1-TIMESTAMP; a crash leaves the old or the new file, whole. Stop goto first."})
final class UpgradeCommand implements Callable<Integer> {

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to upgrade (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    private final PrintStream out;
    private final PrintStream err;

    UpgradeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            out.println(LogUpgrade.upgrade(file).describe());
            return 0;
        } catch (IOException e) {
            err.println("goto upgrade: " + e.getMessage());
            return 1;
        }
    }
}
