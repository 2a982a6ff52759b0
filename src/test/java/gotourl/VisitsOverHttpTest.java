package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkDraft;
import gotourl.visits.Visit;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import gotourl.visits.VisitsSummary;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a visit records, end to end: a goto with its visit log in a real directory, requests over
 * a real socket, and the visits read back through the {@link VisitStore} queries the REST API
 * uses. The queue is first in, first out, so a marker request sent last tells when everything
 * before it has been taken: a count that must stay zero is checked once the marker is in.
 */
class VisitsOverHttpTest {
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final Duration WAIT = Duration.ofSeconds(120); // the user-agent rules load first, on a busy machine

    @TempDir
    Path dir;
    private RunningGoto app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private VisitStore visits() {
        return app.service().tracker().store();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return app.send(request.build());
    }

    private HttpResponse<String> head(String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", FIREFOX).build());
    }

    /**
     * Waits until the goto whose admin listener is on {@code adminPort} has recorded
     * {@code expected} visits in all ({@code goto_visits_recorded_total}), so that its files hold them.
     */
    static void awaitRecorded(java.net.http.HttpClient http, int adminPort, long expected) throws InterruptedException {
        URI metrics = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
        await(expected + " visits are recorded", () -> {
            try {
                String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                return gotourl.ops.PrometheusText.parse(text).value("goto_visits_recorded_total") == expected;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRedirectIsRecordedWithWhatShlinkKeepsAndBotsAreToldApart() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String key = app.addKey("https://example.com/landing?utm=1");

        assertThat(get("/" + key + "?from=mail", "User-Agent", FIREFOX, "Referer", "https://news.example.org/item?id=1")
                .statusCode()).isEqualTo(302);
        assertThat(get("/" + key, "User-Agent", GOOGLEBOT).statusCode()).isEqualTo(302);
        await("both visits are recorded", () -> visits().summary(key).total() == 2);

        assertThat(visits().summary(key)).isEqualTo(new VisitsSummary(2, 1, 1));
        List<Visit> newestFirst = visits().linkVisits(key, VisitsQuery.all()).data();
        assertThat(newestFirst).hasSize(2);
        Visit human = newestFirst.get(1);
        assertThat(human.type()).isEqualTo(VisitType.VALID_SHORT_URL);
        assertThat(human.shortCode()).isEqualTo(key);
        assertThat(human.referer()).isEqualTo("https://news.example.org/item?id=1");
        assertThat(human.refererHost()).isEqualTo("news.example.org");
        assertThat(human.userAgent()).isEqualTo(FIREFOX);
        assertThat(human.potentialBot()).isFalse();
        assertThat(human.browser()).isEqualTo("Firefox");
        assertThat(human.visitedPath()).isEqualTo("/" + key + "?from=mail");
        assertThat(human.redirectUrl()).isEqualTo("https://example.com/landing?utm=1&from=mail");
        assertThat(newestFirst.get(0).potentialBot()).as("Googlebot").isTrue();
        assertThat(visits().linkVisits(key, VisitsQuery.all().withoutBots()).data()).containsExactly(human);
    }

    @Test
    void headAndNostatAreNotTrackedAndNostatIsNotForwarded() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String key = app.addKey("https://example.com/page");

        assertThat(head("/" + key).statusCode()).isEqualTo(302);
        HttpResponse<String> quiet = get("/" + key + "?nostat&lang=en", "User-Agent", FIREFOX);
        assertThat(quiet.statusCode()).isEqualTo(302);
        assertThat(quiet.headers().firstValue("Location")).as("nostat is goto's, not the long URL's")
                .contains("https://example.com/page?lang=en");
        assertThat(get("/" + key + "?nostat=1", "User-Agent", FIREFOX).headers().firstValue("Location"))
                .contains("https://example.com/page");
        assertThat(get("/nope?nostat").statusCode()).isEqualTo(404);
        assertThat(get("/?nostat").statusCode()).isEqualTo(200);
        // The marker: once it is recorded, everything sent before it has been taken by the worker.
        assertThat(get("/" + key + "?marker", "User-Agent", FIREFOX).statusCode()).isEqualTo(302);
        await("the marker is recorded", () -> visits().summary(key).total() >= 1);

        assertThat(visits().summary(key).total()).as("only the marker: HEAD and ?nostat are not visits").isEqualTo(1);
        assertThat(visits().linkVisits(key, VisitsQuery.all()).data().getFirst().visitedPath()).isEqualTo("/" + key + "?marker");
        assertThat(visits().stats().orphanVisits().total()).as("?nostat on a 404 and the base URL").isZero();
    }

    @Test
    void orphanVisitsAreClassifiedAsShlinkDoes() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String expired = app.service().store().create(LinkDraft.of("https://example.com/old")
                .withValidUntil(java.time.Instant.parse("2020-01-01T00:00:00Z"))).join().shortCode();

        assertThat(get("/no-such-code", "User-Agent", FIREFOX).statusCode()).isEqualTo(404);
        assertThat(get("/" + expired, "User-Agent", FIREFOX).statusCode()).isEqualTo(404);
        assertThat(get("/wp-admin/setup.php", "User-Agent", FIREFOX).statusCode()).isEqualTo(404);
        assertThat(get("/favicon.ico", "User-Agent", FIREFOX).statusCode()).isEqualTo(404);
        assertThat(get("/no-such-code/qr-code", "User-Agent", FIREFOX).statusCode()).isEqualTo(404);
        assertThat(get("/?ref=home", "User-Agent", FIREFOX).statusCode()).isEqualTo(200);
        await("six orphan visits are recorded", () -> visits().stats().orphanVisits().total() == 6);

        List<Visit> orphans = visits().orphanVisits(VisitsQuery.all()).data().reversed();
        // As Shlink: one segment is where a short code would be (even /favicon.ico); more is a regular 404.
        assertThat(orphans).extracting(Visit::type).containsExactly(VisitType.INVALID_SHORT_URL, VisitType.INVALID_SHORT_URL,
                VisitType.REGULAR_404, VisitType.INVALID_SHORT_URL, VisitType.REGULAR_404, VisitType.BASE_URL);
        assertThat(orphans).extracting(Visit::visitedPath).containsExactly("/no-such-code", "/" + expired,
                "/wp-admin/setup.php", "/favicon.ico", "/no-such-code/qr-code", "/?ref=home");
        assertThat(orphans).allSatisfy(visit -> assertThat(visit.shortCode()).isNull());
        assertThat(visits().summary(expired)).as("an expired link's 404 is no visit of it").isEqualTo(VisitsSummary.NONE);
        assertThat(visits().stats().nonOrphanVisits().total()).isZero();
    }

    @Test
    void trackFalseRecordsNothingButStillRedirects() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withTracking(false, null));
        String key = app.addKey("https://example.com/untracked");
        for (int i = 0; i < 20; i++) {
            assertThat(get("/" + key, "User-Agent", FIREFOX).statusCode()).isEqualTo(302);
        }
        assertThat(get("/missing").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(200);
        Thread.sleep(300); // the worker looks every 2 ms: anything offered would be recorded by now
        assertThat(app.service().tracker().recorded()).isZero();
        assertThat(visits().summary(key)).isEqualTo(VisitsSummary.NONE);
        assertThat(visits().stats().orphanVisits()).isEqualTo(VisitsSummary.NONE);
    }

    @Test
    void visitsOutliveARestartAndAShutdownDrainsWhatIsQueued() throws Exception {
        Path file = dir.resolve("goto.data");
        app = RunningGoto.start(RunningGoto.config(file));
        String key = app.addKey("https://example.com/drained");
        int sent = 300;
        for (int i = 0; i < sent; i++) {
            assertThat(get("/" + key, "User-Agent", FIREFOX).statusCode()).isEqualTo(302);
        }
        // Straight to shutdown: the visits still queued (the rules may not even be loaded yet) are drained into the log.
        assertThat(app.shutdown()).as("a clean stop").isTrue();
        assertThat(app.service().tracker().dropped()).isZero();

        app = RunningGoto.start(RunningGoto.config(file));
        assertThat(visits().summary(key)).isEqualTo(new VisitsSummary(sent, sent, 0));
        assertThat(dir.resolve("goto.data.visits")).isDirectory();
    }
}
