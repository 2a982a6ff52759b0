package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.GatedFileChannel;
import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import gotourl.ops.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: a client that trickles its request, headers or body, a byte at a time, each byte
 * resetting the idle timeout. The request deadline (headers and body together) cuts such a
 * request, on its first request and on any later one, on both listeners, while clients that are
 * merely slow to be answered are left alone.
 */
class RequestDeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(600);
    private static final WebServer.Limits LIMITS =
            new WebServer.Limits(Duration.ofSeconds(30), DEADLINE, 16 * 1024, 10_000);

    @TempDir
    Path dir;

    @Test
    void headersTrickledOnANewConnectionAreCutOffByTheDeadline() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            Trickle trickle = Trickle.start(socket, "GET / HTTP/1.1\r\nHost: goto.test\r\nX-Slow: " + "z".repeat(200));
            assertThat(RawHttp.readsEndOfStream(socket)).as("goto closed the connection").isTrue();
            assertThat(trickle.stop()).as("bytes sent before goto closed it").isLessThan(200);
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_requests_total", "route", "other", "status", "408")).as("counted").isEqualTo(1);
        }
    }

    @Test
    void headersTrickledOnAKeptAliveConnectionAreCutOffToo() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            assertThat(RawHttp.exchange(socket, "GET / HTTP/1.1\r\nHost: goto.test\r\n\r\n")).startsWith("HTTP/1.1 200");
            Trickle trickle = Trickle.start(socket, "GET / HTTP/1.1\r\nHost: goto.test\r\nX-Slow: " + "z".repeat(200));
            assertThat(RawHttp.readsEndOfStream(socket)).as("goto closed the connection").isTrue();
            assertThat(trickle.stop()).isLessThan(200);
        }
    }

    @Test
    void aFormBodyTrickledByteByByteIsRefusedWith408AtTheDeadline() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            socket.setSoTimeout(10_000);
            String body = "url=https%3A%2F%2Fexample.com%2F" + "z".repeat(200);
            RawHttp.send(socket, "POST /add HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n");
            long start = System.nanoTime();
            Trickle trickle = Trickle.start(socket, body);

            String answer = RawHttp.readResponse(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 408").contains("nothing stored").contains("deadline");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.multipliedBy(3));
            assertThat(RawHttp.readsEndOfStream(socket)).as("goto closed the connection").isTrue();
            assertThat(trickle.stop()).as("bytes of the body sent before goto closed it").isLessThan(body.length());
            assertThat(app.get("/a").statusCode()).as("nothing was stored").isEqualTo(404);
        }
    }

    @Test
    void aDeclaredBodyThatNeverComesIsRefusedAtTheDeadlineNotTheIdleTimeout() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            long start = System.nanoTime();
            String answer = RawHttp.exchange(socket, "POST /add HTTP/1.1\r\nHost: goto.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 408").contains("deadline");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the 30 s idle timeout")
                    .isLessThan(DEADLINE.multipliedBy(3));
        }
    }

    @Test
    void aBodyTrickledToTheAdminListenerIsCutOffToo() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().adminPort())) {
            socket.setSoTimeout(10_000);
            String body = "x".repeat(1_000);
            RawHttp.send(socket, "POST /health/live HTTP/1.1\r\nHost: goto.test\r\nContent-Length: " + body.length() + "\r\n\r\n");
            Trickle trickle = Trickle.start(socket, body);
            assertThat(RawHttp.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 405");
            assertThat(RawHttp.readsEndOfStream(socket)).as("goto closed the connection").isTrue();
            assertThat(trickle.stop()).as("bytes of the body sent before goto closed it").isLessThan(body.length());
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedAtTheDeadline() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket silent = new Socket("127.0.0.1", app.service().appPort())) {
            assertThat(RawHttp.readsEndOfStream(silent)).isTrue();
        }
    }

    @Test
    void requestsSentInPiecesWithinTheDeadlineAreServedOnEveryRequest() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            OutputStream out = socket.getOutputStream();
            for (int request = 0; request < 3; request++) {
                out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(50);
                out.write("Host: goto.test\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(50);
                assertThat(RawHttp.exchange(socket, "\r\n")).startsWith("HTTP/1.1 200");
                // Idle between requests for longer than the header deadline: that is the idle timeout's business.
                Thread.sleep(DEADLINE.toMillis() * 2);
            }
        }
    }

    @Test
    void aRequestSlowToBeAnsweredIsNotCutOff() throws Exception {
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withLimits(LIMITS),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            disk.holdForces();
            CompletableFuture<String> add = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.exchange(socket, "GET /add?url=https://example.com/slow-disk HTTP/1.1\r\nHost: goto.test\r\n\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(DEADLINE.toMillis() * 3);
            disk.release();
            assertThat(add.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("http://goto.test/a");
        } finally {
            disk.release();
        }
    }

    /** Writes {@code text} one byte every 50 ms on its own thread, until the connection breaks. */
    private static final class Trickle {
        private final Thread thread;
        private final AtomicInteger sent = new AtomicInteger();

        private Trickle(Socket socket, byte[] bytes) {
            thread = Thread.ofPlatform().name("test-slowloris").start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (byte b : bytes) {
                        out.write(b);
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException closed) {
                    // goto closed the connection, or the test is over
                }
            });
        }

        static Trickle start(Socket socket, String text) {
            return new Trickle(socket, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            return sent.get();
        }
    }

}
