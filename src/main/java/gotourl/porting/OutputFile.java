package gotourl.porting;

import gotourl.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file a command writes its output to ({@code goto export -o}, {@code goto check -report}):
 * checked before any work, so that a bad path is said at once and not after minutes of work, and
 * written whole or not at all: into a temporary file beside it, renamed over it once complete.
 * An export that fails half-way leaves the file as it was (or absent), never a truncated copy.
 * One killed before it could clean up (kill -9) leaves its hidden temporary file, which the next
 * write to the same path removes, and says so ({@link #leftovers()}).
 * A path that exists and is not a regular file (a pipe, a device, a symbolic link such as
 * {@code /dev/stdout}) is written through, in place. A new file is created 0600 (readable by its
 * owner alone, whatever the umask); a file replaced keeps its permissions.
 *
 * <p>Use: {@link #problem} up front; then {@code try (OutputFile file = OutputFile.open(path))},
 * write to {@link #stream()}, and {@link #commit()}; a close without a commit deletes what was written.
 */
public final class OutputFile implements AutoCloseable {
    private final Path path;
    private final Path temporary;
    /** The temporary file's channel, locked until it is renamed or deleted; null when writing through. */
    private final FileChannel channel;
    private final OutputStream stream;
    private final List<String> leftovers;
    private boolean committed;

    private OutputFile(Path path, Path temporary, FileChannel channel, OutputStream stream, List<String> leftovers) {
        this.path = path;
        this.temporary = temporary;
        this.channel = channel;
        this.stream = stream;
        this.leftovers = leftovers;
    }

    /**
     * Why {@code path} cannot be written, as the end of a sentence starting "cannot write PATH: "
     * ("its directory D does not exist; create it first"), or null when it looks writable.
     */
    public static String problem(Path path) {
        Path directory = path.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            return Files.exists(directory) ? directory + " is not a directory; give a path in a directory"
                    : "its directory " + directory + " does not exist; create it first";
        }
        if (Files.isDirectory(path)) {
            return "it is a directory; give a file name in it";
        }
        return null;
    }

    /**
     * Opens the temporary file {@code .NAME.RANDOM.writing} beside {@code path} (with the
     * permissions of the file it replaces, else 0600), or {@code path} itself
     * when it exists and is not a regular file. The temporary file is locked while it is written
     * (a POSIX record lock, which ends with the process, kill -9 included), so that the leftovers
     * of earlier writes to {@code path} killed before they ended, {@code .NAME.DIGITS.writing}
     * files no process has locked, are told from a write under way and deleted first
     * ({@link #leftovers()} says which). Throws IOException worded as "cannot write PATH: why"
     * (directory missing, permission denied, ...).
     */
    public static OutputFile open(Path path) throws IOException {
        String problem = problem(path);
        if (problem != null) {
            throw new IOException("cannot write " + path + ": " + problem);
        }
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                // A pipe, a device, or a symbolic link (/dev/stdout among them): written through, in place.
                // A dangling symbolic link makes a file where it points: 0600 too.
                return new OutputFile(path, null, null, Channels.newOutputStream(OwnerOnly.open(path, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)), List.of());
            }
            Path directory = path.toAbsolutePath().getParent();
            List<String> leftovers = removeLeftovers(directory, path.getFileName().toString());
            for (int attempt = 1; ; attempt++) {
                Path temporary = createTemporary(directory, path.getFileName().toString());
                FileChannel channel = null;
                try {
                    channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    // Another write to the same path may have taken it for a leftover between its
                    // creation and this lock, and deleted it: then it is no longer there, or locked.
                    if (lockOrNull(channel) != null && Files.exists(temporary, LinkOption.NOFOLLOW_LINKS)) {
                        OwnerOnly.keepPermissions(path, temporary); // an export its owner shared stays shared
                        return new OutputFile(path, temporary, channel, keepingLock(channel), leftovers);
                    }
                    if (attempt == 3) {
                        throw new IOException(temporary + " was removed or locked by another process as it was made");
                    }
                    channel.close();
                } catch (IOException | RuntimeException e) {
                    if (channel != null) {
                        channel.close();
                    }
                    Files.deleteIfExists(temporary);
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + reason(e), e);
        }
    }

    /**
     * Deletes the temporary files of earlier writes to {@code name} in {@code directory} that no
     * process writes any more ({@code .NAME.DIGITS.writing}, as {@link #open} names them, not
     * locked); returns what it did with each, one phrase a file: "removed .NAME.123.writing", or
     * why one was left alone (locked: a write under way; not deletable: said with the reason).
     */
    private static List<String> removeLeftovers(Path directory, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "\\d+" + Pattern.quote(".writing"));
        List<String> said = new ArrayList<>();
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(directory,
                file -> ours.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
            for (Path leftover : candidates) {
                said.add(removeIfUnlocked(leftover));
            }
        } catch (IOException | DirectoryIteratorException e) {
            said.add("could not look for leftovers of earlier writes: " + e.getMessage());
        }
        return List.copyOf(said);
    }

    /** 0600 whatever the umask: an export is every link, a report every link's long URL; others get them only if the owner says so. */
    private static Path createTemporary(Path directory, String name) throws IOException {
        return Files.createTempFile(directory, "." + name + ".", ".writing", OwnerOnly.file(directory));
    }

    /** The lock on all of {@code channel}'s file, or null when a process (this one included) holds one on it. */
    private static FileLock lockOrNull(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException thisProcessHoldsIt) {
            return null;
        }
    }

    private static String removeIfUnlocked(Path leftover) {
        String file = leftover.getFileName().toString();
        try (FileChannel channel = FileChannel.open(leftover, StandardOpenOption.WRITE)) {
            if (lockOrNull(channel) == null) {
                return "left " + file + " alone: another write to it is under way";
            }
            Files.delete(leftover); // still locked: no write can start on it in between
            return "removed " + file + ", the leftover of an earlier write that did not finish";
        } catch (NoSuchFileException goneMeanwhile) {
            return "removed " + file + " (by another process)";
        } catch (IOException e) {
            return "left " + file + " alone, the leftover of an earlier write: cannot remove it: " + reason(e);
        }
    }

    /**
     * What {@link #open} did with leftovers of earlier writes to the same path ("removed
     * .NAME.123.writing, ..."), one phrase each; empty when there were none.
     */
    public List<String> leftovers() {
        return leftovers;
    }

    /**
     * What an IOException of a file operation (a write here, or any read) says without the path
     * it names again: "permission denied", "no such file or directory", "No space left on device".
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * A failure of a file operation as one line naming the file and why: a
     * {@link FileSystemException}'s own message is often the path alone ("/data/goto.data"), and
     * a new file refused is the directory's doing, so the directory is named. Any other failure:
     * its message. Never null.
     */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            if (e instanceof AccessDeniedException && fs.getReason() == null
                    && !Files.exists(Path.of(fs.getFile()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Path directory = Path.of(fs.getFile()).toAbsolutePath().getParent();
                return fs.getFile() + ": permission denied creating it: " + directory + " does not let this user ("
                        + System.getProperty("user.name") + ") create files there; give it write access, or use another directory";
            }
            String why = fs.getReason() != null ? fs.getReason() : reason(fs);
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + why;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Where to write; closed by {@link #commit()} or {@link #close()}. */
    public OutputStream stream() {
        return stream;
    }

    /** Closes the stream and renames the complete file over the path; throws IOException saying what failed. */
    public void commit() throws IOException {
        try {
            stream.close();
            if (temporary != null) {
                // Renamed while still locked: a write to the same path starting now cannot take
                // it for a leftover between the unlock and the rename.
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                channel.close();
            }
            committed = true;
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + reason(e), e);
        }
    }

    /** Without a {@link #commit()}: deletes the temporary file and closes it, leaving the path as it was. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            stream.close();
        } catch (IOException ignored) {
            // What was written is being thrown away.
        }
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // A leftover .writing file is harmless, says what it is, and the next write to the path removes it.
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // Deleted, or left for the next write to remove.
            }
        }
    }

    /** The temporary file's stream: its close leaves the channel (and its lock) to {@link #commit} or {@link #close}. */
    private static OutputStream keepingLock(FileChannel channel) {
        return leftOpen(Channels.newOutputStream(channel));
    }

    /**
     * {@code out} for a writer that closes what it writes to, when {@code out} must stay open:
     * writes go straight through (nothing is buffered here), close does nothing.
     */
    static OutputStream leftOpen(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }
        };
    }
}
