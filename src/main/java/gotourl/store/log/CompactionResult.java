package gotourl.store.log;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a finished compaction did.
 *
 * @param bytesBefore the data file's size when the new one replaced it
 * @param bytesAfter  the new file's size then (its live links, plus what was written meanwhile)
 * @param links       links written from the snapshot
 * @param took        from the snapshot to the new file in use
 */
public record CompactionResult(long bytesBefore, long bytesAfter, long links, Duration took) {
    public String describe(Path file) {
        return file + ": compacted " + bytesBefore + " bytes into " + bytesAfter + " (" + links + " links) in "
                + took.toMillis() + " ms";
    }
}
