package gotourl;

import gotourl.porting.ExportFormat;
import gotourl.porting.ExportJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code goto export}: every link of a stopped goto's data file, with its fields and visit counts,
 * as JSON Lines (then the key counter's position, {@code ExportEnd}) or CSV.
 */
@Command(name = "export", versionProvider = Cli.Version.class,
        description = {"Writes every link of a stopped goto's data file, with its fields and visits.",
                "Oldest first, as JSON Lines (one object per line) or CSV, to stdout or to -o",
                "FILE.",
                "JSON Lines ends with the key counter's position ({\"gotoExport\": ...}), so that",
                "a restore never hands out a deleted key again; CSV cannot carry it. goto import",
                "reads both back."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = {"-file", "--file"}, paramLabel = "FILE", defaultValue = Config.DEFAULT_FILE,
            description = "the data file to export; goto must be stopped (default ${DEFAULT-VALUE}) [GOTO_FILE]")
    Path file;

    @Option(names = {"-format", "--format"}, paramLabel = "FORMAT", defaultValue = "jsonl", converter = FormatConverter.class,
            description = "jsonl or csv (default ${DEFAULT-VALUE})")
    ExportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of stdout")
    Path output;

    @picocli.CommandLine.Mixin
    Cli.HelpOptions helpOptions;

    private final PrintStream out;
    private final PrintStream err;

    ExportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        return new ExportJob(file, format, output, out, err).run();
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "jsonl", "json", "ndjson" -> ExportFormat.JSONL;
                case "csv" -> ExportFormat.CSV;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not an export format: use jsonl or csv");
            };
        }
    }
}
