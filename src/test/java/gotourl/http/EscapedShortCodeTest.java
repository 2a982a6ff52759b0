package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.api.TestApiKeys;
import gotourl.link.LinkDraft;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short code sent percent-encoded, over a real socket: the seed's handler reads Go's decoded
 * {@code r.URL.Path}, so {@code /%61} is {@code /a}. The redirect (plain and rich links), the QR
 * code and the stats page find the link; what Jetty finds malformed is 400, as Go's server
 * answers; an encoded slash reaches no other route; the visits keep the path as it came.
 */
class EscapedShortCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), GotoService.defaultStoreOpener(Clock.systemUTC()),
                TestApiKeys.options());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Every character of {@code code} as a %XX escape of its UTF-8 bytes. */
    static String escaped(String code) {
        StringBuilder out = new StringBuilder();
        for (byte b : code.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xFF));
        }
        return out.toString();
    }

    private RawHttp.Response get(String path) throws Exception {
        try (RawHttp http = RawHttp.connect(app.service().appPort())) {
            return http.exchange("GET " + path + " HTTP/1.1\r\nHost: goto.test\r\nUser-Agent: escape-test\r\nConnection: close\r\n\r\n");
        }
    }

    @Test
    void anEscapedCodeRedirectsAsTheCodeDoes() throws Exception {
        String plain = app.addKey("https://example.com/plain");
        String rich = app.service().store().create(LinkDraft.of("https://example.com/rich")
                .withValidUntil(Instant.now().plus(Duration.ofDays(1)))).join().shortCode();

        RawHttp.Response redirect = get("/" + escaped(plain));
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://example.com/plain");
        String half = plain.length() > 1 ? plain.charAt(0) + escaped(plain.substring(1)) : escaped(plain);
        assertThat(get("/" + half + "?x=1").header("Location")).isEqualTo("https://example.com/plain?x=1");
        RawHttp.Response counted = get("/" + escaped(rich));
        assertThat(counted.status()).as("a link with more than a URL, looked up whole").isEqualTo(302);
        assertThat(counted.header("Location")).isEqualTo("https://example.com/rich");

        RawHttp.Response qr = get("/" + escaped(plain) + "/qr-code");
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.header("Content-Type")).startsWith("image/");
        RawHttp.Response stats = get("/stats/" + escaped(plain));
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.body()).contains("Stats of " + plain);
    }

    @Test
    void anEscapedUnknownCodeIs404NamingItDecoded() throws Exception {
        RawHttp.Response unknown = get("/%7A%7A%7A%7A");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("<code>zzzz</code>");
        RawHttp.Response cafe = get("/caf%C3%A9");
        assertThat(cafe.status()).as("slugs are A-Z a-z 0-9 - _: no link is café").isEqualTo(404);
        assertThat(cafe.body()).contains("<code>caf\u00e9</code>");
        RawHttp.Response script = get("/%3Cb%3Ex");
        assertThat(script.status()).isEqualTo(404);
        assertThat(script.body()).contains("&lt;b&gt;x").doesNotContain("<b>");
        assertThat(get("/%7A%7A/qr-code").status()).isEqualTo(404);
    }

    @Test
    void aMalformedEscapeIs400AsTheSeedsServerAnswersIt() throws Exception {
        String key = app.addKey("https://example.com/k");
        for (String path : new String[] {"/%zz", "/%", "/%6", "/" + key + "%", "/%FF", "/%zz/qr-code"}) {
            RawHttp.Response response = get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Location")).as(path).isNull();
        }
    }

    @Test
    void anEncodedSlashReachesNoOtherRoute() throws Exception {
        String key = app.addKey("https://example.com/slash");
        for (String path : new String[] {"/" + key + "%2Fqr-code", "/" + key + "%2fqr-code", "/rest%2Fv3%2Fhealth",
                "/stats%2F" + key, "/x%2F..%2F" + key}) {
            RawHttp.Response response = get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Content-Type")).as(path).doesNotStartWith("image/").doesNotContain("json");
        }
    }

    @Test
    void visitsKeepThePathAsItCameAndOrphansTheirTypes() throws Exception {
        String key = app.addKey("https://example.com/visited");
        assertThat(get("/" + escaped(key)).status()).isEqualTo(302);
        assertThat(get("/%7A%7A%7A%7A").status()).isEqualTo(404);
        assertThat(get("/%7A%7A/qr-code").status()).isEqualTo(404);
        awaitRecorded(3);

        JsonNode visits = api("/rest/v3/short-urls/" + key + "/visits").get("visits").get("data");
        assertThat(visits).hasSize(1);
        assertThat(visits.get(0).get("visitedUrl").asText()).isEqualTo("http://goto.test/" + escaped(key));
        List<String> orphans = new ArrayList<>();
        api("/rest/v3/visits/orphan").get("visits").get("data")
                .forEach(v -> orphans.add(v.get("type").asText() + " " + v.get("visitedUrl").asText()));
        assertThat(orphans).containsExactlyInAnyOrder("invalid_short_url http://goto.test/%7A%7A%7A%7A",
                "regular_404 http://goto.test/%7A%7A/qr-code");
    }

    private void awaitRecorded(long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (app.service().tracker().recorded() < n) {
            assertThat(System.nanoTime()).as("visits recorded: " + app.service().tracker().recorded()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private JsonNode api(String path) throws Exception {
        var response = app.send(HttpRequest.newBuilder(app.uri(path)).header("X-Api-Key", TestApiKeys.ADMIN).build());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
