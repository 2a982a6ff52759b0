package gotourl.store.log;

import gotourl.files.OwnerOnly;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code goto upgrade}: rewrites a format-version-1 data file as version 2, the only way a
 * version-1 file is changed (goto refuses to serve one). The new file is written beside the old
 * one, forced, and renamed over it, so a crash leaves either the old file, untouched, or the
 * new one, complete: never half of each. A copy of the old file is kept as
 * {@code FILE.v1-TIMESTAMP}, for an older goto.
 */
public final class LogUpgrade {

    /** What an upgrade did; {@code backup} is null when the file was already version 2. */
    public record Report(Path file, int fromVersion, long links, Path backup) {
        public String describe() {
            if (backup == null) {
                return file + ": already format version " + LogFormat.VERSION + " (" + links + " links); nothing to do";
            }
            return file + ": upgraded from format version " + fromVersion + " to " + LogFormat.VERSION + " (" + links
                    + " links); the version-" + fromVersion + " file is kept as " + backup;
        }
    }

    private LogUpgrade() {}

    /** {@code e}, which stopped an upgrade before its rename, as what it means for {@code file} and what to do. */
    private static IOException notUpgraded(Path file, IOException e) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException gone) {
            size = -1;
        }
        return new IOException(file + " was not upgraded and is unchanged: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                + ". An upgrade writes a copy of the original and the upgraded file beside it" + (size < 0 ? "" : " (about " + size
                + " bytes each)") + ", so it needs that much free space there; fix the cause, then run goto upgrade again", e);
    }

    public static Report upgrade(Path file) throws IOException {
        return upgrade(file, Compaction.Hook.NONE, Clock.systemUTC());
    }

    /** As {@link #upgrade(Path)}; {@code hook} is told of {@link Compaction.Step#BEFORE_RENAME} (tests fail it there). */
    static Report upgrade(Path file, Compaction.Hook hook, Clock clock) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no data file to upgrade");
        }
        if (LogLinkStore.notADataFile(file) != null) {
            throw new IOException(file + ": " + LogLinkStore.notADataFile(file));
        }
        LogFile log = LogFile.open(file, true);
        try {
            Replay replay = Replay.run(log, false);
            LinkState state = replay.state();
            if (log.version() == LogFormat.VERSION) {
                return new Report(file, log.version(), state.size(), null);
            }
            Path target = file.toRealPath();
            Path backup = target.resolveSibling(target.getFileName() + ".v" + log.version() + "-"
                    + LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")));
            Path temporary = LogFile.temporary(target);
            long links;
            try {
                Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
                try (FileChannel copy = FileChannel.open(backup, StandardOpenOption.WRITE)) {
                    copy.force(true);
                }
            } catch (IOException e) {
                Files.deleteIfExists(backup);
                throw notUpgraded(file, e);
            }
            try (FileChannel out = OwnerOnly.fresh(temporary, StandardOpenOption.READ);
                 FileLock lock = out.tryLock()) {
                if (lock == null) {
                    throw new IOException(temporary + " is locked by another process");
                }
                OwnerOnly.keepPermissions(target, temporary); // the upgraded file is the same file to its owner
                LinkState.Snapshot snapshot = state.beginSnapshot();
                links = SnapshotFile.write(state, snapshot, replay.apiKeys(), snapshot.nextCounter(), out, clock.millis());
                out.force(true);
                hook.at(Compaction.Step.BEFORE_RENAME, temporary);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(backup); // the file itself is the version-1 original, untouched
                throw notUpgraded(file, e);
            } catch (RuntimeException e) {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(backup);
                throw e;
            }
            LogFile.forceDirectory(target.getParent());
            return new Report(file, log.version(), links, backup);
        } finally {
            log.close();
        }
    }
}
