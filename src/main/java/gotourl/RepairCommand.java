package gotourl;

import gotourl.store.log.LogRepair;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code goto repair}: salvages a damaged data file. */
@Command(name = "repair", versionProvider = Cli.Version.class,
        description = {"Salvages every readable link of a damaged data file (goto refuses to start on one).",
                "The original is kept beside it as FILE.corrupt-TIMESTAMP; the report says what was lost. Stop goto first."})
final class RepairCommand implements Callable<Integer> {

    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to repair (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;

    RepairCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            LogRepair.Report report = LogRepair.repair(file);
            out.println(report.describe());
            return 0;
        } catch (IOException e) {
            err.println("goto repair: " + e.getMessage());
            return 1;
        }
    }
}
