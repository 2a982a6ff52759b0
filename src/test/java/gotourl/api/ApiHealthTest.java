package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.Config;
import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.StopSignal;
import gotourl.store.MemoryLinkStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shlink's health route through goto's life: 503 fail while loading (and every other route 503), pass when ready. */
class ApiHealthTest {

    @Test
    void failWhileLoadingThenPass() throws Exception {
        Config config = RunningGoto.config(null);
        CompletableFuture<Config> bound = new CompletableFuture<>();
        CountDownLatch finishLoading = new CountDownLatch(1);
        GotoService.StoreOpener slow = (cfg, metrics) -> {
            bound.complete(cfg);
            try {
                finishLoading.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return new MemoryLinkStore();
        };
        CompletableFuture<GotoService> starting = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                starting.complete(GotoService.start(config, new StopSignal(), slow, Clock.systemUTC(), TestApiKeys.options()));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        });
        try (HttpClient client = HttpClient.newHttpClient()) {
            int port = bound.get(10, TimeUnit.SECONDS).http().port();
            HttpResponse<String> health = get(client, port, "/rest/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.headers().firstValue("Content-Type")).contains("application/health+json");
            JsonNode body = Api.JSON.readTree(health.body());
            assertThat(body.get("status").asText()).isEqualTo("fail");
            HttpResponse<String> list = get(client, port, "/rest/v3/short-urls", TestApiKeys.ADMIN);
            assertThat(list.statusCode()).isEqualTo(503);
            assertThat(list.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(list.headers().firstValue("Retry-After")).contains("1");

            finishLoading.countDown();
            GotoService service = starting.get(10, TimeUnit.SECONDS);
            try {
                assertThat(Api.JSON.readTree(get(client, port, "/rest/v3/health", null).body()).get("status").asText()).isEqualTo("pass");
                assertThat(get(client, port, "/rest/v3/short-urls", TestApiKeys.ADMIN).statusCode()).isEqualTo(200);
            } finally {
                service.shutdown("the test is done");
            }
        } finally {
            finishLoading.countDown();
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
