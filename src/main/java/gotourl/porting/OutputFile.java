package gotourl.porting;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file a command writes its output to ({@code goto export -o}, {@code goto check -report}):
 * checked before any work, so that a bad path is said at once and not after minutes of work, and
 * written whole or not at all: into a temporary file beside it, renamed over it once complete.
 * An export that fails half-way leaves the file as it was (or absent), never a truncated copy.
 * A path that exists and is not a regular file (a pipe, a device, a symbolic link such as
 * {@code /dev/stdout}) is written through, in place. A file replaced keeps its permissions.
 *
 * <p>Use: {@link #problem} up front; then {@code try (OutputFile file = OutputFile.open(path))},
 * write to {@link #stream()}, and {@link #commit()}; a close without a commit deletes what was written.
 */
public final class OutputFile implements AutoCloseable {
    private final Path path;
    private final Path temporary;
    private final OutputStream stream;
    private boolean committed;

    private OutputFile(Path path, Path temporary, OutputStream stream) {
        this.path = path;
        this.temporary = temporary;
        this.stream = stream;
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
     * permissions of the file it replaces, else those a new file gets), or {@code path} itself
     * when it exists and is not a regular file. Throws
     * IOException worded as "cannot write PATH: why" (directory missing, permission denied, ...).
     */
    public static OutputFile open(Path path) throws IOException {
        String problem = problem(path);
        if (problem != null) {
            throw new IOException("cannot write " + path + ": " + problem);
        }
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                // A pipe, a device, or a symbolic link (/dev/stdout among them): written through, in place.
                return new OutputFile(path, null, Files.newOutputStream(path));
            }
            Path directory = path.toAbsolutePath().getParent();
            Path temporary;
            try {
                temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".writing",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-"))); // less the umask
            } catch (UnsupportedOperationException notPosix) {
                temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".writing");
            }
            try {
                if (Files.exists(path)) {
                    keepPermissions(path, temporary);
                }
                return new OutputFile(path, temporary, Files.newOutputStream(temporary));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + reason(e), e);
        }
    }

    /** The file that replaces {@code path} gets its permissions: a private export stays private. */
    private static void keepPermissions(Path path, Path temporary) throws IOException {
        try {
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(path));
        } catch (UnsupportedOperationException notPosix) {
            // No permissions of that kind to keep.
        }
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

    /** Where to write; closed by {@link #commit()} or {@link #close()}. */
    public OutputStream stream() {
        return stream;
    }

    /** Closes the stream and renames the complete file over the path; throws IOException saying what failed. */
    public void commit() throws IOException {
        try {
            stream.close();
            if (temporary != null) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            committed = true;
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + reason(e), e);
        }
    }

    /** Without a {@link #commit()}: closes and deletes the temporary file, leaving the path as it was. */
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
                // A leftover .writing file is harmless and says what it is.
            }
        }
    }
}
