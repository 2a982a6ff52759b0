package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Keys;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concurrency test: 64 threads released together add 1,000 links each over HTTP.
 * Every add must get its own key, and every key must redirect to its own URL, also after a
 * restart when the links are in a file.
 */
class ConcurrentAddsOverHttpTest {
    private static final int THREADS = 64;
    private static final int ADDS_PER_THREAD = 1_000;
    private static final int LINKS = THREADS * ADDS_PER_THREAD;

    @TempDir
    Path dir;

    /** A job each of the 64 threads runs, released together; the first failure is kept. */
    private interface Job {
        void run(int thread, HttpClient client) throws Exception;
    }

    @Test
    void sixtyFourThousandConcurrentAddsInMemoryGetDistinctKeysThatRedirectToTheirOwnUrls() throws Exception {
        try (RunningGoto app = RunningGoto.inMemory()) {
            Map<String, String> links = addConcurrently(app);
            assertEveryKeyRedirectsToItsUrl(app, links);
        }
    }

    @Test
    void sixtyFourThousandConcurrentDurableAddsAreAllThereAfterARestart() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> links;
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file))) {
            links = addConcurrently(app);
            assertEveryKeyRedirectsToItsUrl(app, links);
            assertThat(app.shutdown()).as("a clean shutdown").isTrue();
        }
        try (RunningGoto restarted = RunningGoto.start(RunningGoto.config(file))) {
            assertThat(restarted.service().store().size()).isEqualTo(LINKS);
            assertEveryKeyRedirectsToItsUrl(restarted, links);
            assertThat(restarted.addKey("https://example.com/after-restart")).isEqualTo(Keys.encode(LINKS));
        }
    }

    private static Map<String, String> addConcurrently(RunningGoto app) throws Exception {
        List<Map<String, String>> byThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            byThread.add(new HashMap<>());
        }
        runTogether(app, (thread, client) -> {
            Map<String, String> mine = byThread.get(thread);
            for (int i = 0; i < ADDS_PER_THREAD; i++) {
                String url = "https://example.com/t" + thread + "/link-" + i;
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(app.uri("/add"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError("add of " + url + " answered " + response.statusCode() + ": " + response.body());
                }
                mine.put(RunningGoto.keyOf(response.body()), url);
            }
        });
        Map<String, String> all = new HashMap<>();
        for (Map<String, String> mine : byThread) {
            assertThat(mine).hasSize(ADDS_PER_THREAD);
            for (Map.Entry<String, String> link : mine.entrySet()) {
                String earlier = all.put(link.getKey(), link.getValue());
                if (earlier != null) {
                    throw new AssertionError("key " + link.getKey() + " was handed out twice: " + earlier + " and " + link.getValue());
                }
            }
        }
        assertThat(all).hasSize(LINKS);
        // No key skipped either: the keys are exactly the first LINKS counters.
        for (int counter = 0; counter < LINKS; counter++) {
            assertThat(all).containsKey(Keys.encode(counter));
        }
        return all;
    }

    private static void assertEveryKeyRedirectsToItsUrl(RunningGoto app, Map<String, String> links) throws Exception {
        List<List<Map.Entry<String, String>>> shares = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            shares.add(new ArrayList<>());
        }
        int next = 0;
        for (Map.Entry<String, String> link : links.entrySet()) {
            shares.get(next++ % THREADS).add(link);
        }
        runTogether(app, (thread, client) -> {
            for (Map.Entry<String, String> link : shares.get(thread)) {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(app.uri("/" + link.getKey())).build(),
                        HttpResponse.BodyHandlers.discarding());
                String location = response.headers().firstValue("Location").orElse(null);
                if (response.statusCode() != 302 || !link.getValue().equals(location)) {
                    throw new AssertionError("/" + link.getKey() + " answered " + response.statusCode() + " to " + location
                            + ", expected 302 to " + link.getValue());
                }
            }
        });
    }

    /** Runs {@code job} on 64 threads released by one latch. */
    private static void runTogether(RunningGoto app, Job job) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<Integer, Thread> threads = new ConcurrentHashMap<>();
        // One client for all: HTTP/1.1 (no h2c upgrade attempt), a pooled connection per thread.
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.put(t, Thread.ofPlatform().name("client-" + t).start(() -> {
                    try {
                        ready.countDown();
                        go.await();
                        job.run(thread, client);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            ready.await();
            go.countDown();
            for (Thread thread : threads.values()) {
                thread.join(Duration.ofMinutes(3));
                assertThat(thread.isAlive()).as("%s still running after 3 minutes", thread.getName()).isFalse();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a client thread failed", failure.get());
        }
    }

}
