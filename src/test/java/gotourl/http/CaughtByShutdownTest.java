package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.ops.Metrics;
import gotourl.ops.PrometheusText;
import gotourl.store.ForwardingLinkStore;
import gotourl.store.LinkStore;
import gotourl.store.MemoryLinkStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requests a shutdown catches half-way get an answer that says so, and are not counted as the client's fault. */
class CaughtByShutdownTest {
    /** Each task on a thread of its own: the common pool may have a single thread on a small machine. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> Thread.ofPlatform().start(task);

    private final AtomicReference<Metrics> metrics = new AtomicReference<>();

    /** The in-memory store, keeping a hand on goto's metrics so they can be read after the admin listener is gone. */
    private final GotoService.StoreOpener memoryKeepingMetrics = (config, opened) -> {
        metrics.set(opened);
        MemoryLinkStore store = new MemoryLinkStore();
        opened.watchStore(store, null);
        return store;
    };

    @Test
    void aFormStillUploadingWhenGotoStopsIs503RetryAndNotAnInvalidAdd() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withShutdownTimeout(Duration.ofSeconds(5)),
                memoryKeepingMetrics);
             RawHttp http = RawHttp.connect(app.service().appPort())) {
            String body = "url=https://example.com/uploading-at-shutdown";
            http.send("POST /add HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2));
            // The request has reached goto's handler, which waits for the rest of its form: a fixed
            // sleep here was not always enough on a busy machine, and a stop closes a connection
            // whose request is not yet in the handler without an answer.
            awaitInFlight(app, 1);

            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            RawHttp.Response cutOff = http.read(false);

            assertThat(cutOff.status()).isEqualTo(503);
            assertThat(cutOff.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(cutOff.header("Retry-After")).isNotNull();
            assertThat(cutOff.body()).contains("shutting down").contains("nothing stored").contains("Retry");
            shutdown.get(10, TimeUnit.SECONDS);
            assertThat(app.service().store().size()).isZero();
            PrometheusText scraped = PrometheusText.parse(metrics.get().scrape());
            assertThat(scraped.value("goto_adds_refused_total", "reason", "invalid"))
                    .as("the client sent nothing invalid").isZero();
            assertThat(scraped.value("goto_adds_refused_total", "reason", "stopping")).isEqualTo(1);
            assertThat(scraped.value("goto_requests_total", "route", "add", "status", "400")).isZero();
            assertThat(scraped.value("goto_requests_total", "route", "add", "status", "503")).isEqualTo(1);
        }
    }

    /**
     * A stop waits for requests in flight, but one that arrives during it is refused at once. The
     * refusal is goto's short text, not Jetty's HTML page, and carries Retry-After, so a client or
     * proxy knows to come back (or go to another goto). Here the request's headers are still
     * arriving, a byte at a time, when the stop begins: it is read, and refused.
     */
    @Test
    void aRequestArrivingDuringAStopIs503TextWithRetryAfter() throws Exception {
        HeldAdds store = new HeldAdds();
        try (RunningGoto app = startWith(store);
             RawHttp arriving = RawHttp.connect(app.service().appPort());
             RawHttp holdsTheStop = RawHttp.connect(app.service().appPort())) {
            holdsTheStop.send(addRequest("https://example.com/holds-the-stop"));
            store.arrived("https://example.com/holds-the-stop").get(10, TimeUnit.SECONDS);
            arriving.send("GET /add HTTP/1.1\r\nHost: goto.test\r\nX-Trickle: ");
            AtomicBoolean stopping = new AtomicBoolean();
            // Never quiet for long, so the stop's short idle timeout does not close the connection.
            Thread trickle = Thread.ofPlatform().name("test-trickle").start(() -> {
                try {
                    while (!stopping.get()) {
                        arriving.send("x");
                        Thread.sleep(20);
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });

            int port = app.service().appPort();
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            awaitShuttingDown(port);
            stopping.set(true);
            trickle.join();
            arriving.send("\r\n\r\n");

            RawHttp.Response refused = arriving.read(false);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.body()).startsWith("goto is shutting down").contains("Retry").doesNotContain("<");
            assertThat(shutdown).as("the stop still waits for the add in flight").isNotDone();

            store.release("https://example.com/holds-the-stop");
            assertThat(holdsTheStop.read(false).status()).isEqualTo(200);
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            PrometheusText scraped = PrometheusText.parse(metrics.get().scrape());
            assertThat(scraped.value("goto_requests_total", "route", "other", "status", "503")).isEqualTo(1);
        }
    }

    /**
     * A request sent behind one that is in flight when a stop begins is not read: the answer in
     * flight says {@code Connection: close}, which tells the client the request behind it was
     * not processed and may be sent again elsewhere.
     */
    @Test
    void aRequestQueuedBehindAnAnswerDuringAStopIsNotReadAndTheAnswerSaysClose() throws Exception {
        HeldAdds store = new HeldAdds();
        try (RunningGoto app = startWith(store);
             RawHttp keptAlive = RawHttp.connect(app.service().appPort());
             RawHttp holdsTheStop = RawHttp.connect(app.service().appPort())) {
            holdsTheStop.send(addRequest("https://example.com/holds-the-stop"));
            keptAlive.send(addRequest("https://example.com/first") + addRequest("https://example.com/behind"));
            store.arrived("https://example.com/holds-the-stop").get(10, TimeUnit.SECONDS);
            store.arrived("https://example.com/first").get(10, TimeUnit.SECONDS);

            int port = app.service().appPort();
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            awaitShuttingDown(port);
            store.release("https://example.com/first");

            RawHttp.Response first = keptAlive.read(false);
            assertThat(first.status()).as("the add in flight when the stop began finishes").isEqualTo(200);
            assertThat(first.header("Connection")).isEqualTo("close");
            assertThat(keptAlive.closedByServer()).as("nothing more is read or answered on this connection").isTrue();

            store.release("https://example.com/holds-the-stop");
            store.release("https://example.com/behind");
            assertThat(holdsTheStop.read(false).status()).isEqualTo(200);
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.arrived("https://example.com/behind")).as("the request behind was never handled").isNotDone();
            assertThat(app.service().store().size()).isEqualTo(2);
        }
    }

    private RunningGoto startWith(HeldAdds store) throws Exception {
        return RunningGoto.start(RunningGoto.config(null).withShutdownTimeout(Duration.ofSeconds(10)), (config, opened) -> {
            metrics.set(opened);
            opened.watchStore(store, null);
            return store;
        });
    }

    private static String addRequest(String url) {
        return "GET /add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: goto.test\r\n\r\n";
    }

    /** Waits until {@code n} requests are in goto's handlers (read, not yet answered). */
    private static void awaitInFlight(RunningGoto app, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (app.service().web().inFlightRequests() < n) {
            assertThat(System.nanoTime()).as("requests in flight: " + app.service().web().inFlightRequests() + " of " + n)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Waits until the app listener refuses new connections: the stop has begun. */
    private static void awaitShuttingDown(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (java.io.IOException refused) {
                return;
            }
        }
        throw new AssertionError("goto still accepts connections 10 s after the stop began");
    }

    /** The in-memory store, each add held until the test releases its URL. */
    private static final class HeldAdds extends ForwardingLinkStore {
        private final Map<String, CompletableFuture<Void>> arrived = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Void>> released = new ConcurrentHashMap<>();

        HeldAdds() {
            super(new MemoryLinkStore());
        }

        CompletableFuture<Void> arrived(String url) {
            return arrived.computeIfAbsent(url, u -> new CompletableFuture<>());
        }

        void release(String url) {
            released.computeIfAbsent(url, u -> new CompletableFuture<>()).complete(null);
        }

        @Override
        public CompletableFuture<String> add(String url) {
            arrived(url).complete(null);
            return released.computeIfAbsent(url, u -> new CompletableFuture<>()).thenCompose(go -> store.add(url));
        }
    }
}
