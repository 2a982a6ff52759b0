package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.LinkStore;
import gotourl.store.log.LogLinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shutdown whose deadline cannot be met: it stops anyway, reports failure (goto then exits
 * non-zero), and the log says what was not completed.
 */
class ShutdownDeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(700);

    @TempDir
    Path dir;

    @Test
    void aWriterStuckInAForceIsCutOffAtTheDeadlineAndReported() throws Exception {
        Path data = dir.resolve("goto.data");
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(data).withShutdownTimeout(DEADLINE),
                     StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)))) {
            disk.holdForces();
            CompletableFuture<HttpResponse<String>> add = app.client().sendAsync(
                    HttpRequest.newBuilder(app.uri("/add?url=https://example.com/slow-disk")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).as("the add reached the disk").isTrue();

            boolean clean = app.shutdown();

            assertThat(clean).isFalse();
            assertThat(log.text()).contains("stopped at the 700ms deadline with work unfinished:"
                    + " 1 requests cut off, 1 queued adds not written (their clients got no answer, so none was acknowledged)");
            assertThat(log.text()).doesNotContain("stopped cleanly");
            assertThat(acknowledged(add)).as("the cut-off add must not be acknowledged").isFalse();
        } finally {
            disk.release();
        }
    }

    @Test
    void aRequestStillInFlightAtTheDeadlineIsReportedAndTheIdleWriterIsNotCalledAFailure() throws Exception {
        Path data = dir.resolve("goto.data");
        CountDownLatch addTaken = new CountDownLatch(1);
        GotoService.StoreOpener neverAnswersAdds = (config, metrics) -> new AddsNeverComplete(
                StoreOpeners.logStore(options -> options).open(config, metrics), addTaken);
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(data).withShutdownTimeout(DEADLINE), neverAnswersAdds)) {
            CompletableFuture<HttpResponse<String>> add = app.client().sendAsync(
                    HttpRequest.newBuilder(app.uri("/add?url=https://example.com/never")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(addTaken.await(10, TimeUnit.SECONDS)).as("the add reached the store").isTrue();

            boolean clean = app.shutdown();

            assertThat(clean).isFalse();
            assertThat(log.text()).contains("stopped at the 700ms deadline with work unfinished: 1 requests cut off, 0 queued adds not written");
            // The writer had nothing to do: stopping it late is not a disk failure.
            assertThat(log.text()).doesNotContain("ERROR goto.writer").doesNotContain("goto stops storing links");
            assertThat(acknowledged(add)).isFalse();
        }
        try (LogLinkStore reopened = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(reopened.size()).isZero();
        }
    }

    private static boolean acknowledged(CompletableFuture<HttpResponse<String>> add) throws InterruptedException {
        try {
            return add.get(10, TimeUnit.SECONDS).statusCode() == 200;
        } catch (java.util.concurrent.ExecutionException connectionClosed) {
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the client got neither an answer nor a closed connection", e);
        }
    }

    /** A store whose adds are taken but never finish, as a request stuck behind a slow backend. */
    private record AddsNeverComplete(LinkStore store, CountDownLatch taken) implements LinkStore {
        @Override
        public CompletableFuture<String> add(String url) {
            taken.countDown();
            return new CompletableFuture<>();
        }

        @Override
        public String lookup(String key) {
            return store.lookup(key);
        }

        @Override
        public long size() {
            return store.size();
        }

        @Override
        public String failure() {
            return store.failure();
        }

        @Override
        public int close(Duration deadline) {
            return store.close(deadline);
        }
    }
}
