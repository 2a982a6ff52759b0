package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.GatedFileChannel;
import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections that sit idle are closed after the idle timeout; a request waiting for goto is not idle. */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(400);
    /** Far beyond the idle timeout, so only the idle timeout can close these connections in time. */
    private static final WebServer.Limits LIMITS = new WebServer.Limits(IDLE, Duration.ofMinutes(5), 16 * 1024, 10_000);

    @TempDir
    Path dir;

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            assertThat(RawHttp.exchange(socket, "GET / HTTP/1.1\r\nHost: goto.test\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(RawHttp.readsEndOfStream(socket)).as("closed after sitting idle").isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket app1 = new Socket("127.0.0.1", app.service().appPort());
             Socket admin = new Socket("127.0.0.1", app.service().adminPort())) {
            assertThat(RawHttp.readsEndOfStream(app1)).isTrue();
            assertThat(RawHttp.readsEndOfStream(admin)).as("the admin listener has the same limits").isTrue();
        }
    }

    @Test
    void aRequestWaitingForGotoIsNotIdle() throws Exception {
        GatedFileChannel.Gates disk = new GatedFileChannel.Gates();
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withLimits(LIMITS),
                StoreOpeners.logStore(options -> options.withWriteChannel(disk::wrap)));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            disk.holdForces();
            CompletableFuture<String> add = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.exchange(socket, "GET /add?url=https://example.com/slow HTTP/1.1\r\nHost: goto.test\r\n\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            assertThat(disk.awaitForceHeld(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(IDLE.toMillis() * 3);
            disk.release();
            assertThat(add.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        } finally {
            disk.release();
        }
    }

    @Test
    void aFormThatStopsArrivingIs408AndStoresNothing() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withLimits(LIMITS));
             Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            socket.setSoTimeout(10_000);
            String body = "url=https%3A%2F%2Fexample.com%2Fhalf";
            socket.getOutputStream().write(("POST /add HTTP/1.1\r\nHost: goto.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + (body.length() + 20) + "\r\n\r\n"
                    + body).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String answer = RawHttp.readResponse(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 408").contains("idle timeout").contains("nothing stored");
            assertThat(app.get("/a").statusCode()).as("nothing was stored").isEqualTo(404);
            assertThat(app.addKey("https://example.com/next")).isEqualTo("a");
        }
    }
}
