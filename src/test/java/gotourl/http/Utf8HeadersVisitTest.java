package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.api.TestApiKeys;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code User-Agent} and a {@code Referer} sent as raw UTF-8 bytes over a real socket are
 * recorded as the text the client meant, read back through the visits API; bytes that are not
 * UTF-8 become U+FFFD rather than Latin-1 letters.
 */
class Utf8HeadersVisitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "Mozilla/5.0 Caf\u00e9Bot/1.0 (\u65e5\u672c; \u00fcber \uD83D\uDE80)";
    private static final String REFERER = "https://example.org/caf\u00e9?q=\u00fc";

    @TempDir
    Path dir;
    private RunningGoto app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** {@code text}'s UTF-8 bytes as the chars RawHttp sends byte for byte. */
    private static String utf8Bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void rawUtf8HeaderBytesAreRecordedAsTheTextSent() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), GotoService.defaultStoreOpener(Clock.systemUTC()),
                TestApiKeys.options());
        String key = app.addKey("https://example.com/utf8");
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            assertThat(http.exchange("GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nUser-Agent: " + utf8Bytes(AGENT)
                    + "\r\nReferer: " + utf8Bytes(REFERER) + "\r\n\r\n").status()).isEqualTo(302);
            // \xFF is no UTF-8: one replacement character, the rest of the value kept.
            assertThat(http.exchange("GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nUser-Agent: bad\u00ffbyte"
                    + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(302);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (app.service().tracker().recorded() < 2) {
            assertThat(System.nanoTime()).as("visits recorded").isLessThan(deadline);
            Thread.sleep(20);
        }
        var response = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls/" + key + "/visits"))
                .header("X-Api-Key", TestApiKeys.ADMIN).build());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode newestFirst = JSON.readTree(response.body()).get("visits").get("data");
        assertThat(newestFirst).hasSize(2);
        assertThat(newestFirst.get(1).get("userAgent").asText()).isEqualTo(AGENT);
        assertThat(newestFirst.get(1).get("referer").asText()).isEqualTo(REFERER);
        assertThat(newestFirst.get(0).get("userAgent").asText()).isEqualTo("bad\uFFFDbyte");
    }
}
