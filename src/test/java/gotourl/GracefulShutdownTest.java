package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.store.log.LogLinkStore;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shutdown in time: in-flight requests finish, new connections are refused, the queue is drained and forced. */
class GracefulShutdownTest {
    /** Each task on a thread of its own: the common pool may have a single thread on a small machine. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> Thread.ofPlatform().start(task);

    @TempDir
    Path dir;

    @Test
    void anInFlightAddFinishesWhileNewConnectionsAreRefused() throws Exception {
        Path data = dir.resolve("goto.data");
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(data),
                     StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)))) {
            int appPort = app.service().appPort();
            int adminPort = app.service().adminPort();
            disk.holdForces();
            CompletableFuture<HttpResponse<String>> add = app.client().sendAsync(
                    HttpRequest.newBuilder(app.uri("/add?url=https://example.com/in-flight")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).isTrue();

            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            awaitRefused(appPort);
            awaitRefused(adminPort);
            assertThat(add).as("the in-flight add waits for its force").isNotDone();
            assertThat(shutdown).as("shutdown waits for the in-flight add").isNotDone();

            disk.release();
            HttpResponse<String> answered = add.get(10, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            String key = RunningGoto.keyOf(answered.body());
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).as("shutdown finished everything in time").isTrue();
            assertThat(log.text()).containsPattern("stopped cleanly in \\d+ ms; 1 link stored");

            try (LogLinkStore reopened = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
                assertThat(reopened.longUrlOf(key)).isEqualTo("https://example.com/in-flight");
            }
        } finally {
            disk.release();
        }
    }

    @Test
    void queuedAddsAreDrainedAndForcedBeforeShutdownReturns() throws Exception {
        Path data = dir.resolve("goto.data");
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        Map<String, String> acknowledged = new LinkedHashMap<>();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(data).withSync(false),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap).withFlushInterval(Duration.ofMillis(20))))) {
            LogLinkStore store = (LogLinkStore) app.service().store();
            disk.holdForces();
            for (int i = 0; i < 5; i++) {
                String url = "https://example.com/before-stall/" + i;
                acknowledged.put(QueryAdd.key(app, url), url);
            }
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).as("the writer's periodic force is held").isTrue();
            for (int i = 0; i < 50; i++) {
                String url = "https://example.com/queued/" + i;
                acknowledged.put(QueryAdd.key(app, url), url);
            }
            assertThat(store.queueDepth()).as("acknowledged adds waiting for the stalled writer").isGreaterThanOrEqualTo(50);

            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            awaitStoreClosing(store, acknowledged);
            assertThat(shutdown).as("shutdown waits for the queue").isNotDone();
            disk.release();
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.queueDepth()).isZero();
            assertThat(disk.lastOperation()).as("the last thing done to the file").isEqualTo("force");
        } finally {
            disk.release();
        }
        try (LogLinkStore reopened = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            acknowledged.forEach((key, url) -> assertThat(reopened.longUrlOf(key)).as("link " + key).isEqualTo(url));
            assertThat(reopened.size()).isEqualTo(acknowledged.size());
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosedWithoutHoldingUpTheStop() throws Exception {
        try (RunningGoto app = RunningGoto.inMemory();
             Socket idle = new Socket("127.0.0.1", app.service().appPort());
             Socket idleAdmin = new Socket("127.0.0.1", app.service().adminPort())) {
            assertThat(RawHttp.exchange(idle, "GET / HTTP/1.1\r\nHost: goto.test\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.exchange(idleAdmin, "GET /health/live HTTP/1.1\r\nHost: goto.test\r\n\r\n")).startsWith("HTTP/1.1 200");

            long start = System.nanoTime();
            assertThat(app.shutdown()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Jetty's default would keep each stop waiting a whole second for idle clients.
            assertThat(took).isLessThan(Duration.ofMillis(800));
            assertThat(RawHttp.readsEndOfStream(idle)).as("the idle connection was closed by goto").isTrue();
            assertThat(RawHttp.readsEndOfStream(idleAdmin)).isTrue();
        }
    }

    /**
     * Adds straight to the store until it refuses because it is closing: the shutdown has reached
     * the store while its writer is still stalled. Adds taken until then are acknowledged too.
     */
    private static void awaitStoreClosing(LogLinkStore store, Map<String, String> acknowledged) throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            String url = "https://example.com/during-shutdown/" + i;
            CompletableFuture<String> add = store.add(url);
            if (add.isCompletedExceptionally()) {
                assertThat(add).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(gotourl.store.StoreFailedException.class).withMessageContaining("shutting down");
                return;
            }
            acknowledged.put(add.join(), url);
            Thread.sleep(5);
        }
        throw new AssertionError("the store never began closing");
    }

    /** Waits until connecting to {@code port} is refused: the listener stopped accepting. */
    private static void awaitRefused(int port) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                throw new AssertionError(other);
            }
            if (System.nanoTime() > until) {
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                        .as("a new connection to port " + port + " during shutdown").isInstanceOf(ConnectException.class);
            }
            Thread.sleep(10);
        }
    }
}
