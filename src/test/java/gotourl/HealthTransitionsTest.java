package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.http.WebServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /health/live and /health/ready through goto's life (starting, ready, a failed write, shutting down), and the
 * application listener's requests while it starts: held until the links are loaded, then served.
 */
class HealthTransitionsTest {
    /** Each task on a thread of its own: the common pool may have a single thread on a small machine. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> Thread.ofPlatform().start(task);

    @TempDir
    Path dir;

    /** A goto whose start is held open in its replay until {@code finishLoading}, then fails or not. */
    private record SlowStart(CompletableFuture<Config> bound, CountDownLatch finishLoading,
                             CompletableFuture<GotoService> starting) {
        static SlowStart begin(Config config, boolean fail) {
            CompletableFuture<Config> bound = new CompletableFuture<>();
            CountDownLatch finishLoading = new CountDownLatch(1);
            GotoService.StoreOpener slowReplay = (cfg, metrics) -> {
                bound.complete(cfg); // the listeners are bound by now, on ports the system chose
                try {
                    finishLoading.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (fail) {
                    throw new IOException("the data file cannot be read (failed on purpose)");
                }
                return StoreOpeners.logStore(options -> options).open(cfg, metrics);
            };
            CompletableFuture<GotoService> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return GotoService.start(config, new StopSignal(), slowReplay);
                } catch (GotoService.StartException e) {
                    throw new IllegalStateException(e);
                }
            }, OWN_THREAD);
            return new SlowStart(bound, finishLoading, starting);
        }
    }

    @Test
    void notReadyWhileLoadingThenReadyAndALinkClickedMeanwhileRedirects() throws Exception {
        Path file = dir.resolve("goto.data");
        String key;
        try (RunningGoto before = RunningGoto.start(RunningGoto.config(file))) {
            key = QueryAdd.key(before, "https://example.com/clicked-during-a-restart");
        }
        // Untracked: the first visit with a User-Agent loads its parser, which a stop on a busy machine waits for.
        SlowStart start = SlowStart.begin(RunningGoto.config(file).withTracking(false, null), false);
        try (HttpClient client = HttpClient.newHttpClient()) {
            Config loading = start.bound().get(10, TimeUnit.SECONDS);
            int appPort = loading.http().port();
            int adminPort = loading.admin().port();

            assertThat(get(client, adminPort, "/health/live")).isEqualTo("200 live\n");
            assertThat(get(client, adminPort, "/health/ready")).isEqualTo("503 not ready: starting: loading links from the data file\n");
            CompletableFuture<HttpResponse<String>> click = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/" + key)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitHeld(client, adminPort, 1);
            Thread.sleep(200);
            assertThat(click).as("the click waits for the start, not answered 503").isNotDone();

            start.finishLoading().countDown();
            GotoService service = start.starting().get(10, TimeUnit.SECONDS);
            try {
                HttpResponse<String> redirected = click.get(10, TimeUnit.SECONDS);
                assertThat(redirected.statusCode()).isEqualTo(302);
                assertThat(redirected.headers().firstValue("Location")).contains("https://example.com/clicked-during-a-restart");
                assertThat(get(client, adminPort, "/health/ready")).isEqualTo("200 ready\n");
                assertThat(get(client, adminPort, "/health/live")).isEqualTo("200 live\n");
                assertThat(get(client, adminPort, "/metrics")).contains("goto_start_requests_total{outcome=\"served\"} 1.0");
            } finally {
                service.shutdown("the test is done");
            }
        } finally {
            start.finishLoading().countDown();
        }
    }

    /**
     * Many clicks from several threads, some held and some arriving while goto opens: each is
     * answered once, with its redirect, and every held one is counted served.
     */
    @Test
    void clicksRacingTheOpenAreEachRedirectedOnce() throws Exception {
        Path file = dir.resolve("goto.data");
        String key;
        try (RunningGoto before = RunningGoto.start(RunningGoto.config(file))) {
            key = QueryAdd.key(before, "https://example.com/raced");
        }
        // Untracked: the first visit with a User-Agent loads its parser, which a stop on a busy machine waits for.
        SlowStart start = SlowStart.begin(RunningGoto.config(file).withTracking(false, null), false);
        try (HttpClient client = HttpClient.newHttpClient()) {
            Config loading = start.bound().get(10, TimeUnit.SECONDS);
            URI link = URI.create("http://127.0.0.1:" + loading.http().port() + "/" + key);
            int threads = 8;
            int perThread = 25;
            CountDownLatch halfSent = new CountDownLatch(threads);
            List<CompletableFuture<List<Integer>>> senders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                senders.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        if (i == perThread / 2) {
                            halfSent.countDown();
                        }
                        sent.add(client.sendAsync(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(20)).build(),
                                HttpResponse.BodyHandlers.ofString()));
                    }
                    return sent.stream().map(CompletableFuture::join).map(response -> {
                        assertThat(response.headers().firstValue("Location")).contains("https://example.com/raced");
                        return response.statusCode();
                    }).toList();
                }, OWN_THREAD));
            }
            assertThat(halfSent.await(10, TimeUnit.SECONDS)).isTrue();
            // Open once at least one click is held (on a loaded machine the sends may all arrive
            // after the open otherwise); the rest race it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (between(get(client, loading.admin().port(), "/metrics"), "goto_start_requests_total{outcome=\"held\"} ")
                    .equals("0.0")) {
                assertThat(System.nanoTime()).as("a click held within 20 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            start.finishLoading().countDown();
            GotoService service = start.starting().get(10, TimeUnit.SECONDS);
            try {
                List<Integer> statuses = new java.util.ArrayList<>();
                for (CompletableFuture<List<Integer>> sender : senders) {
                    statuses.addAll(sender.get(30, TimeUnit.SECONDS));
                }
                assertThat(statuses).hasSize(threads * perThread).containsOnly(302);
                String metrics = get(client, loading.admin().port(), "/metrics");
                String held = between(metrics, "goto_start_requests_total{outcome=\"held\"} ");
                assertThat(held).as("some were held").isNotEqualTo("0.0");
                assertThat(between(metrics, "goto_start_requests_total{outcome=\"served\"} ")).isEqualTo(held);
            } finally {
                service.shutdown("the test is done");
            }
        } finally {
            start.finishLoading().countDown();
        }
    }

    private static String between(String text, String prefix) {
        int at = text.indexOf(prefix);
        assertThat(at).as("%s in %s", prefix, text).isNotNegative();
        return text.substring(at + prefix.length(), text.indexOf('\n', at));
    }

    @Test
    void aRequestHeldPastTheWaitIsAnswered503() throws Exception {
        Duration wait = Duration.ofMillis(700);
        WebServer.Limits limits = WebServer.Limits.DEFAULT;
        Config config = RunningGoto.config(dir.resolve("goto.data"))
                .withLimits(new WebServer.Limits(limits.idleTimeout(), wait, limits.requestHeaderBytes(), limits.maxConnections()));
        SlowStart start = SlowStart.begin(config, false);
        try (HttpClient client = HttpClient.newHttpClient()) {
            int appPort = start.bound().get(10, TimeUnit.SECONDS).http().port();
            long sent = System.nanoTime();
            HttpResponse<String> late = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/a"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("held for the wait first").isGreaterThanOrEqualTo(wait);
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.headers().firstValue("Retry-After")).contains("1");
            assertThat(late.body()).contains("goto is starting");
            assertThat(start.starting()).as("still loading").isNotDone();

            start.finishLoading().countDown();
            start.starting().get(10, TimeUnit.SECONDS).shutdown("the test is done");
        } finally {
            start.finishLoading().countDown();
        }
    }

    @Test
    void aStartThatFailsAnswersItsHeldRequests() throws Exception {
        SlowStart start = SlowStart.begin(RunningGoto.config(dir.resolve("goto.data")), true);
        try (HttpClient client = HttpClient.newHttpClient()) {
            Config loading = start.bound().get(10, TimeUnit.SECONDS);
            CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + loading.http().port() + "/a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitHeld(client, loading.admin().port(), 1);

            start.finishLoading().countDown();
            HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Connection")).contains("close");
            assertThat(answer.body()).contains("goto is shutting down");
            assertThat(start.starting()).failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat().havingRootCause().withMessageContaining("failed on purpose");
        } finally {
            start.finishLoading().countDown();
        }
    }

    /** Waits until goto's metrics say {@code count} requests were held while it starts. */
    private static void awaitHeld(HttpClient client, int adminPort, int count) throws Exception {
        String held = "goto_start_requests_total{outcome=\"held\"} " + count + ".0";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!get(client, adminPort, "/metrics").contains(held)) {
            assertThat(System.nanoTime()).as("held within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void notReadyAfterAFailedWriteWhileRedirectsGoOn() throws Exception {
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)))) {
            String key = QueryAdd.key(app, "https://example.com/before-the-failure");
            assertThat(app.admin("/health/ready").statusCode()).isEqualTo(200);

            disk.failForces(new IOException("No space left on device"));
            HttpResponse<String> refused = app.get("/add?url=https://example.com/after-the-failure");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).startsWith("add refused, nothing stored: goto cannot store links");

            HttpResponse<String> ready = app.admin("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: cannot store links: writing ").contains("No space left on device");
            assertThat(app.admin("/health/live").statusCode()).as("the process still answers").isEqualTo(200);
            assertThat(app.get("/" + key).statusCode()).as("redirects go on from memory").isEqualTo(302);
        }
    }

    /**
     * A health checker polling on a kept-alive connection while goto stops (an add holds the stop
     * open). It may see "not ready" or only see its connection closed: both depend on timing that
     * the test cannot fix, and both tell a load balancer to stop sending. What never happens is
     * "ready" after "not ready", a "not ready" answer that leaves the connection open, or a
     * listener that still accepts.
     *
     * <p>Regression: this test used to insist that the last answer carry Connection: close, and
     * failed about one run in ten on a busy machine. Jetty adds that header only when its listener
     * is already closed as an answer starts; an answer begun a moment before (a 503 "not ready",
     * or Jetty's own 503 to a request arriving during the stop) ended with the connection closed
     * and no header. And a checker stalled for more than the 100 ms a stop leaves idle connections
     * finds its connection closed after its last "ready". goto's 503s during a stop now say
     * Connection: close themselves; the closed connection after "ready" is what a stop looks like.
     */
    @Test
    void notReadyDuringShutdown() throws Exception {
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)));
             Socket admin = new Socket("127.0.0.1", app.service().adminPort())) {
            int adminPort = app.service().adminPort();
            assertThat(RawHttp.exchange(admin, READY)).startsWith("HTTP/1.1 200");
            disk.holdForces();
            CompletableFuture<HttpResponse<String>> inFlight = app.client().sendAsync(
                    HttpRequest.newBuilder(app.uri("/add?url=https://example.com/holds-the-stop")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).isTrue();

            // A load balancer's health check on a kept-alive connection, polling while goto stops.
            List<String> answers = new CopyOnWriteArrayList<>();
            CountDownLatch polling = new CountDownLatch(1);
            CompletableFuture<Boolean> poller = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        String answer = RawHttp.exchange(admin, READY);
                        answers.add(answer);
                        polling.countDown();
                        if (!answer.startsWith("HTTP/1.1 200")) {
                            return RawHttp.readsEndOfStream(admin);
                        }
                    }
                } catch (IOException closed) {
                    return true; // goto closed the connection after its last answer
                }
            }, OWN_THREAD);
            assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(app::shutdown, OWN_THREAD);
            boolean closedByGoto = poller.get(10, TimeUnit.SECONDS);
            boolean refusesNewConnections = refusedWithin(adminPort, Duration.ofSeconds(10));
            disk.release();
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            assertThat(closedByGoto).as("goto closes the checker's connection; answers: %s", answers).isTrue();
            assertThat(refusesNewConnections).as("the admin listener stops accepting during the stop").isTrue();
            assertThat(answers.getFirst()).as("polled before the stop began").startsWith("HTTP/1.1 200");
            // Ready until the stop began; then at most one answer, a 503 that closes the connection
            // (from goto's health, or from the server itself once it refuses new requests).
            assertThat(answers.subList(0, answers.size() - 1))
                    .allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ready\n"));
            String last = answers.getLast();
            if (!last.startsWith("HTTP/1.1 200")) {
                assertThat(last).startsWith("HTTP/1.1 503").contains("Connection: close")
                        .containsAnyOf("not ready: shutting down", "goto is shutting down");
            }
        } finally {
            disk.release();
        }
    }

    /** True once a connection to {@code port} is refused; the stop closes listeners a moment after it begins. */
    private static boolean refusedWithin(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (IOException refused) {
                return true;
            }
        }
        return false;
    }

    private static final String READY = "GET /health/ready HTTP/1.1\r\nHost: goto.test\r\n\r\n";

    private static String get(HttpClient client, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
