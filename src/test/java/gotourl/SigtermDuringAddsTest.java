package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM while clients add concurrently: goto drains and exits 0 within its shutdown deadline,
 * says so in its log, and every add it acknowledged is there when it starts again on the file.
 * In async mode acknowledged adds may still be queued at the signal, so this checks the drain.
 */
class SigtermDuringAddsTest {
    private static final int CLIENTS = 8;
    private static final int ACKED_BEFORE_SIGNAL = 300;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Beyond the shutdown deadline: the JVM's own exit. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "-sync={0}")
    @ValueSource(booleans = {true, false})
    void everyAcknowledgedAddSurvivesSigtermUnderLoad(boolean sync) throws Exception {
        Path data = dir.resolve("goto.data");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean signalled = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        String log;
        try (ChildGoto child = ChildGoto.start(dir.resolve("run1.log"), "-http=127.0.0.1:0", "-admin=off",
                        "-file=" + data, "-sync=" + sync, "-host=goto.test",
                        "-shutdown-timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s")
                .awaitServing(Duration.ofSeconds(30));
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(5)).build()) {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNumber = c;
                clients.add(Thread.ofPlatform().name("test-client-" + c).start(() -> {
                    try {
                        start.await();
                        for (int i = 0; ; i++) {
                            String url = "https://example.com/client" + clientNumber + "/link" + i;
                            HttpResponse<String> response;
                            try {
                                response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.appPort()
                                                + "/add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(), HttpResponse.BodyHandlers.ofString());
                            } catch (IOException closedBySignal) {
                                if (!signalled.get()) {
                                    throw closedBySignal;
                                }
                                return; // goto stopped accepting; this client is done
                            }
                            if (response.statusCode() == 200) {
                                acknowledged.put(RunningGoto.keyOf(response.body()), url);
                            } else if (signalled.get() && response.statusCode() == 503) {
                                refused.incrementAndGet(); // shutting down: refused, not acknowledged
                            } else {
                                throw new AssertionError("add answered " + response.statusCode() + ": " + response.body());
                            }
                        }
                    } catch (Throwable t) {
                        unexpected.compareAndSet(null, t);
                    }
                }));
            }
            start.countDown();
            long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (acknowledged.size() < ACKED_BEFORE_SIGNAL && unexpected.get() == null && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            assertThat(unexpected.get()).as("failure before the signal; goto's log:\n" + child.log()).isNull();
            assertThat(acknowledged.size()).as("adds acknowledged before the signal").isGreaterThanOrEqualTo(ACKED_BEFORE_SIGNAL);

            signalled.set(true);
            child.sigterm();
            int exitCode = child.awaitExit(SHUTDOWN_TIMEOUT.plus(EXIT_MARGIN));
            for (Thread thread : clients) {
                thread.join(Duration.ofSeconds(30));
            }
            log = child.log();
            assertThat(unexpected.get()).as("client failure; goto's log:\n" + log).isNull();
            assertThat(exitCode).as("exit code; goto's log:\n" + log).isZero();
        }
        assertThat(log).contains("stopping (received a termination signal (SIGTERM or SIGINT)): finishing in-flight requests and queued adds within 5s");
        Matcher stopped = Pattern.compile("stopped cleanly in \\d+ ms; (\\d+) links? stored").matcher(log);
        assertThat(stopped.find()).as("a clean stop line in:\n" + log).isTrue();
        assertThat(Long.parseLong(stopped.group(1))).isGreaterThanOrEqualTo(acknowledged.size());

        try (RunningGoto again = RunningGoto.start(RunningGoto.config(data))) {
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((key, url) -> {
                if (!url.equals(again.service().store().longUrlOf(key))) {
                    missing.add(key + " -> " + url);
                }
            });
            assertThat(missing).as("acknowledged links missing after restart (of " + acknowledged.size() + ")").isEmpty();
            String someKey = acknowledged.keySet().iterator().next();
            HttpResponse<String> redirect = again.get("/" + someKey);
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains(acknowledged.get(someKey));
        }
    }
}
