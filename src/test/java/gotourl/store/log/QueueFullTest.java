package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.Config;
import gotourl.RunningGoto;
import gotourl.store.StoreBusyException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * A full write queue is a decision: an add waits a bounded time for room, then is refused with
 * 503 and Retry-After, and nothing of it is created (no key taken, nothing served, nothing written).
 */
class QueueFullTest {
    private static final int CAPACITY = 2;

    @TempDir
    Path dir;

    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch diskBack = new CountDownLatch(1);

    /** A store whose disk stalls on its first write until {@link #diskBack} opens. */
    private LogLinkStore.Options stallingDisk() {
        return LogLinkStore.Options.defaults().withQueueCapacity(CAPACITY).withWriteChannel(real -> {
            HookedChannel channel = new HookedChannel(real);
            channel.beforeWrite = () -> {
                writing.countDown();
                try {
                    diskBack.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            return channel;
        });
    }

    @Test
    void aFullQueueRefusesTheAddAtOnceAndTakesNoKey() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(file, stallingDisk())) {
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            waiting.add(store.add("https://example.com/being-written"));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            waiting.add(store.add("https://example.com/queued-1"));
            waiting.add(store.add("https://example.com/queued-2"));

            assertThatThrownBy(() -> store.add("https://example.com/refused").join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(StoreBusyException.class)
                    .hasMessageContaining("the write queue is full: " + CAPACITY + " adds are waiting for the disk");

            diskBack.countDown();
            assertThat(waiting.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(waiting.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("b");
            assertThat(waiting.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("c");
            assertThat(add(store, "https://example.com/after")).as("the refused add took no key").isEqualTo("d");
            assertThat(store.size()).isEqualTo(4);
        }
        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.size()).isEqualTo(4);
            assertThat(reopened.longUrlOf("d")).isEqualTo("https://example.com/after");
        }
    }

    @Test
    void overHttpAnAddWaitsBoundedlyThenGets503WithRetryAfterAndNothingIsHalfCreated() throws Exception {
        Path file = dir.resolve("goto.data");
        Duration queueWait = Duration.ofMillis(300);
        try (RunningGoto app = RunningGoto.start(withQueueWait(RunningGoto.config(file), queueWait),
                (config, metrics) -> LogLinkStore.open(config.file(), stallingDisk()))) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            waiting.add(addAsync(app, "https://example.com/being-written"));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            waiting.add(addAsync(app, "https://example.com/queued-1"));
            waiting.add(addAsync(app, "https://example.com/queued-2"));
            awaitQueueDepth((LogLinkStore) app.service().store(), CAPACITY);

            long start = System.nanoTime();
            HttpResponse<String> refused = DiskFailureOverHttpTest.add(app, "https://example.com/refused");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).startsWith("add refused, nothing stored: goto is busy")
                    .contains("the write queue is full: " + CAPACITY + " adds are waiting for the disk").contains("Retry");
            assertThat(waited).as("it waited for room before refusing").isGreaterThanOrEqualTo(queueWait);
            assertThat(app.admin("/metrics").body()).containsPattern("goto_adds_refused_total\\{reason=\"busy\"} 1.0");

            diskBack.countDown();
            List<String> keys = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> add : waiting) {
                HttpResponse<String> response = add.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                keys.add(RunningGoto.keyOf(response.body().strip()));
            }
            assertThat(keys).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(app.get("/d").statusCode()).as("the refused add is not served").isEqualTo(404);
            assertThat(DiskFailureOverHttpTest.addKey(app, "https://example.com/after")).isEqualTo("d");
            assertThat(app.get("/d").headers().firstValue("Location")).contains("https://example.com/after");
        }
    }

    @Test
    void overHttpAnAddThatFindsRoomWithinTheWaitIsStored() throws Exception {
        Path file = dir.resolve("goto.data");
        try (RunningGoto app = RunningGoto.start(withQueueWait(RunningGoto.config(file), Duration.ofSeconds(20)),
                (config, metrics) -> LogLinkStore.open(config.file(), stallingDisk()))) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            waiting.add(addAsync(app, "https://example.com/being-written"));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            waiting.add(addAsync(app, "https://example.com/queued-1"));
            waiting.add(addAsync(app, "https://example.com/queued-2"));
            awaitQueueDepth((LogLinkStore) app.service().store(), CAPACITY);

            CompletableFuture<HttpResponse<String>> patient = addAsync(app, "https://example.com/patient");
            Thread.sleep(100);
            assertThat(patient).as("waiting for room").isNotDone();
            diskBack.countDown();

            HttpResponse<String> stored = patient.get(10, TimeUnit.SECONDS);
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(app.get("/" + RunningGoto.keyOf(stored.body().strip())).headers().firstValue("Location"))
                    .contains("https://example.com/patient");
        }
    }

    private static Config withQueueWait(Config config, Duration queueWait) {
        return new Config(config.http(), config.file(), config.host(), config.sync(), config.admin(), config.shutdownTimeout(),
                config.accessLog(), queueWait, config.limits());
    }

    private static CompletableFuture<HttpResponse<String>> addAsync(RunningGoto app, String url) {
        URI uri = app.uri("/add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        return app.client().sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitQueueDepth(LogLinkStore store, int depth) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.queueDepth() < depth && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(store.queueDepth()).isEqualTo(depth);
    }
}
