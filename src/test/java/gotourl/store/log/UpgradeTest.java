package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.Cli;
import gotourl.StopSignal;
import gotourl.link.Keys;
import gotourl.link.LinkEdit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goto upgrade} and {@code goto compact} on a stopped goto's file, as the command line runs them. */
class UpgradeTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    private static Run goto_(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), new StopSignal());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A file as goto 1 wrote it: keys a, b and k, and a reservation through 100 (async mode). */
    private Path versionOneFile() throws IOException {
        return DataFiles.write(dir.resolve("goto.data"), DataFiles.header(1), DataFiles.link("a", "https://example.com/a"),
                DataFiles.link("b", "https://example.com/b"), DataFiles.reservation(100), DataFiles.link("k", "https://example.com/k"));
    }

    @Test
    void aVersionOneFileIsRewrittenAsVersionTwoKeepingEveryLinkTheCounterAndACopy() throws Exception {
        Path file = versionOneFile();
        byte[] original = Files.readAllBytes(file);

        Run run = goto_("upgrade", "-file=" + file);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("upgraded from format version 1 to 2 (3 links)").contains(".v1-");

        try (Stream<Path> files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().startsWith("goto.data.v1-")).toList();
            assertThat(backups).hasSize(1);
            assertThat(Files.readAllBytes(backups.getFirst())).as("the old file, kept as it was").isEqualTo(original);
        }
        assertThat(LogFormat.version(Files.readAllBytes(file))).isEqualTo(2);
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/a");
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/b");
            assertThat(store.longUrlOf("k")).isEqualTo("https://example.com/k");
            assertThat(DataFiles.add(store, "https://example.com/next")).as("keys resume after the reservation")
                    .isEqualTo(Keys.encode(100));
            store.edit("a", LinkEdit.none().title("now it can be edited")).join();
        }
    }

    @Test
    void aFailureBeforeTheRenameLeavesTheVersionOneFileAsItWas() throws Exception {
        Path file = versionOneFile();
        byte[] original = Files.readAllBytes(file);
        assertThatThrownBy(() -> LogUpgrade.upgrade(file, (step, path) -> {
            throw new IOException("injected: the disk is full");
        }, Clock.systemUTC())).hasMessageContaining("injected");

        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        assertThat(Files.exists(LogFile.temporary(file.toRealPath()))).isFalse();
        assertThatThrownBy(() -> DataFiles.open(file)).hasMessageContaining("goto upgrade");
        assertThat(goto_("upgrade", "-file=" + file).exitCode()).as("and it can be upgraded again").isZero();
    }

    @Test
    void aCurrentFileNeedsNoUpgrade() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 3);
        byte[] before = Files.readAllBytes(file);
        Run run = goto_("upgrade", "-file=" + file);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("already format version 2 (3 links); nothing to do");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void gotoCompactRewritesAStoppedGotosFile() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = DataFiles.open(file)) {
            String key = DataFiles.add(store, "https://example.com/a");
            for (int i = 0; i < 50; i++) {
                store.edit(key, LinkEdit.none().title("edit " + i)).join();
            }
        }
        long before = Files.size(file);
        Run run = goto_("compact", "-file=" + file);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("compacted " + before + " bytes into").contains("(1 links)");
        assertThat(Files.size(file)).isLessThan(before);
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.lookup("a").title()).isEqualTo("edit 49");
        }
    }

    /**
     * An upgrade that cannot write (a child JVM whose files may not grow past half the original,
     * {@code prlimit --fsize}: {@code EFBIG} for real, as a full disk gives {@code ENOSPC}) says
     * the file is unchanged and what an upgrade needs, and leaves no half-written copy beside it.
     */
    @Test
    void anUpgradeThatCannotWriteSaysTheFileIsUnchangedAndLeavesNoHalfCopy() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit is not installed");
        Path file = versionOneFile();
        byte[] original = Files.readAllBytes(file);
        List<String> command = List.of("/usr/bin/prlimit", "--fsize=" + original.length / 2,
                ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "gotourl.Main", "upgrade", "-file=" + file);
        // Its output through a pipe: a file would be held to the same limit.
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("upgrade still running").isTrue();

        assertThat(child.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("goto upgrade: " + file + " was not upgraded and is unchanged: ").contains("File too large")
                .contains("(about " + original.length + " bytes each)").contains("run goto upgrade again");
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("goto.data");
        }
        Run withRoom = goto_("upgrade", "-file=" + file);
        assertThat(withRoom.exitCode()).as(withRoom.err()).isZero();
    }

    @Test
    void commandsOnAStoppedGotosFileSayADirectoryIsNotADataFile() throws Exception {
        // A user who gives -file the directory goto runs in, as for a path setting elsewhere.
        Path directory = Files.createDirectory(dir.resolve("goto-home"));
        for (String command : new String[] {"compact", "repair", "upgrade", "check"}) {
            Run run = goto_(command, "-file=" + directory);
            assertThat(run.exitCode()).as(command + ": " + run.err()).isEqualTo(1);
            assertThat(run.err()).as(command)
                    .startsWith("goto " + command + ": " + directory + ": is a directory, not a data file; give -file the data file in it"
                            + " (such as " + directory.resolve("goto.data") + ")")
                    .doesNotContain("no such data file").doesNotContain("no data file to");
        }
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void gotoCompactSaysWhatIsWrongWithAFileItCannotCompact() throws Exception {
        Run missing = goto_("compact", "-file=" + dir.resolve("nothing.data"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such data file");
        Path old = versionOneFile();
        Run versionOne = goto_("compact", "-file=" + old);
        assertThat(versionOne.exitCode()).isEqualTo(1);
        assertThat(versionOne.err()).contains("goto upgrade -file=" + old);
    }
}
