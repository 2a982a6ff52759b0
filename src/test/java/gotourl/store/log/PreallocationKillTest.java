package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ChildLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of preallocating (a slice of zeros half written) while adds
 * go on, three times on one file: after each kill every acknowledged link is there, the file
 * opens without damage reported, adds after the restart land after the last record and survive
 * the next kill.
 */
class PreallocationKillTest {
    @TempDir
    Path dir;

    @Test
    void aKillWhileZerosAreBeingWrittenLosesNoAcknowledgedLink() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int cycle = 0; cycle < 3; cycle++) {
            List<String> lines = runUntilHalfAndKill(file, cycle, 3 + cycle * 5);
            lines.stream().filter(l -> l.startsWith("ACK ")).forEach(l -> {
                String[] parts = l.split(" ");
                acknowledged.put(parts[1], parts[2]);
            });
            String at = "after kill " + cycle;
            assertThat(lines).as(at).anyMatch(l -> l.startsWith("HALF "));
            long size = Files.size(file);
            try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withIndexImage(false))) {
                acknowledged.forEach((key, url) -> assertThat(store.longUrlOf(key)).as(at + ": " + key).isEqualTo(url));
                // Each kill may leave the add under way at it written but not acknowledged.
                assertThat(store.size()).as(at + ": nothing but what was acknowledged, and perhaps the adds under way at the kills")
                        .isBetween((long) acknowledged.size(), acknowledged.size() + cycle + 1L);
                assertThat(store.fileBytes()).as(at + ": the writer resumes before the zeros").isLessThan(size);
                // The kill lands while the writer waits for the zeros' lock or between two writes
                // of a few hundred bytes: no record is torn, and the zeros are no damage.
                assertThat(store.replay().droppedBytes()).as(at + ": nothing reported dropped").isZero();
            }
        }
        assertThat(acknowledged).hasSizeGreaterThan(30);
    }

    private List<String> runUntilHalfAndKill(Path file, int cycle, int haltAt) throws Exception {
        List<String> command = ChildLines.javaCommand(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                PreallocKillWorker.class, file.toString(), String.valueOf(haltAt));
        AtomicBoolean half = new AtomicBoolean();
        AtomicInteger acksAfterHalf = new AtomicInteger();
        try (ChildLines worker = ChildLines.start(command, dir.resolve("worker-" + cycle + ".err"), line -> {
            if (line.startsWith("HALF ")) {
                half.set(true);
            } else if (line.startsWith("ACK ") && half.get()) {
                acksAfterHalf.incrementAndGet();
            }
        })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Adds go on while the zeros are held half written: the writer outruns them, under their lock.
            while (acksAfterHalf.get() < 5 && worker.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(worker.isAlive()).as("the worker runs until the kill").isTrue();
            return worker.kill9(Duration.ofMinutes(1));
        }
    }
}
