package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed write or force is fatal to writing (a failed fsync may have dropped the data, and a
 * retry could acknowledge a link that is not on disk): waiting and new adds fail, lookups go on,
 * the reason is kept, nothing acknowledged is lost.
 */
class WriteFailureTest {
    private static final String DISK_FULL = "No space left on device";

    @TempDir
    Path dir;

    private Path file;
    private HookedChannel channel;

    @BeforeEach
    void setUp() {
        file = dir.resolve("goto.data");
    }

    private LogLinkStore open(boolean durable, Duration flushInterval) throws IOException {
        return LogLinkStore.open(file, LogLinkStore.Options.defaults().withDurable(durable).withFlushInterval(flushInterval)
                .withWriteChannel(real -> channel = new HookedChannel(real)));
    }

    @Test
    void aFailedWriteFailsTheWaitingAddsAndEveryNewOneButLookupsGoOn() throws Exception {
        LogLinkStore store = open(true, Duration.ofSeconds(1));
        List<String> kept = List.of(add(store, "https://example.com/0"), add(store, "https://example.com/1"));
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        channel.beforeWrite = () -> {
            stalled.countDown();
            await(release);
            throw new IOException(DISK_FULL);
        };
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        waiting.add(store.add("https://example.com/waiting/0"));
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 5; i++) {
            waiting.add(store.add("https://example.com/waiting/" + i));
        }
        assertThat(store.queueDepth()).isEqualTo(4);
        release.countDown();

        for (CompletableFuture<String> add : waiting) {
            assertThatThrownBy(() -> add.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreFailedException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(DISK_FULL);
        }
        assertThat(store.failure()).contains(file.toString()).contains(DISK_FULL);
        int writesAtFailure = channel.writes.get();
        assertThatThrownBy(() -> store.add("https://example.com/later").orTimeout(10, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreFailedException.class)
                .hasMessageContaining(DISK_FULL);
        assertThat(channel.writes.get()).as("no retry after a failure").isEqualTo(writesAtFailure);
        assertThat(store.longUrlOf(kept.get(0))).isEqualTo("https://example.com/0");
        assertThat(store.longUrlOf(kept.get(1))).isEqualTo("https://example.com/1");
        assertThat(store.longUrlOf("c")).as("a failed add is not served").isNull();

        store.close(Duration.ofSeconds(10));
        assertThat(store.failure()).as("the reason, after close").contains(DISK_FULL);

        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.longUrlOf(kept.get(0))).isEqualTo("https://example.com/0");
            assertThat(reopened.longUrlOf(kept.get(1))).isEqualTo("https://example.com/1");
            assertThat(reopened.size()).isEqualTo(2);
            assertThat(add(reopened, "https://example.com/after-the-fix")).isEqualTo("c");
        }
    }

    @Test
    void aFailedForceRefusesTheAddAndItsKeyIsNeverGivenToAnotherUrl() throws Exception {
        LogLinkStore store = open(true, Duration.ofSeconds(1));
        String kept = add(store, "https://example.com/kept");
        channel.beforeForce = () -> {
            throw new IOException("fsync: Input/output error");
        };

        assertThatThrownBy(() -> store.add("https://example.com/unconfirmed").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreFailedException.class)
                .hasMessageContaining("Input/output error");
        assertThat(store.longUrlOf("b")).as("not acknowledged, so not served").isNull();
        store.close(Duration.ofSeconds(10));
        assertThat(store.failure()).as("the reason, after close").contains("Input/output error");

        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.longUrlOf(kept)).isEqualTo("https://example.com/kept");
            // The record reached the file before the force failed: its key now holds its URL, and no other.
            assertThat(reopened.longUrlOf("b")).isIn("https://example.com/unconfirmed", null);
            String next = add(reopened, "https://example.com/next");
            assertThat(reopened.longUrlOf(next)).isEqualTo("https://example.com/next");
            if (reopened.longUrlOf("b").equals("https://example.com/unconfirmed")) {
                assertThat(next).isEqualTo("c");
            }
        }
    }

    @Test
    void inAsyncModeAFailedPeriodicForceStopsStoringAndIsReported() throws Exception {
        LogLinkStore store = open(false, Duration.ofMillis(20));
        String kept = add(store, "https://example.com/kept");
        store.close(Duration.ofSeconds(10));

        LogLinkStore again = open(false, Duration.ofMillis(20));
        channel.beforeForce = () -> {
            throw new IOException(DISK_FULL);
        };
        String acknowledged = add(again, "https://example.com/acknowledged-in-memory");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (again.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(again.failure()).contains(DISK_FULL);
        assertThatThrownBy(() -> again.add("https://example.com/refused").orTimeout(10, TimeUnit.SECONDS).join()).hasCauseInstanceOf(StoreFailedException.class);
        assertThat(again.longUrlOf(kept)).isEqualTo("https://example.com/kept");
        assertThat(again.longUrlOf(acknowledged)).as("redirects go on from memory").isEqualTo("https://example.com/acknowledged-in-memory");
        again.close(Duration.ofSeconds(10));
        assertThat(again.failure()).as("the reason, after close").contains(DISK_FULL);

        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.longUrlOf(kept)).isEqualTo("https://example.com/kept");
            assertThat(Keys.decode(add(reopened, "https://example.com/next"))).as("after the reserved block")
                    .isGreaterThanOrEqualTo(Keys.decode(acknowledged) + 1);
        }
    }

    @Test
    void aForceThatFailsAtCloseIsReportedByFailureAfterClose() throws Exception {
        LogLinkStore store = open(false, Duration.ofHours(1));
        add(store, "https://example.com/acknowledged");
        channel.beforeForce = () -> {
            throw new IOException(DISK_FULL);
        };

        store.close(Duration.ofSeconds(10));

        assertThat(store.failure()).contains(file.toString()).contains(DISK_FULL);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
