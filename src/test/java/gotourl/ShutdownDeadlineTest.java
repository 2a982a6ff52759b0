package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.ForwardingLinkStore;
import gotourl.store.LinkStore;
import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
                    + " 1 request cut off, 1 queued add not written (their clients got no answer, so none was acknowledged)");
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
            assertThat(log.text()).contains("stopped at the 700ms deadline with work unfinished: 1 request cut off, 0 queued adds not written");
            // The writer had nothing to do: stopping it late is not a disk failure.
            assertThat(log.text()).doesNotContain("ERROR goto.writer").doesNotContain("goto stops storing links");
            assertThat(acknowledged(add)).isFalse();
        }
        try (LogLinkStore reopened = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(reopened.size()).isZero();
        }
    }

    /**
     * A real goto, SIGTERM, and an upload that keeps trickling in (so it is never idle) past the
     * deadline: goto does not wait for it, exits non-zero, and says what it cut off.
     */
    @Test
    void sigtermWithAnUploadTricklingPastTheDeadlineExitsNonZeroNamingWhatWasCutOff() throws Exception {
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0", "-admin=off", "-file=:memory:",
                        "-host=" + RunningGoto.HOST, "-shutdown-timeout=1s")
                .awaitServing(Duration.ofSeconds(30));
             Socket socket = new Socket("127.0.0.1", child.appPort())) {
            String body = "url=https://example.com/" + "t".repeat(2000);
            OutputStream out = socket.getOutputStream();
            // Expect: 100-continue makes goto say when its route starts reading the form, so the
            // test knows the request is in flight before it sends SIGTERM (a fixed sleep was not
            // enough on a loaded machine: the stop came before the request was dispatched).
            out.write(("POST /add HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.setSoTimeout(10_000);
            assertThat(RawHttp.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 100");
            // A byte every 10 ms: never quiet for the shutdown's 100 ms idle timeout even when a
            // loaded machine delays a wake-up several times over, and not done within 20 s, far
            // past the deadline and the wait below.
            AtomicInteger sent = new AtomicInteger();
            Thread trickle = Thread.ofPlatform().name("test-trickle").start(() -> {
                try {
                    for (byte b : body.getBytes(StandardCharsets.ISO_8859_1)) {
                        out.write(b);
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException closed) {
                    // goto closed the connection, or the test is over
                }
            });
            try {
                child.sigterm();

                // the 1 s deadline, the JVM's exit, and room for a slow machine
                assertThat(child.awaitExit(Duration.ofSeconds(14))).as(child.log()).isEqualTo(1);
                assertThat(child.log()).contains("stopped at the 1s deadline with work unfinished:"
                        + " 1 request cut off, 0 queued adds not written").doesNotContain("stopped cleanly");
                assertThat(sent.get()).as("bytes of the form sent when goto gave up on it").isLessThan(body.length());
            } finally {
                trickle.interrupt();
                trickle.join();
            }
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
    private static final class AddsNeverComplete extends ForwardingLinkStore {
        private final CountDownLatch taken;

        AddsNeverComplete(LinkStore store, CountDownLatch taken) {
            super(store);
            this.taken = taken;
        }

        @Override
        public CompletableFuture<String> add(String url) {
            taken.countDown();
            return new CompletableFuture<>();
        }
    }
}
