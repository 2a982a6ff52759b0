package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.ChildGoto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One goto owns one data file: a second one, in another process or in this one, is refused with
 * a message that says so, and a refused attempt never loosens the owner's lock.
 */
class DataFileInUseTest {
    @TempDir
    Path dir;

    @Test
    void aSecondGotoProcessOnTheSameFileIsRefusedClearly() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore owner = DataFiles.open(file)) {
            add(owner, "https://example.com/owned");
            try (ChildGoto second = ChildGoto.start(dir.resolve("second.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + file)) {
                assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(second.log()).contains("goto: cannot start: " + file + " is in use by another goto process")
                        .doesNotContain("Exception");
            }
            assertThat(add(owner, "https://example.com/still-owned")).isEqualTo("b");
        }
    }

    @Test
    void aSecondOpenInTheSameProcessIsRefused() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore owner = DataFiles.open(file)) {
            assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("in use");
            assertThatThrownBy(() -> DataFiles.open(dir.resolve(".").resolve("goto.data"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
            assertThat(add(owner, "https://example.com/still-owned")).isEqualTo("a");
        }
        try (LogLinkStore next = DataFiles.open(file)) {
            assertThat(next.longUrlOf("a")).as("a closed file can be opened again").isEqualTo("https://example.com/still-owned");
        }
    }

    /**
     * A POSIX lock belongs to the process, and closing any channel to the file drops it: a refused
     * second open in the same process must not open (and close) a channel of its own.
     */
    @Test
    void aRefusedSecondOpenInTheSameProcessDoesNotDropTheOwnersLock() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore owner = DataFiles.open(file)) {
            add(owner, "https://example.com/owned");
            assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(IOException.class);

            assertAnotherProcessIsLockedOut(file);
        }
    }

    @Test
    void repairInTheSameProcessIsRefusedClearlyAndDoesNotDropTheOwnersLock() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore owner = DataFiles.open(file)) {
            add(owner, "https://example.com/owned");

            Repairs repair = Repairs.run(file);

            assertThat(repair.exitCode()).isEqualTo(1);
            assertThat(repair.err()).startsWith("goto repair: ").contains(file.toString()).contains("in use");
            assertAnotherProcessIsLockedOut(file);
        }
    }

    @Test
    void repairInAnotherProcessIsRefusedWhileGotoRuns() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore owner = DataFiles.open(file)) {
            add(owner, "https://example.com/owned");
            assertAnotherProcessIsLockedOut(file);
        }
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().contains("corrupt")).count()).isZero();
    }

    /** {@code goto repair} in a child process must find the file locked. */
    private void assertAnotherProcessIsLockedOut(Path file) throws Exception {
        try (ChildGoto repair = ChildGoto.start(dir.resolve("repair.log"), "repair", "-file=" + file)) {
            assertThat(repair.awaitExit(Duration.ofSeconds(30))).as("goto repair in another process").isEqualTo(1);
            assertThat(repair.log()).contains("goto repair: " + file + " is in use by a running goto");
        }
    }

    @Test
    void closingAStoreTwiceDoesNotReleaseTheFileFromItsNextOwner() throws Exception {
        Path file = dir.resolve("goto.data");
        LogLinkStore first = DataFiles.open(file);
        first.close();
        try (LogLinkStore second = DataFiles.open(file)) {
            first.close();
            assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(IOException.class).hasMessageContaining("in use");
            assertAnotherProcessIsLockedOut(file);
        }
    }
}
