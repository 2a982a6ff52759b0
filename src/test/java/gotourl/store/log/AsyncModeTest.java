package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Keys;
import gotourl.store.StoreBusyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -sync=false}: an add is answered once queued, before its record is forced. What that may
 * lose is bounded (README, Durability), and a lost link's key never goes to another URL: keys are
 * reserved on disk in blocks before they are handed out.
 */
class AsyncModeTest {
    @TempDir
    Path dir;

    private HookedChannel channel;

    private LogLinkStore open(Path file, boolean durable, Duration flushInterval) throws Exception {
        return LogLinkStore.open(file, LogLinkStore.Options.defaults().withDurable(durable).withFlushInterval(flushInterval)
                .withWriteChannel(real -> channel = new HookedChannel(real)));
    }

    @Test
    void asyncAddsAreAnsweredAndServedWhileTheDiskIsStalledInAForce() throws Exception {
        Path file = dir.resolve("goto.data");
        LogLinkStore store = open(file, false, Duration.ofMillis(5));
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        channel.beforeForce = () -> {
            forcing.countDown();
            await(diskBack);
        };
        String first = add(store, "https://example.com/first");
        assertThat(forcing.await(10, TimeUnit.SECONDS)).as("the writer is stuck in a force").isTrue();

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(add(store, "https://example.com/" + i)); // answered although nothing more is forced
        }
        assertThat(store.longUrlOf(keys.get(99))).isEqualTo("https://example.com/99");

        diskBack.countDown();
        assertThat(store.close(Duration.ofSeconds(10))).isZero();
        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.longUrlOf(first)).isEqualTo("https://example.com/first");
            for (int i = 0; i < keys.size(); i++) {
                assertThat(reopened.longUrlOf(keys.get(i))).isEqualTo("https://example.com/" + i);
            }
        }
    }

    @Test
    void durableAddsAreAnsweredOnlyAfterTheirForce() throws Exception {
        Path file = dir.resolve("goto.data");
        LogLinkStore store = open(file, true, Duration.ofSeconds(1));
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        channel.beforeForce = () -> {
            forcing.countDown();
            await(diskBack);
        };

        CompletableFuture<String> added = store.add("https://example.com/durable");
        assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(added).as("not answered while its force is stalled").isNotDone();
        assertThat(store.longUrlOf("a")).as("not served before it is on disk").isNull();

        diskBack.countDown();
        assertThat(added.get(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/durable");
        store.close(Duration.ofSeconds(10));
    }

    @Test
    void keysAreReservedOnDiskBeforeTheyAreHandedOut() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = open(file, false, Duration.ofHours(1))) {
            add(store, "https://example.com/a");
        }
        List<Long> offsets = DataFiles.recordOffsets(file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[(int) (offsets.get(0) + LogFormat.FRAME_BYTES)]).as("the first record is a key reservation")
                .isEqualTo(LogFormat.KEY_RESERVATION);
        assertThat(bytes[(int) (offsets.get(1) + LogFormat.FRAME_BYTES)]).isEqualTo(LogFormat.LINK);
    }

    /**
     * A crash leaves the file as it is on disk at that moment; a copy taken while goto runs is such
     * a file. Whatever acknowledged links it lacks, goto restarted from it must hand out keys after
     * every key acknowledged before the copy, across several renewals of the reserved block.
     */
    @Test
    void aCrashAtAnyMomentNeverLetsAnAcknowledgedKeyBeHandedOutAgain() throws Exception {
        Path file = dir.resolve("goto.data");
        int adds = (int) (LogWriter.KEYS_PER_RESERVATION * 2);
        List<Path> crashes = new ArrayList<>();
        List<Long> highestAcknowledged = new ArrayList<>();
        long highest = -1;
        try (LogLinkStore store = open(file, false, Duration.ofMillis(50))) {
            for (int i = 0; i < adds; i++) {
                highest = Keys.decode(addRetryingWhileBusy(store, "https://example.com/" + i));
                if (i % 10_000 == 9_999) {
                    Path crash = dir.resolve("crash-" + i + ".data");
                    Files.copy(file, crash);
                    crashes.add(crash);
                    highestAcknowledged.add(highest);
                }
            }
        }
        for (int i = 0; i < crashes.size(); i++) {
            try (LogLinkStore restarted = DataFiles.open(crashes.get(i))) {
                long next = Keys.decode(add(restarted, "https://example.com/after-the-crash"));
                assertThat(next).as("the first key after crash " + i).isGreaterThan(highestAcknowledged.get(i));
            }
        }
        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.size()).isEqualTo(adds);
        }
    }

    static String addRetryingWhileBusy(LogLinkStore store, String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                return add(store, url);
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof StoreBusyException)) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
        throw new AssertionError("the store stayed busy for 10 s");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
