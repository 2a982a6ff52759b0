package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.store.log.LogLinkStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maxVisits} over real sockets: a link with a limit of N redirects exactly N times under
 * 64 concurrent clients, and not once more after a restart, a clean one or kill -9. Bots count.
 */
class MaxVisitsOverHttpTest {
    private static final int CLIENTS = 64;

    @TempDir
    Path dir;

    /** Creates a link with {@code maxVisits} in {@code file}, as the REST API will, then closes the file. */
    private static String createLimited(Path file, String slug, int maxVisits) {
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            Link link = store.create(LinkDraft.of("https://example.com/" + slug).withCustomSlug(slug).withMaxVisits(maxVisits))
                    .join();
            return link.shortCode();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * {@code clients} clients send {@code each} GETs at once; returns how many got 302, how many
     * 404, and how many got no answer (goto was killed under them).
     */
    private static int[] storm(HttpClient http, URI uri, int clients, int each) throws Exception {
        return storm(http, uri, clients, each, null);
    }

    private static int[] storm(HttpClient http, URI uri, int clients, int each, CountDownLatch firstRedirect) throws Exception {
        AtomicInteger redirected = new AtomicInteger();
        AtomicInteger notFound = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        HttpResponse<String> answer;
                        try {
                            answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                                    .header("User-Agent", i % 2 == 0 ? "curl/8.5.0" : "Mozilla/5.0 Firefox/133.0").GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } catch (java.io.IOException killed) {
                            if (firstRedirect == null) {
                                throw killed;
                            }
                            unanswered.incrementAndGet();
                            continue;
                        }
                        switch (answer.statusCode()) {
                            case 302 -> {
                                redirected.incrementAndGet();
                                if (firstRedirect != null) {
                                    firstRedirect.countDown();
                                }
                            }
                            case 404 -> notFound.incrementAndGet();
                            default -> throw new AssertionError("answered " + answer.statusCode() + ": " + answer.body());
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        if (failed.get() != null) {
            throw new AssertionError("a client failed", failed.get());
        }
        return new int[] {redirected.get(), notFound.get(), unanswered.get()};
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void sixtyFourClientsGetExactlyMaxVisitsRedirectsAndARestartDoesNotResetTheCount() throws Exception {
        Path file = dir.resolve("goto.data");
        String code = createLimited(file, "limited", 100);
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file)); HttpClient http = client()) {
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/" + code)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build()).statusCode()).as("a HEAD counts no visit").isEqualTo(302);
            int[] first = storm(http, app.uri("/" + code), CLIENTS, 2);
            assertThat(first[0]).as("redirects of 128 requests to a link of maxVisits 100").isEqualTo(100);
            assertThat(first[1]).isEqualTo(28);
            assertThat(app.service().store().visitsCounted(app.service().store().lookup(code))).isEqualTo(100);
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/" + code)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build()).statusCode()).as("a HEAD of an exhausted link").isEqualTo(404);
        }
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file)); HttpClient http = client()) {
            int[] again = storm(http, app.uri("/" + code), 8, 2);
            assertThat(again[0]).as("redirects after a restart").isZero();
        }
    }

    @Test
    void killNineUnderLoadNeverGivesALinkMoreThanItsVisits() throws Exception {
        Path file = dir.resolve("goto.data");
        int max = 150;
        String code = createLimited(file, "scarce", max);
        int redirected = 0;
        int unanswered = 0;
        try (HttpClient http = client()) {
            for (int cycle = 0; cycle < 3; cycle++) {
                try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("cycle-" + cycle + ".log"), ChildGoto.QUICK_START,
                        "-http=127.0.0.1:0", "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(60))) {
                    URI uri = URI.create("http://127.0.0.1:" + child.appPort() + "/" + code);
                    CountDownLatch redirecting = new CountDownLatch(1);
                    int[][] answers = new int[1][];
                    Thread load = Thread.ofPlatform().start(() -> {
                        try {
                            answers[0] = storm(http, uri, 16, 4, redirecting);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                    redirecting.await(); // kill -9 while visits are being counted and answered
                    child.kill9();
                    load.join(120_000);
                    redirected += answers[0][0];
                    unanswered += answers[0][2];
                }
            }
            try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("last.log"), ChildGoto.QUICK_START,
                    "-http=127.0.0.1:0", "-admin=off", "-file=" + file).awaitServing(Duration.ofSeconds(60))) {
                // More requests than the limit: whatever the kills left, the link is used up here.
                int[] answers = storm(http, URI.create("http://127.0.0.1:" + child.appPort() + "/" + code), 16, 12);
                redirected += answers[0];
                child.sigterm();
                child.awaitExit(Duration.ofSeconds(30));
            }
        }
        assertThat(redirected).as("redirects over three kill -9s and a last run, of a link of maxVisits " + max)
                .isLessThanOrEqualTo(max)
                // A visit counted on disk whose answer the kill cut off is spent: at most one per request left unanswered.
                .isGreaterThanOrEqualTo(max - unanswered);
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            assertThat(store.visitsCounted(store.lookup(code))).as("visits counted on disk").isEqualTo(max);
        }
    }
}
