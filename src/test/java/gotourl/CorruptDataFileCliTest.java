package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data file's damage as an operator meets it: goto's exit code and log, then goto repair. */
class CorruptDataFileCliTest {
    @TempDir
    Path dir;

    private Path writeTenLinks() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            for (int i = 0; i < 10; i++) {
                store.add("https://example.com/" + i).join();
            }
        }
        return file;
    }

    @Test
    void gotoStopsWithExitCodeOneAndOneLineNamingTheFileAndOffsetThenRepairLetsItStart() throws Exception {
        Path file = writeTenLinks();
        byte[] bytes = Files.readAllBytes(file);
        int damaged = 16 + 3 * 42; // the fourth record: each is 42 bytes (a one-letter key, a 21-character URL)
        bytes[damaged + 20] ^= 0x55;
        Files.write(file, bytes);

        try (ChildGoto refused = ChildGoto.startWithJvmOptions(dir.resolve("refused.log"), ChildGoto.QUICK_START,
                "-http=127.0.0.1:0", "-admin=off", "-file=" + file)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            String log = refused.log();
            assertThat(log.lines().filter(line -> line.startsWith("goto: "))).containsExactly("goto: cannot start: " + file
                    + ": damaged record (checksum mismatch) followed by valid ones at " + (damaged + 42)
                    + "; the file is corrupt, not just cut short. Run 'goto repair -file=" + file
                    + "' to keep every readable link (at byte offset " + damaged + ")");
            assertThat(log).doesNotContain("Exception").doesNotContain("\tat ");
        }

        try (ChildGoto repair = ChildGoto.startWithJvmOptions(dir.resolve("repair.log"), ChildGoto.QUICK_START, "repair", "-file=" + file)) {
            assertThat(repair.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(repair.log()).contains("kept 9 records; lost 42 damaged bytes")
                    .contains("damaged: bytes " + damaged + "-" + (damaged + 41) + " (checksum mismatch)")
                    .contains("The original is kept as " + file + ".corrupt-");
        }

        try (ChildGoto started = ChildGoto.startWithJvmOptions(dir.resolve("started.log"), ChildGoto.QUICK_START,
                "-http=127.0.0.1:0", "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(30))) {
            assertThat(started.log()).contains("loaded 9 links from " + file);
            started.sigterm();
            assertThat(started.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void zerosAfterTheRecordsAreNoDamageToRepairNorToAStartAndAreKept() throws Exception {
        Path file = writeTenLinks();
        // As a running goto leaves its file: zeros preallocated after the last record.
        Files.write(file, new byte[300_000], java.nio.file.StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(file);

        try (ChildGoto repair = ChildGoto.startWithJvmOptions(dir.resolve("repair.log"), ChildGoto.QUICK_START, "repair", "-file=" + file)) {
            assertThat(repair.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(repair.log()).contains("nothing to repair (10 records, all readable)");
        }
        assertThat(Files.readAllBytes(file)).as("repair leaves it as it is").isEqualTo(before);

        try (ChildGoto started = ChildGoto.startWithJvmOptions(dir.resolve("started.log"), ChildGoto.QUICK_START,
                "-http=127.0.0.1:0", "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(30))) {
            assertThat(started.log()).contains("loaded 10 links from " + file).doesNotContain("dropped");
            started.sigterm();
            assertThat(started.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(Files.size(file)).as("the zeros kept").isEqualTo(before.length);
    }

    @Test
    void aTornTailIsCutOffAndTheStartUpLogSaysHowManyBytes() throws Exception {
        Path file = writeTenLinks();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("torn.log"), ChildGoto.QUICK_START,
                "-http=127.0.0.1:0", "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(30))) {
            assertThat(child.log()).contains("loaded 9 links from " + file).contains("dropped a torn tail of 37 bytes");
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(Files.size(file)).isEqualTo(16 + 9 * 42 + 0L);
    }
}
