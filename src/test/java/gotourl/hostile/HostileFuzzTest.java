package gotourl.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ChildGoto;
import gotourl.RunningGoto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import gotourl.link.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer: a real goto process on a real data file takes hostile traffic of every kind
 * ({@link HostileRequest}: malformed requests, resets, pipelined garbage, random URLs to store)
 * beside valid clients whose every answer is checked, then is killed with SIGKILL and started
 * again. It checks no 5xx, no crosstalk, no hang, every acknowledged add present after the
 * restart under its key and no marked URL stored twice, and that the log grew by little.
 *
 * <p>In the test suite it runs for {@value #SMOKE_SECONDS} s. The long run, by one command:
 * {@code bench/fuzz [SECONDS]} (see bench/README.md).
 */
class HostileFuzzTest {
    private static final long SMOKE_SECONDS = 15;
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("goto.fuzz.seconds", SMOKE_SECONDS));
    private static final int LINKS = 200;
    /** A log line per kind per minute, each under a few hundred bytes, for some twenty kinds. */
    private static final long LOG_BYTES_PER_MINUTE = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void hostileTrafficReachesNoOtherClientNoStoredLinkAndLittleOfTheLog() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> links = new LinkedHashMap<>();
        HostileTraffic.Result result;
        long logGrowth;
        try (ChildGoto goto1 = start(file, dir.resolve("goto-1.log"))) {
            for (int i = 0; i < LINKS; i++) {
                String url = "https://links.example/" + i;
                links.put(add(goto1.appPort(), url), url);
            }
            long logBefore = Files.size(dir.resolve("goto-1.log"));
            List<HostileRequest> kinds = HostileRequest.ALL;
            result = HostileTraffic.run(new HostileTraffic.Target(goto1.appPort(), RunningGoto.HOST, links),
                    new HostileTraffic.Plan(8, 8, Long.MAX_VALUE, DURATION, kinds));
            logGrowth = Files.size(dir.resolve("goto-1.log")) - logBefore;
            assertThat(goto1.isAlive()).as("goto survived:\n%s", goto1.log()).isTrue();
            goto1.kill9();
        }
        System.out.println("HostileFuzzTest " + result + "; the log grew by " + logGrowth + " bytes");

        assertThat(result.serverErrors.get()).as("5xx answers: %s", result).isZero();
        assertThat(result.crosstalk.get()).as("crosstalk: %s", result).isZero();
        assertThat(result.hangs.get()).as("hangs: %s", result).isZero();
        assertThat(result.keyAcknowledgedTwice.get()).as("%s", result).isZero();
        long minutes = Math.max(1, (DURATION.toSeconds() + 59) / 60);
        assertThat(logGrowth).as("bytes logged during the run, see %s", dir.resolve("goto-1.log"))
                .isLessThan(LOG_BYTES_PER_MINUTE * minutes);

        try (ChildGoto goto2 = start(file, dir.resolve("goto-2.log"))) {
            assertStoredExactlyOnce(goto2.appPort(), links, result);
        }
    }

    private static ChildGoto start(Path file, Path log) throws Exception {
        return ChildGoto.start(log, "-http=127.0.0.1:0", "-admin=127.0.0.1:0", "-file=" + file, "-host=" + RunningGoto.HOST)
                .awaitServing(Duration.ofSeconds(60));
    }

    /** After the restart: every key up to the last holds a distinct URL, and each acknowledged one its own. */
    private static void assertStoredExactlyOnce(int port, Map<String, String> preloaded, HostileTraffic.Result result)
            throws IOException {
        Map<String, String> keyOfUrl = new HashMap<>();
        Set<String> stored = new HashSet<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            for (long counter = 0; ; counter++) {
                String key = Keys.encode(counter);
                HostileTraffic.send(socket, "GET /" + key + " HTTP/1.1\r\nHost: " + RunningGoto.HOST + "\r\n\r\n");
                HostileTraffic.Response response = HostileTraffic.readResponse(in);
                if (response.status() == 404) {
                    assertThat(counter).as("links after the restart").isGreaterThanOrEqualTo(
                            preloaded.size() + result.acknowledged.size() + result.acknowledgedKeysOnly.size());
                    break;
                }
                assertThat(response.status()).as("GET /%s", key).isEqualTo(302);
                String url = response.header("location");
                stored.add(key);
                if (result.acknowledgedKeysOnly.containsKey(key)) {
                    // Random adds may draw two spellings of one URL ([::ffff:10.0.0.1] and
                    // [::ffff:a00:1]); /add stores each, so only marked URLs must be unique.
                    continue;
                }
                String earlier = keyOfUrl.put(url, key);
                assertThat(earlier).as("%s stored under %s and %s", url, earlier, key).isNull();
                if (!preloaded.containsKey(key)) {
                    assertThat(result.acknowledged).as("stored under %s without being acknowledged: %s", key, url).containsKey(key);
                }
            }
        }
        result.acknowledged.forEach((key, url) -> assertThat(keyOfUrl.get(url)).as("acknowledged %s for %s", key, url).isEqualTo(key));
        result.acknowledgedKeysOnly.keySet().forEach(key -> assertThat(stored).as("acknowledged key %s", key).contains(key));
    }

    private static String add(int port, String url) throws IOException {
        String body = "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            HostileTraffic.send(socket, "POST /add HTTP/1.1\r\nHost: " + RunningGoto.HOST
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
            HostileTraffic.Response response = HostileTraffic.readResponse(socket.getInputStream());
            assertThat(response.status()).as("add of %s: %s", url, response.brief()).isEqualTo(200);
            return response.body().trim().substring(("http://" + RunningGoto.HOST + "/").length());
        }
    }
}
