package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.store.StoreFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -sync=false} acknowledges adds before they are on disk, so a graceful stop must write
 * and force every one of them; and a stop whose deadline runs out while the writer is idle is a
 * stop, not a disk failure.
 */
class AsyncShutdownTest {
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private AtomicReference<HookedChannel> channel = new AtomicReference<>();

    private LogLinkStore.Options async() {
        return LogLinkStore.Options.defaults().withDurable(false).withFlushInterval(NEVER)
                .withWriteChannel(file -> {
                    HookedChannel hooked = new HookedChannel(file);
                    channel.set(hooked);
                    return hooked;
                });
    }

    @Test
    void aGracefulCloseWritesAndForcesEveryAcknowledgedAdd() throws Exception {
        Path file = dir.resolve("goto.data");
        List<String> keys = new ArrayList<>();
        LogLinkStore store = LogLinkStore.open(file, async());
        // A stalled disk: acknowledged adds are still queued when the stop comes.
        CountDownLatch diskStalled = new CountDownLatch(1);
        channel.get().beforeWrite = () -> await(diskStalled);
        for (int i = 0; i < 2_000; i++) {
            keys.add(add(store, "https://example.com/" + i));
        }
        assertThat(store.queueDepth()).as("acknowledged adds waiting for the disk").isPositive();
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(diskStalled::countDown);
        int forcesBeforeClose = channel.get().forces.get();
        assertThat(store.close(Duration.ofSeconds(30))).isZero();
        assertThat(channel.get().forces.get()).as("forced at close").isGreaterThan(forcesBeforeClose);
        assertThat(store.failure()).as("closed, not failed").isEqualTo("the store is closed");

        try (LogLinkStore reopened = DataFiles.open(file)) {
            for (int i = 0; i < keys.size(); i++) {
                assertThat(reopened.longUrlOf(keys.get(i))).isEqualTo("https://example.com/" + i);
            }
            assertThat(reopened.size()).isEqualTo(keys.size());
        }
    }

    @Test
    void aStopDeadlineThatPassesWhileTheWriterIsIdleIsNotADiskFailure() throws Exception {
        Path file = dir.resolve("goto.data");
        LogLinkStore store = LogLinkStore.open(file, async());
        long sizeBefore = Files.size(file);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(add(store, "https://example.com/" + i));
        }
        while (Files.size(file) == sizeBefore) {
            Thread.sleep(1); // the writer writes them, does not force them (the interval is an hour), and goes idle
        }
        Thread.sleep(20);

        assertThat(store.close(Duration.ZERO)).as("adds left unwritten").isZero();
        assertThat(store.failure()).as("a stop is not a write failure").isEqualTo("the store is closed");
        try (LogLinkStore reopened = DataFiles.open(file)) {
            for (int i = 0; i < keys.size(); i++) {
                assertThat(reopened.longUrlOf(keys.get(i))).isEqualTo("https://example.com/" + i);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDiskStalledPastTheStopDeadlineFailsTheUnwrittenAddsButIsNotReportedAsADiskFailure() throws Exception {
        Path file = dir.resolve("goto.data");
        LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withWriteChannel(real -> {
            HookedChannel hooked = new HookedChannel(real);
            channel.set(hooked);
            return hooked;
        }));
        String kept = add(store, "https://example.com/kept");
        CountDownLatch stalled = new CountDownLatch(1);
        channel.get().beforeWrite = () -> {
            stalled.countDown();
            await(new CountDownLatch(1)); // until the writer is interrupted
        };
        CompletableFuture<String> inFlight = store.add("https://example.com/in-flight");
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = store.add("https://example.com/queued");

        assertThat(store.close(Duration.ofMillis(100))).as("adds the stop had to leave unwritten").isEqualTo(2);

        assertThat(store.failure()).as("giving up at the deadline is not a write failure").isEqualTo("the store is closed");
        for (CompletableFuture<String> add : List.of(inFlight, queued)) {
            assertThatThrownBy(() -> add.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("goto stopped before this change was written");
        }
        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.longUrlOf(kept)).isEqualTo("https://example.com/kept");
            assertThat(reopened.size()).isEqualTo(1);
        }
    }
}
