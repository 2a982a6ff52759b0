package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.ops.Metrics;
import gotourl.ops.PrometheusText;
import gotourl.store.MemoryLinkStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
            Thread.sleep(300); // the request has reached goto, which waits for the rest of its form

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
}
