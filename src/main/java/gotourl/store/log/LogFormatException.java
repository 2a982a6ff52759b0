package gotourl.store.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The data file cannot be read as it stands: corruption before its end, or a format or record
 * type this goto does not know. goto refuses to start rather than misread it or drop links.
 */
public final class LogFormatException extends IOException {
    private final long offset;
    private final String problem;

    LogFormatException(Path file, long offset, String problem) {
        super(file + ": " + problem + (offset >= 0 ? " (at byte offset " + offset + ")" : ""));
        this.offset = offset;
        this.problem = problem;
    }

    /** What is wrong, without the file and offset. */
    String problem() {
        return problem;
    }

    /** Where in the file the problem is, or -1 when it concerns the whole file. */
    public long offset() {
        return offset;
    }
}
