package gotourl.store.log;

import gotourl.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An open data file: created with its header if new, checked if not, and locked so that two
 * goto processes never append to the same file.
 *
 * @param claim   this process's hold on the file, released on close
 * @param version the file's format version
 */
record LogFile(Path file, FileChannel channel, FileLock lock, Claim claim, int version) {

    /**
     * The data files open in this process. A POSIX file lock belongs to the process, and closing
     * any channel to the file releases it: a second open of the same file in this process (a test,
     * an embedding, repair run in-process) must be refused before it opens a channel, or closing
     * that channel would silently unlock the first and let another goto process append too.
     */
    private static final ConcurrentMap<Path, Claim> OPEN_IN_THIS_PROCESS = new ConcurrentHashMap<>();

    /** This process's hold on one data file, from {@link #claim} to {@link #release}. */
    static final class Claim {
        private final Path path;

        private Claim(Path path) {
            this.path = path;
        }

        /** Ends this hold; a second call, or one after the file was claimed anew, changes nothing. */
        void release() {
            OPEN_IN_THIS_PROCESS.remove(path, this);
        }
    }

    /** Opens a file of the current format version, creating it if missing. */
    static LogFile open(Path file) throws IOException {
        return open(file, false);
    }

    /**
     * Opens {@code file}, creating it if missing; with {@code allowVersion1}, a version-1 file is
     * opened too (for {@code goto upgrade}), else it is refused saying how to upgrade it. A
     * compaction's temporary file left by a crash is deleted: it was never the data.
     */
    static LogFile open(Path file, boolean allowVersion1) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new NoSuchFileException(file.toString(), null, "its directory " + directory + " does not exist; create it first");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + (Files.isDirectory(file) ? " is a directory" : " is not a regular file")
                    + "; goto's data file must be a regular file, or a path where it can create one");
        }
        Claim claim = claim(file);
        try {
            boolean existed = Files.exists(file);
            FileChannel channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    throw new IOException(file + " is in use by another goto process: stop that one first, or point -file at another file");
                }
                int version = prepareHeaderOf(file, channel, allowVersion1);
                if (!existed) {
                    forceDirectory(directory);
                } else {
                    warnIfExposed(file);
                }
                deleteUnfinishedCompaction(file);
                return new LogFile(file, channel, lock, claim, version);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            claim.release();
            throw e;
        }
    }

    /**
     * Says, in one line, that {@code file} is readable (or writable) by other users, as a data
     * file made by a goto before 0600 was its mode may be: every link, a protected link's
     * destination, password and key hashes. Its mode is its owner's to change, so it is only said.
     */
    private static void warnIfExposed(Path file) {
        String mode = OwnerOnly.exposure(file);
        if (mode != null) {
            org.slf4j.LoggerFactory.getLogger("goto.files").warn("{} is {}: other users of this machine can read every link in it"
                    + " (protected links' destinations too) and the hashes of passwords and API keys; make it and the files"
                    + " beside it private with: chmod -R go= {} {}.*", file, mode, file, file);
        }
    }

    /** Deletes a compaction's (or an upgrade's) temporary file that a crash left, saying so: it was never the data. */
    private static void deleteUnfinishedCompaction(Path file) throws IOException {
        Path unfinished = temporary(file);
        long bytes = Files.exists(unfinished) ? Files.size(unfinished) : 0;
        if (Files.deleteIfExists(unfinished)) {
            org.slf4j.LoggerFactory.getLogger("goto.replay").warn("{}: deleted {} ({} bytes), a compaction's copy whose writing was"
                    + " cut short (a crash or kill during a compaction or an upgrade); nothing is lost: {} is the data",
                    file, unfinished, bytes, file);
        }
    }

    /**
     * Claims {@code file} for this process before any channel to it is opened; throws if this
     * process has it open already. The caller releases the claim when it closes the file.
     */
    static Claim claim(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path path = directory == null ? file.toAbsolutePath() : directory.toRealPath().resolve(file.getFileName());
        if (Files.exists(path)) {
            path = path.toRealPath(); // a symbolic link and its target are one file
        }
        Claim claim = new Claim(path);
        if (OPEN_IN_THIS_PROCESS.putIfAbsent(path, claim) != null) {
            throw new IOException(file + " is in use: this process has it open already; close it first");
        }
        return claim;
    }

    /**
     * As {@link #prepareHeader}, naming the file when the system refuses what a data file needs:
     * a file in /proc or /sys, for one, is regular but cannot be locked, sized or appended to.
     */
    private static int prepareHeaderOf(Path file, FileChannel channel, boolean allowVersion1) throws IOException {
        try {
            return prepareHeader(file, channel, allowVersion1);
        } catch (LogFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + " cannot be goto's data file: " + e.getMessage()
                    + "; it must be a regular file on a local disk that goto can read, write and lock", e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    /**
     * Writes the header into an empty file, or one whose creation was cut short (a prefix of the
     * header, or zeros); otherwise checks the header that is there. A cut-short creation can be
     * header-sized: the file system may grow the file before the header's bytes reach the disk,
     * leaving zeros in their place. Nothing follows such a header, so no link can be lost.
     */
    private static int prepareHeader(Path file, FileChannel channel, boolean allowVersion1) throws IOException {
        long size = channel.size();
        byte[] start = new byte[LogFormat.HEADER_BYTES];
        int read = size == 0 ? 0 : channel.read(ByteBuffer.wrap(start), 0);
        if (size <= LogFormat.HEADER_BYTES && isUnfinishedHeader(start, Math.max(read, 0))) {
            channel.truncate(0);
            ByteBuffer header = LogFormat.header();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
            return LogFormat.VERSION;
        }
        return LogFormat.checkHeader(file, start, read, allowVersion1);
    }

    /**
     * Where a compaction (or an upgrade) writes the new file before it is renamed over the data
     * file: beside it, so that the rename is atomic.
     */
    static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".compacting");
    }

    /** This file with its channel and lock replaced: the data file after a compaction renamed a new one into place. */
    LogFile replacedBy(FileChannel newChannel, FileLock newLock) {
        return new LogFile(file, newChannel, newLock, claim, LogFormat.VERSION);
    }

    private static boolean isUnfinishedHeader(byte[] bytes, int length) {
        ByteBuffer header = LogFormat.header();
        for (int i = 0; i < length; i++) {
            if (bytes[i] != header.get(i) && bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Makes a new file's directory entry durable, so a crash cannot lose the whole file. */
    static void forceDirectory(Path directory) throws IOException {
        if (directory == null) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some file systems cannot open a directory for reading; the file's own force still holds.
        }
    }

    /** Releases the lock, closes the file, and ends the claim; safe to call again. */
    void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // Closing the channel releases the lock as well.
        }
        try {
            channel.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger("goto.writer").warn("closing {} failed: {}", "the data file", e.toString());
        }
        claim.release();
    }
}
