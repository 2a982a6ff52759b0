package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data file goto cannot use stops it before it serves, with exit code 1 and one line that says which file and why. */
class DataFileRefusedAtStartTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String err) {}

    private static Run serve(Path file, String... more) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StopSignal stop = new StopSignal();
        stop.stop("the test only starts goto", false); // should it start, it stops at once
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("-http=127.0.0.1:0", "-admin=off", "-file=" + file),
                java.util.stream.Stream.of(more)).toArray(String[]::new);
        int code = Cli.run(args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), stop);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    private static void assertRefusedInOneLine(Run run, String... mentions) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err().lines()).as("one line").hasSize(1);
        assertThat(run.err()).startsWith("goto: cannot start: ").contains(mentions).doesNotContain("Exception");
    }

    @Test
    void aDirectory() throws Exception {
        Path file = Files.createDirectory(dir.resolve("goto.data"));
        assertRefusedInOneLine(serve(file), file.toString(), "directory");
    }

    @Test
    void aFileInADirectoryThatDoesNotExist() {
        Path file = dir.resolve("missing").resolve("goto.data");
        assertRefusedInOneLine(serve(file), file.toString(), "does not exist");
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void aFileThatIsNotGotos() throws Exception {
        Path file = Files.writeString(dir.resolve("goto.data"), "a=https://example.com/\n");
        assertRefusedInOneLine(serve(file), file.toString(), "not a goto data file");
        assertThat(Files.readString(file)).isEqualTo("a=https://example.com/\n");
    }

    @Test
    void anUnreadableFile() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path file = dir.resolve("goto.data");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("---------")));
        assertRefusedInOneLine(serve(file), file.toString(), "permission denied");
    }

    @Test
    void aFileOfANewerFormat() throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] header = {(byte) 0x89, 'G', 'O', 'T', 'O', '\r', '\n', 0x1A, 0, 9, 0, 0, 0, 0, 0, 0};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header, 0, 12);
        java.nio.ByteBuffer.wrap(header).putInt(12, (int) crc.getValue());
        Files.write(file, header);
        assertRefusedInOneLine(serve(file), file.toString(), "format version 9", "upgrade goto");
    }

    /** A file of /proc is regular, but cannot be locked or appended to: it said only "Illegal seek". */
    @Test
    void aFileOfTheProcFileSystem() {
        Path file = Path.of("/proc/version");
        Assumptions.assumeTrue(Files.isRegularFile(file), "a Linux /proc");
        assertRefusedInOneLine(serve(file), "/proc/version cannot be goto's data file", "must be a regular file on a local disk");
    }

    /** A new file where the file system takes none (Linux's /proc): it said only "/proc/goto.data: null". */
    @Test
    void aNewFileWhereTheFileSystemTakesNone() {
        Path file = Path.of("/proc/goto.data");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        Run run = serve(file);
        assertRefusedInOneLine(run, "/proc/goto.data: cannot be created", "-file");
        assertThat(run.err()).doesNotContain("null");
    }

    /**
     * A new file in a directory that refuses it (sysfs refuses even root; an ordinary directory
     * refuses another user): it said "goto needs to read and write its data file", of a file that
     * does not exist, instead of naming the directory.
     */
    @Test
    void aNewFileInADirectoryThatRefusesIt() {
        Path file = Path.of("/sys/goto.data");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "a Linux /sys");
        assertRefusedInOneLine(serve(file), "/sys/goto.data: permission denied creating it: /sys does not let this user ("
                + System.getProperty("user.name") + ") create files there; give it write access, or use another directory (-file)");
        assertThat(file).doesNotExist();
    }

    /** It said only "goto's HTTP server failed to start: PATH". */
    @Test
    void anAccessLogInADirectoryThatDoesNotExist() {
        Path log = dir.resolve("missing").resolve("access.log");
        Run run = serve(Path.of(":memory:"), "-access-log=" + log);
        assertRefusedInOneLine(run, "cannot write the access log " + log + ": its directory " + log.getParent() + " does not exist",
                "-access-log");
    }
}
