package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.StderrCapture;
import gotourl.ops.PrometheusText;
import gotourl.store.MemoryLinkStore;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Attackers must not write goto's log: thousands of requests that Jetty refuses (with a Host
 * header of 8 KB, or forged log lines in it) and thousands of 500s add a few short lines, not a
 * line (or a stack trace) each; nothing a client sent appears unescaped; every request is still
 * counted in the metrics.
 */
class LogFloodTest {
    private static final int EACH = 1_500;
    private static final String FORGED = "\r\n2026-01-01T00:00:00.000Z ERROR goto - forged by a client";

    @Test
    void thousandsOfBadRequestsAndFailuresAddAFewEscapedLinesToTheLog() throws Exception {
        try (StderrCapture log = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(null),
                     (config, metrics) -> new InternalErrorTest.Faulty(new MemoryLinkStore()))) {
            int before = log.text().length();
            AtomicInteger badHosts = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 4; c++) {
                    clients.submit(() -> {
                        for (int i = 0; i < EACH / 4; i++) {
                            String badHost = "[" + "x".repeat(8_000) + "\u001b[31m" + FORGED.replace("\r\n", "") + i;
                            if (answer(app, "GET /a HTTP/1.1\r\nHost: " + badHost + "\r\n\r\n").startsWith("HTTP/1.1 400")) {
                                badHosts.incrementAndGet();
                            }
                            if (answer(app, "GET /" + InternalErrorTest.Faulty.KEY_THAT_THROWS + "?q=" + i
                                    + " HTTP/1.1\r\nHost: goto.test\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 500")) {
                                failures.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
            }
            String added = log.text().substring(before);

            assertThat(added.length()).as("bytes logged for %d bad requests and %d failures:\n%s", EACH, EACH, head(added))
                    .isLessThan(12_000);
            assertThat(added).as("the client's text is escaped").doesNotContain("\u001b").doesNotContain("ERROR goto - forged");
            assertThat(added.lines()).as("lines are short").allSatisfy(line -> assertThat(line.length()).isLessThan(500));
            assertThat(added).as("one stack trace for one cause").containsOnlyOnce("InternalErrorTest$Faulty.lookup");
            assertThat(badHosts.get()).as("bad Host headers refused").isEqualTo(EACH);
            assertThat(failures.get()).as("500s answered").isEqualTo(EACH);
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_requests_total", "route", "redirect", "status", "500")).isEqualTo(EACH);
            assertThat(metrics.value("goto_requests_total", "route", "other", "status", "400")).isEqualTo(EACH);
        }
    }

    private static String answer(RunningGoto app, String request) {
        try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
            return RawHttp.exchange(socket, request);
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    private static String head(String text) {
        return text.length() > 3_000 ? text.substring(0, 3_000) + "..." : text;
    }
}
