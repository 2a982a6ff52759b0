package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ops.PrometheusText;
import gotourl.visits.ForwardingVisitStore;
import gotourl.visits.MemoryVisitStore;
import gotourl.visits.Visit;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Visits in trouble never trouble redirects: a worker held on purpose (a full queue drops events,
 * counted, and every redirect is answered at once), and a visits store that fails (redirects and
 * adds go on, health says degraded, metrics count the loss, the log says why).
 */
class VisitsTroubleOverHttpTest {
    private static final int CAPACITY = 16;

    @TempDir
    Path dir;

    private static double metric(RunningGoto app, String name) throws Exception {
        return PrometheusText.parse(app.admin("/metrics").body()).value(name);
    }

    @Test
    void aFullQueueDropsAndCountsVisitsAndNeverHoldsARedirect() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        GotoService.VisitStoreOpener holding = config -> new ForwardingVisitStore(new MemoryVisitStore()) {
            @Override
            public void append(List<Visit> visits) throws IOException {
                held.countDown();
                try {
                    release.await(); // the worker is stuck in the store, as on a stalled disk
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.append(visits);
            }
        };
        try (RunningGoto app = RunningGoto.startWithVisits(RunningGoto.config(dir.resolve("goto.data")), holding, CAPACITY)) {
            String key = app.addKey("https://example.com/held");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            assertThat(held.await(120, TimeUnit.SECONDS)).as("the worker took the first visit").isTrue();

            int sent = 200;
            long start = System.nanoTime();
            for (int i = 0; i < sent; i++) {
                assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            // A redirect offers its visit just after writing its answer: the last offer may come a
            // moment after the client has its 302.
            VisitsOverHttpTest.await("every visit offered", () -> app.service().tracker().dropped()
                    + app.service().tracker().queueDepth() >= sent);
            long dropped = app.service().tracker().dropped();
            assertThat(dropped).as("visits dropped with %d queue slots and the worker held", CAPACITY).isEqualTo(sent - CAPACITY);
            assertThat(metric(app, "goto_visits_dropped_total")).isEqualTo(sent - CAPACITY);
            assertThat(metric(app, "goto_visits_queue_depth")).isEqualTo(CAPACITY);
            assertThat(tookMillis).as("200 redirects while the worker is held (none waits for it)").isLessThan(60_000);

            release.countDown();
            VisitsOverHttpTest.await("the queued visits are recorded", () -> app.service().tracker().recorded() == 1 + CAPACITY);
            assertThat(app.service().tracker().store().summary(key).total()).as("recorded: the first and the queued")
                    .isEqualTo(1 + CAPACITY);
            assertThat(app.admin("/health/visits").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFailingVisitsStoreLeavesRedirectsAndLinksAloneAndSaysSo() throws Exception {
        GotoService.VisitStoreOpener failing = config -> new ForwardingVisitStore(new MemoryVisitStore()) {
            @Override
            public void append(List<Visit> visits) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        StderrCapture log = StderrCapture.start();
        try (log; RunningGoto app = RunningGoto.startWithVisits(RunningGoto.config(dir.resolve("goto.data")), failing,
                gotourl.visits.Tracker.DEFAULT_CAPACITY)) {
            String key = app.addKey("https://example.com/still-redirects");
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> answer = app.get("/" + key);
                assertThat(answer.statusCode()).isEqualTo(302);
                assertThat(answer.headers().firstValue("Location")).contains("https://example.com/still-redirects");
            }
            VisitsOverHttpTest.await("the store's failure is noticed", () -> app.service().tracker().failure() != null);
            String another = app.addKey("https://example.com/added-after");
            assertThat(app.get("/" + another).statusCode()).as("a link added after the failure").isEqualTo(302);
            assertThat(app.get("/nope").statusCode()).isEqualTo(404);

            HttpResponse<String> ready = app.admin("/health/ready");
            assertThat(ready.statusCode()).as("links and redirects work: still ready").isEqualTo(200);
            assertThat(ready.body()).contains("degraded: visits are not being recorded").contains("No space left on device");
            HttpResponse<String> visits = app.admin("/health/visits");
            assertThat(visits.statusCode()).isEqualTo(503);
            assertThat(metric(app, "goto_visits_store_failed")).isEqualTo(1);
            VisitsOverHttpTest.await("every visit is counted as lost", () -> app.service().tracker().lost() == 52);
            assertThat(metric(app, "goto_visits_lost_total")).isEqualTo(52);
            assertThat(app.service().store().failure()).as("the link store").isNull();
        }
        assertThat(log.text()).contains("writing visits failed").contains("No space left on device")
                .contains("redirects and links are not affected");
    }

    /**
     * Regression: a stop waited for the visits worker (as it waits, at most until the deadline, for
     * the user-agent rules its held visits need) before it closed the link store, so a worker that
     * used the whole deadline left the store none: no index image was written and the next start
     * replayed the whole data file. The links are now closed first, within the deadline.
     */
    @Test
    void aVisitsWorkerHeldAtAStopLeavesTheLinksTheirDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        GotoService.VisitStoreOpener holding = config -> new ForwardingVisitStore(new MemoryVisitStore()) {
            @Override
            public void append(List<Visit> visits) throws IOException {
                held.countDown();
                try {
                    release.await(); // held past the stop's deadline, as by rules still loading
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.append(visits);
            }
        };
        Path file = dir.resolve("goto.data");
        Path image = dir.resolve("goto.data.image");
        try (RunningGoto app = RunningGoto.startWithVisits(RunningGoto.config(file).withShutdownTimeout(java.time.Duration.ofSeconds(2)),
                holding, CAPACITY)) {
            String key = app.addKey("https://example.com/stopped");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            assertThat(held.await(120, TimeUnit.SECONDS)).as("the worker took the visit").isTrue();
            assertThat(image).doesNotExist();

            long start = System.nanoTime();
            app.shutdown();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(image).as("the link store closed in time and wrote its index image").exists();
            assertThat(tookMillis).as("the held worker still had the rest of the deadline").isLessThan(30_000);
        } finally {
            release.countDown();
        }
        try (RunningGoto again = RunningGoto.start(RunningGoto.config(file))) {
            assertThat(again.service().store().size()).isEqualTo(1);
        }
    }

    /** Regression: a visit store that cannot be opened made goto fail to start instead of starting with visits failed. */
    @Test
    void aVisitsStoreThatCannotBeOpenedLeavesGotoServingAndSaysSo() throws Exception {
        GotoService.VisitStoreOpener unopenable = config -> {
            throw new IOException("Permission denied");
        };
        StderrCapture log = StderrCapture.start();
        try (log; RunningGoto app = RunningGoto.startWithVisits(RunningGoto.config(dir.resolve("goto.data")), unopenable,
                gotourl.visits.Tracker.DEFAULT_CAPACITY)) {
            String key = app.addKey("https://example.com/still-redirects");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            assertThat(app.service().tracker().failure()).contains("opening the visits store").contains("Permission denied");
            assertThat(app.admin("/health/visits").statusCode()).isEqualTo(503);
            assertThat(app.admin("/health/ready").statusCode()).isEqualTo(200);
        }
        assertThat(log.text()).contains("Permission denied");
        // It went on to log "visits: tracked in ...", of the store it had just failed to open.
        assertThat(log.text()).contains("visits: not recorded: opening the visits store").doesNotContain("visits: tracked in");
    }

    /**
     * A visits directory goto may not write, for real: a link to /sys, where no user (root
     * included) creates files. It printed a stack trace at start, and /health/visits showed
     * "java.nio.file.AccessDeniedException: ...".
     */
    @Test
    void aVisitsDirectoryGotoCannotWriteIsSaidInOneLineNamingItAndTheUser() throws Exception {
        Path data = dir.resolve("goto.data");
        java.nio.file.Files.createSymbolicLink(dir.resolve("goto.data.visits"), Path.of("/sys"));
        StderrCapture log = StderrCapture.start();
        String health;
        try (log; RunningGoto app = RunningGoto.start(RunningGoto.config(data))) {
            String key = app.addKey("https://example.com/still-redirects");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            HttpResponse<String> visits = app.admin("/health/visits");
            assertThat(visits.statusCode()).isEqualTo(503);
            health = visits.body();
            assertThat(metric(app, "goto_visits_store_failed")).isEqualTo(1);
        }
        String user = System.getProperty("user.name");
        assertThat(health).contains("opening the visits store " + dir.resolve("goto.data.visits") + " failed")
                .contains("permission denied").contains("does not let this user (" + user + ")")
                .contains("give it write access there")
                .doesNotContain("Exception");
        assertThat(log.text()).contains("opening the visits store " + dir.resolve("goto.data.visits") + " failed")
                .contains("(" + user + ")").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(log.text().lines().filter(line -> line.contains("opening the visits store")))
                .as("one line each: the failure, and what goto does without visits").hasSize(2);
    }
}
