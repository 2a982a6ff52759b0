package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -access-log}: one NCSA line per application request, complete once goto has stopped. */
class AccessLogTest {
    private static final String LINE = "127\\.0\\.0\\.1 - - \\[[^]]+] \"%s HTTP/1\\.1\" %d .*";

    @TempDir
    Path dir;

    @Test
    void oneLinePerApplicationRequest() throws Exception {
        Path accessLog = dir.resolve("access.log");
        Config config = Cli.serveConfig(new String[] {"-http=127.0.0.1:0", "-admin=127.0.0.1:0", "-host=" + RunningGoto.HOST,
                "-file=:memory:", "-access-log=" + accessLog}, Map.of());
        String key;
        try (RunningGoto app = RunningGoto.start(config)) {
            key = QueryAdd.key(app, "https://example.com/logged");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            assertThat(app.get("/nosuchkey").statusCode()).isEqualTo(404);
            // Health checks and scrapes come every few seconds; they would drown the requests.
            assertThat(app.admin("/health/ready").statusCode()).isEqualTo(200);
            assertThat(app.admin("/metrics").statusCode()).isEqualTo(200);
            assertThat(app.shutdown()).isTrue();
        }
        List<String> lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches(LINE.formatted("GET /add\\?url=https%3A%2F%2Fexample\\.com%2Flogged", 200));
        assertThat(lines.get(1)).matches(LINE.formatted("GET /" + key, 302));
        assertThat(lines.get(2)).matches(LINE.formatted("GET /nosuchkey", 404));
    }

    @Test
    void aUtf8UserAgentAndRefererAreLoggedAsTheTextSent() throws Exception {
        Path accessLog = dir.resolve("access.log");
        String agent = "Caf\u00e9Browser/1.0 (\u65e5\u672c\u8a9e; \u2713)";
        String referer = "https://example.com/\u00fcn\u00efc\u00f6d\u00e9";
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null).withAccessLog(accessLog))) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.service().appPort())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(("GET /nosuchkey-utf8 HTTP/1.1\r\nHost: " + RunningGoto.HOST + "\r\nUser-Agent: " + agent
                        + "\r\nReferer: " + referer + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 404 ");
            }
            assertThat(app.get("/nosuchkey-ascii").statusCode()).isEqualTo(404);
            assertThat(app.shutdown()).isTrue();
        }
        List<String> lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches(LINE.formatted("GET /nosuchkey-utf8", 404))
                .endsWith(" \"" + referer + "\" \"" + agent + "\"");
        assertThat(lines.get(1)).matches(LINE.formatted("GET /nosuchkey-ascii", 404)).containsPattern(" \"\" \"Java-http-client/[^\"]+\"$");
    }

    /**
     * Shlink's GET /short-urls/shorten takes the API key as apiKey=... in the URL, and goto takes
     * it there too; elsewhere goto refuses a key in the URL with 401. Either way the key is a real
     * one, and it was once written to the access log as it came.
     */
    @Test
    void anApiKeyInTheUrlIsNeverLoggedAndTheRefusalSaysWhy() throws Exception {
        Path accessLog = dir.resolve("access.log");
        String key = "k3y-sent-in-a-url-0123456789abcdef";
        Config config = Cli.serveConfig(new String[] {"-http=127.0.0.1:0", "-admin=off", "-host=" + RunningGoto.HOST,
                "-file=" + dir.resolve("goto.data"), "-initial-api-key=" + key, "-access-log=" + accessLog}, Map.of());
        try (RunningGoto app = RunningGoto.start(config)) {
            java.net.http.HttpResponse<String> shorten = app.get("/rest/v3/short-urls/shorten?apiKey=" + key
                    + "&longUrl=https%3A%2F%2Fexample.com%2F&format=txt");
            assertThat(shorten.statusCode()).isEqualTo(200);
            assertThat(shorten.body()).startsWith("http://");
            java.net.http.HttpResponse<String> list = app.get("/rest/v3/short-urls?APIKEY=" + key + "&page=1");
            assertThat(list.statusCode()).isEqualTo(401);
            assertThat(list.body()).contains("missing-authentication").contains("only on GET /rest/v3/short-urls/shorten")
                    .contains("X-Api-Key");
            assertThat(app.get("/rest/v3/events?ticket=" + key).statusCode()).isEqualTo(401);
            assertThat(app.shutdown()).isTrue();
        }
        List<String> lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(String.join("\n", lines)).doesNotContain(key);
        assertThat(lines.get(0)).matches(LINE.formatted(
                "GET /rest/v3/short-urls/shorten\\?apiKey=\\*\\*\\*&longUrl=https%3A%2F%2Fexample\\.com%2F&format=txt", 200));
        assertThat(lines.get(1)).matches(LINE.formatted("GET /rest/v3/short-urls\\?APIKEY=\\*\\*\\*&page=1", 401));
        assertThat(lines.get(2)).matches(LINE.formatted("GET /rest/v3/events\\?ticket=\\*\\*\\*", 401));
    }

    /**
     * A query's parameter names are percent-decoded before they are read, so {@code api%4Bey=...}
     * is the key to the shorten route as {@code apiKey=...} is: the log must not show it either.
     */
    @Test
    void anApiKeyUnderAPercentEncodedNameIsNeverLogged() throws Exception {
        Path accessLog = dir.resolve("access.log");
        String key = "k3y-under-an-encoded-name-0123456789";
        Config config = Cli.serveConfig(new String[] {"-http=127.0.0.1:0", "-admin=off", "-host=" + RunningGoto.HOST,
                "-file=" + dir.resolve("goto.data"), "-initial-api-key=" + key, "-access-log=" + accessLog}, Map.of());
        try (RunningGoto app = RunningGoto.start(config)) {
            assertThat(app.get("/rest/v3/short-urls/shorten?api%4Bey=" + key + "&longUrl=https%3A%2F%2Fexample.com%2F&format=txt")
                    .statusCode()).isEqualTo(200);
            assertThat(app.get("/rest/v3/short-urls/shorten?longUrl=https%3A%2F%2Fexample.com%2Fb&%61pi%4bey=" + key)
                    .statusCode()).isEqualTo(200);
            assertThat(app.get("/rest/v3/events?%74icket=" + key).statusCode()).isEqualTo(401);
            assertThat(app.shutdown()).isTrue();
        }
        List<String> lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(String.join("\n", lines)).doesNotContain(key);
        assertThat(lines.get(0)).matches(LINE.formatted(
                "GET /rest/v3/short-urls/shorten\\?api%4Bey=\\*\\*\\*&longUrl=https%3A%2F%2Fexample\\.com%2F&format=txt", 200));
        assertThat(lines.get(1)).matches(LINE.formatted(
                "GET /rest/v3/short-urls/shorten\\?longUrl=https%3A%2F%2Fexample\\.com%2Fb&%61pi%4bey=\\*\\*\\*", 200));
    }

    @Test
    void aDashWritesTheAccessLogToStandardError() throws Exception {
        try (StderrCapture stderr = StderrCapture.start();
             RunningGoto app = RunningGoto.start(RunningGoto.config(null).withAccessLog(Path.of("-")))) {
            assertThat(app.get("/nosuchkey-on-stderr").statusCode()).isEqualTo(404);
            assertThat(app.shutdown()).isTrue();
            assertThat(stderr.text()).containsPattern(LINE.formatted("GET /nosuchkey-on-stderr", 404));
        }
    }

    @Test
    void noAccessLogUnlessAsked() throws Exception {
        try (StderrCapture stderr = StderrCapture.start(); RunningGoto app = RunningGoto.inMemory()) {
            assertThat(app.get("/nosuchkey-unlogged").statusCode()).isEqualTo(404);
            assertThat(app.shutdown()).isTrue();
            assertThat(stderr.text()).doesNotContain("nosuchkey-unlogged");
        }
    }
}
