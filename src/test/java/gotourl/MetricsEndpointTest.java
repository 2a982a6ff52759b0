package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ops.PrometheusText;
import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scrape of /metrics parses, and its counters move with the traffic goto answers. */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void scrapeParsesAndCountersMoveWithTraffic() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore earlier = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            for (int i = 0; i < 200; i++) {
                earlier.add("https://example.com/earlier/" + i).join();
            }
        }
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(data))) {
            HttpResponse<String> first = app.admin("/metrics");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText before = PrometheusText.parse(first.body());
            assertThat(before.value("goto_links")).isEqualTo(200);

            String key = null;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> added = app.get("/add?url=https://example.com/new/" + i);
                assertThat(added.statusCode()).isEqualTo(200);
                key = RunningGoto.keyOf(added.body());
            }
            for (int i = 0; i < 4; i++) {
                assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            }
            assertThat(app.get("/nosuchkey").statusCode()).isEqualTo(404);
            assertThat(app.get("/add?url=ftp://example.com/refused").statusCode()).isEqualTo(400);
            assertThat(app.get("/").statusCode()).isEqualTo(200);

            // A request is counted just after its response is written, so a scrape may overtake
            // the last few: scrape until all ten app requests are in, as a Prometheus server would.
            PrometheusText after = PrometheusText.parse(app.admin("/metrics").body());
            for (int tries = 0; tries < 100 && after.sum("goto_requests_total") - before.sum("goto_requests_total") < 10; tries++) {
                Thread.sleep(20);
                after = PrometheusText.parse(app.admin("/metrics").body());
            }
            assertThat(delta(before, after, "goto_requests_total", "route", "add", "status", "200")).isEqualTo(3);
            assertThat(delta(before, after, "goto_requests_total", "route", "redirect", "status", "302")).isEqualTo(4);
            assertThat(delta(before, after, "goto_requests_total", "route", "redirect", "status", "404")).isEqualTo(1);
            assertThat(delta(before, after, "goto_requests_total", "route", "add", "status", "400")).isEqualTo(1);
            assertThat(delta(before, after, "goto_requests_total", "route", "form", "status", "200")).isEqualTo(1);
            assertThat(after.sum("goto_requests_total") - before.sum("goto_requests_total"))
                    .as("every app request counted once; scrapes of the admin listener not at all").isEqualTo(10);

            assertThat(after.type("goto_request_latency_seconds")).isEqualTo("histogram");
            assertThat(delta(before, after, "goto_request_latency_seconds_count", "route", "redirect")).isEqualTo(5);
            assertThat(after.value("goto_request_latency_seconds_bucket", "route", "redirect", "le", "+Inf"))
                    .isEqualTo(after.value("goto_request_latency_seconds_count", "route", "redirect"));

            assertThat(after.value("goto_links")).isEqualTo(203);
            assertThat(after.value("goto_writer_queue_depth")).isZero();
            assertThat(delta(before, after, "goto_writer_batch_records_sum")).as("records written in group commits").isEqualTo(3);
            assertThat(delta(before, after, "goto_writer_batch_records_count")).isBetween(1.0, 3.0);
            assertThat(delta(before, after, "goto_writer_force_latency_seconds_count")).isBetween(1.0, 3.0);
            assertThat(after.value("goto_writer_force_latency_seconds_sum")).isPositive();
            assertThat(after.has("goto_replay_seconds")).isTrue();
            assertThat(delta(before, after, "goto_adds_refused_total", "reason", "invalid")).isEqualTo(1);
            assertThat(after.value("goto_adds_refused_total", "reason", "busy")).isZero();

            assertThat(after.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(after.sum("jvm_threads_live_threads")).isPositive();
            assertThat(after.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
            assertThat(after.has("process_cpu_usage")).isTrue();
            assertThat(after.value("process_uptime_seconds")).isPositive();
        }
    }

    @Test
    void refusedAddsAreCountedByReason() throws Exception {
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap).withQueueCapacity(1)))) {
            LogLinkStore store = (LogLinkStore) app.service().store();
            disk.holdForces();
            CompletableFuture<HttpResponse<String>> beingWritten = addAsync(app, "https://example.com/being-written");
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).isTrue();
            CompletableFuture<HttpResponse<String>> queued = addAsync(app, "https://example.com/queued");
            while (store.queueDepth() < 1) {
                Thread.sleep(5);
            }

            HttpResponse<String> busy = QueryAdd.add(app, "https://example.com/queue-full");
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).contains("1");
            assertThat(busy.body()).contains("goto is busy");

            disk.failForces(new IOException("the disk went away"));
            disk.release();
            assertThat(beingWritten.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            assertThat(QueryAdd.add(app, "https://example.com/after-the-failure").statusCode()).isEqualTo(503);

            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_adds_refused_total", "reason", "busy")).isEqualTo(1);
            assertThat(metrics.value("goto_adds_refused_total", "reason", "failed")).isEqualTo(3);
            assertThat(metrics.value("goto_adds_refused_total", "reason", "invalid")).isZero();
            assertThat(metrics.value("goto_requests_total", "route", "add", "status", "503")).isEqualTo(4);
            assertThat(metrics.value("goto_links")).isZero();
        } finally {
            disk.release();
        }
    }

    private static CompletableFuture<HttpResponse<String>> addAsync(RunningGoto app, String url) {
        return app.client().sendAsync(HttpRequest.newBuilder(app.uri("/add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
