package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process recording visits, again and again: after each restart every visit offered
 * more than a second before the kill is there, the counts agree with the visits listed, and the
 * store keeps recording. (A kill loses only what was queued, milliseconds; the second is what a
 * crash of the machine may cost, since the worker forces the files every second.)
 */
class VisitsKillNineTest {
    static final int CYCLES = 4;

    @TempDir
    Path dir;

    record Line(long receivedNanos, long offered) {}

    @Test
    void aKillLosesNoVisitOfferedMoreThanASecondBefore() throws Exception {
        Path visits = dir.resolve("visits");
        long before = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), VisitsChild.class.getName(),
                    visits.toString()).redirectErrorStream(true).start();
            List<Line> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("offered ")) {
                            lines.add(new Line(System.nanoTime(), Long.parseLong(line.split(" ")[1])));
                        }
                    }
                } catch (java.io.IOException e) {
                    // the child was killed
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((lines.isEmpty() || System.nanoTime() - lines.get(0).receivedNanos() < TimeUnit.MILLISECONDS.toNanos(1_500 + 300L * cycle))
                    && System.nanoTime() < deadline) {
                assertThat(child.isAlive()).as("the child runs").isTrue();
                Thread.sleep(10);
            }
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            long offeredASecondBefore = lines.stream().filter(l -> l.receivedNanos() < killedAt - TimeUnit.SECONDS.toNanos(1))
                    .mapToLong(Line::offered).max().orElse(0);
            long offeredInAll = lines.isEmpty() ? 0 : lines.get(lines.size() - 1).offered() + 100_000;
            try (LogVisitStore store = LogVisitStore.open(visits)) {
                long total = 0;
                long listed = 0;
                for (int k = 0; k < 7; k++) {
                    total += store.summary("k" + k).total();
                    listed += store.linkVisits("k" + k, VisitsQuery.all().between(java.time.Instant.EPOCH, null).page(1, 1)).totalItems();
                }
                long thisCycle = total - before;
                assertThat(thisCycle).as("cycle %d: visits recorded of %d offered a second before the kill", cycle, offeredASecondBefore)
                        .isGreaterThanOrEqualTo(offeredASecondBefore);
                assertThat(thisCycle).as("cycle %d: no more visits than were offered", cycle).isLessThanOrEqualTo(offeredInAll);
                assertThat(listed).as("cycle %d: visits listed agree with the counts", cycle).isEqualTo(total);
                assertThat(store.stats().nonOrphanVisits().total()).isEqualTo(total);
                before = total;
            }
        }
        assertThat(before).isGreaterThan(CYCLES * 1_000L);
    }
}
