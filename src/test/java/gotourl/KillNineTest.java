package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a goto child process while several clients add links, again and again: every add
 * goto acknowledged is on disk with its URL after the restart, and no key is acknowledged twice.
 * (The seed lost its whole 1,000-slot queue of acknowledged links this way.)
 */
class KillNineTest {
    static final int CYCLES = 20;
    static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAddSurvivesKillNineUnderConcurrentAddsAndNoKeyIsHandedOutTwice() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Random random = new Random(9);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("cycle-" + cycle + ".log"), ChildGoto.QUICK_START,
                    "-http=127.0.0.1:0", "-admin=off", "-host=goto.test", "-file=" + file).awaitServing(Duration.ofSeconds(30))) {
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> clients = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    String prefix = "https://example.com/" + cycle + "/" + client + "/";
                    clients.add(Thread.ofPlatform().name("client-" + client).start(
                            () -> addUntilGotoDies(child.appPort(), prefix, start, acknowledged, problems)));
                }
                int before = acknowledged.size();
                start.countDown();
                awaitAcknowledged(acknowledged, before + 1);
                Thread.sleep(random.nextInt(300));
                child.kill9();
                for (Thread client : clients) {
                    client.join(30_000);
                }
            }
            assertThat(problems).as("cycle " + cycle).isEmpty();
            assertEveryAcknowledgedLinkIsStored(file, acknowledged, "after cycle " + cycle);
        }
        assertThat(acknowledged.size()).as("adds acknowledged in all").isGreaterThan(CYCLES * CLIENTS);
    }

    /** Waits until the clients have {@code count} acknowledged adds, so that a kill comes amid adds. */
    static void awaitAcknowledged(Map<String, String> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("goto acknowledged only " + acknowledged.size() + " adds in 20 s");
            }
            Thread.sleep(2);
        }
    }

    /** Adds links until goto stops answering; records each acknowledged key, and any key seen twice. */
    static void addUntilGotoDies(int port, String prefix, CountDownLatch start, Map<String, String> acknowledged, List<String> problems) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            start.await();
            for (int i = 0; ; i++) {
                String url = prefix + i;
                HttpResponse<String> response;
                try {
                    response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add?url="
                            + URLEncoder.encode(url, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException goneAway) {
                    return; // killed: this add was not acknowledged
                }
                if (response.statusCode() != 200) {
                    problems.add("add of " + url + " answered " + response.statusCode() + ": " + response.body());
                    return;
                }
                String key = RunningGoto.keyOf(response.body().strip());
                String before = acknowledged.putIfAbsent(key, url);
                if (before != null) {
                    problems.add("key " + key + " acknowledged for " + before + " and again for " + url);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens the data file as goto's restart does and checks every acknowledged key. */
    static void assertEveryAcknowledgedLinkIsStored(Path file, Map<String, String> acknowledged, String when) {
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((key, url) -> {
                if (!url.equals(store.longUrlOf(key))) {
                    missing.add(key + " -> " + url + " (stored: " + store.longUrlOf(key) + ")");
                }
            });
            assertThat(missing).as(when + ": acknowledged links missing or changed").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(when + ": goto could not reopen its file: " + e.getMessage(), e);
        }
    }
}
