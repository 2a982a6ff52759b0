package gotourl.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Files and directories readable and writable by their owner alone: mode 0600 for a file, 0700
 * for a directory, given to the system call that creates them, so that no other user can open
 * one in the moment between its creation and a later chmod (an open descriptor outlives any
 * chmod). The umask can only narrow these modes, never widen them. On a file system without
 * POSIX permissions (no {@link PosixFileAttributeView}) files are created as that system makes
 * them, silently.
 *
 * <p>Only what goto creates is made owner-only: a file that exists is opened as it is, and
 * {@link #keepPermissions} lets a file that replaces another (a compaction's, a repair's) keep
 * the mode its owner chose. {@link #exposure} tells a start that a data file is readable by others.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<?>[] FILE = {PosixFilePermissions.asFileAttribute(FILE_MODE)};
    private static final FileAttribute<?>[] DIRECTORY = {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)};
    private static final FileAttribute<?>[] NONE = {};
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /** True when {@code path}'s file system has POSIX permissions (Linux, macOS; not Windows). */
    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attribute that creates a file 0600, for {@link Files#createTempFile} and the like; none off POSIX. */
    public static FileAttribute<?>[] file(Path path) {
        return posix(path) ? FILE : NONE;
    }

    /** The attribute that creates a directory 0700; none off POSIX. */
    public static FileAttribute<?>[] directory(Path path) {
        return posix(path) ? DIRECTORY : NONE;
    }

    /**
     * {@link FileChannel#open} with {@code options}: a file it creates ({@code CREATE},
     * {@code CREATE_NEW}) is created 0600; one that exists is opened as it is.
     *
     * @throws IOException as {@link FileChannel#open} does
     */
    public static FileChannel open(Path path, OpenOption... options) throws IOException {
        return FileChannel.open(path, new HashSet<>(Arrays.asList(options)), file(path));
    }

    /**
     * {@link Files#write}: replaces what {@code file} holds with {@code bytes}, creating it 0600
     * if missing (one that exists keeps its mode).
     *
     * @throws IOException as {@link Files#write} does
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    /**
     * A new, empty file at {@code path}, created 0600 and open for writing plus {@code more}
     * options: a file or symbolic link there is deleted first, a directory refused. For temporary
     * files only goto writes (the caller holds the data file's lock): a leftover of an interrupted
     * write, made by an older goto with a wider mode or opened by another user while it was
     * readable, is never reused, and a link planted there is never followed.
     *
     * @throws IOException if the old file cannot be deleted or the new one created
     */
    public static FileChannel fresh(Path path, OpenOption... more) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(path.toString(), null, "Is a directory"); // someone's, not a leftover of goto's
        }
        Files.deleteIfExists(path); // a symbolic link itself, not where it points
        Set<OpenOption> options = new HashSet<>(Arrays.asList(more));
        options.add(StandardOpenOption.CREATE_NEW);
        options.add(StandardOpenOption.WRITE);
        return FileChannel.open(path, options, file(path));
    }

    /**
     * {@link Files#createDirectories}: the directories it creates are 0700 (a directory that
     * exists is left as it is). Returns {@code directory}.
     *
     * @throws IOException as {@link Files#createDirectories} does
     */
    public static Path createDirectories(Path directory) throws IOException {
        return Files.createDirectories(directory, directory(directory));
    }

    /**
     * Gives {@code replacement}, a file about to be renamed over {@code original}, the mode of
     * {@code original} when it exists and differs: a data file its owner shared with a group (a
     * backup user, say) stays shared after a compaction, one kept private stays private. Call it
     * before anything is written to {@code replacement}. Nothing off POSIX.
     *
     * @throws IOException if either file's mode cannot be read or set
     */
    public static void keepPermissions(Path original, Path replacement) throws IOException {
        if (!posix(original) || !Files.exists(original)) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(original);
        if (!mode.equals(Files.getPosixFilePermissions(replacement))) {
            Files.setPosixFilePermissions(replacement, mode);
        }
    }

    /**
     * What other users may do with {@code file}: its mode as {@code ls} shows it
     * ({@code "rw-r--r--"}) when its group or others have any permission on it, else null (also
     * when it is missing, or off POSIX). One stat, of the file a symbolic link points to.
     */
    public static String exposure(Path file) {
        if (!posix(file)) {
            return null;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.stream().anyMatch(OTHERS::contains) ? PosixFilePermissions.toString(mode) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
