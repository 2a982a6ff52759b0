package gotourl.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link OwnerOnly} does beyond giving a mode, which the end-to-end test cannot see: a
 * leftover or planted temporary file is replaced, never reused or followed; a data file others
 * can read is told apart; a file system without POSIX permissions is left to its defaults.
 */
class OwnerOnlyTest {
    @TempDir
    Path dir;

    @Test
    void aLeftoverTemporaryFileIsMadeAnewNotReusedAndALinkPlantedThereIsNotFollowed() throws Exception {
        assumeThat(OwnerOnly.posix(dir)).as("POSIX permissions").isTrue();
        Path leftover = Files.writeString(dir.resolve("goto.data.health.tmp"), "left by an older goto\n");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (FileChannel channel = OwnerOnly.fresh(leftover)) {
            assertThat(channel.size()).isZero();
        }
        assertThat(mode(leftover)).isEqualTo("rw-------");

        Path victim = Files.writeString(dir.resolve("victim"), "someone else's\n");
        Path planted = Files.createSymbolicLink(dir.resolve("goto.data.image.writing"), victim);
        try (FileChannel channel = OwnerOnly.fresh(planted)) {
            channel.write(ByteBuffer.wrap("image".getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(victim).hasContent("someone else's");
        assertThat(Files.isSymbolicLink(planted)).isFalse();
        assertThat(mode(planted)).isEqualTo("rw-------");

        Path directory = Files.createDirectory(dir.resolve("goto.data.compacting"));
        assertThatThrownBy(() -> OwnerOnly.fresh(directory)).isInstanceOf(FileSystemException.class).hasMessageContaining("Is a directory");
        assertThat(directory).isDirectory();
    }

    @Test
    void exposureSaysTheModeOnlyWhenOthersHaveAnyPermission() throws Exception {
        assumeThat(OwnerOnly.posix(dir)).as("POSIX permissions").isTrue();
        Path file = OwnerOnly.createDirectories(dir.resolve("a/b")).resolve("goto.data");
        OwnerOnly.write(file, new byte[] {1});
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(OwnerOnly.exposure(file)).isNull();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertThat(OwnerOnly.exposure(file)).isEqualTo("rw----r--");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertThat(OwnerOnly.exposure(file)).isEqualTo("rw--w----");
        assertThat(OwnerOnly.exposure(dir.resolve("missing"))).isNull();
    }

    @Test
    void aFileSystemWithoutPosixPermissionsGetsItsOwnDefaults() throws Exception {
        try (FileSystem zip = FileSystems.newFileSystem(dir.resolve("files.zip"), Map.of("create", "true"))) {
            Path root = zip.getPath("/");
            assertThat(OwnerOnly.posix(root)).isFalse();
            // No mode is asked for: a file system without POSIX permissions (Windows') refuses one at creation.
            assertThat(OwnerOnly.file(root)).isEmpty();
            assertThat(OwnerOnly.directory(root)).isEmpty();
            Path visits = OwnerOnly.createDirectories(root.resolve("goto.data.visits"));
            try (FileChannel channel = OwnerOnly.open(visits.resolve("lives"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {1, 2}));
            }
            try (FileChannel channel = OwnerOnly.fresh(root.resolve("goto.data.image.writing"))) {
                channel.write(ByteBuffer.wrap(new byte[] {3}));
            }
            OwnerOnly.write(root.resolve("goto.data"), new byte[] {4});
            OwnerOnly.keepPermissions(root.resolve("goto.data"), root.resolve("goto.data.image.writing"));
            assertThat(OwnerOnly.exposure(root.resolve("goto.data"))).isNull();
            assertThat(Files.size(visits.resolve("lives"))).isEqualTo(2);
            assertThat(Files.readAllBytes(root.resolve("goto.data"))).containsExactly(4);
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
