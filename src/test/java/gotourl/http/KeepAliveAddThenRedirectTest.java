package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way a script uses goto: on one keep-alive connection, add a link, follow it, add the next.
 * A durable add is answered from another thread than the redirect after it on the same
 * connection; when the redirect completed its response by succeeding the callback alone, that
 * race lost a response every few hundred pairs (a 500, or a client left waiting).
 */
class KeepAliveAddThenRedirectTest {
    private static final int PAIRS = 1_500;

    @Test
    void everyAddAndItsRedirectOnOneConnectionIsAnswered(@TempDir Path folder) throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(folder.resolve("links.data")));
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .followRedirects(HttpClient.Redirect.NEVER).build()) {
            for (int i = 0; i < PAIRS; i++) {
                String url = "https://example.com/pair/" + i;
                HttpResponse<String> added = client.send(HttpRequest.newBuilder(app.uri("/add"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(added.statusCode()).as("add %d: %s", i, added.body()).isEqualTo(200);
                String key = RunningGoto.keyOf(added.body());

                String method = i % 2 == 0 ? "GET" : "HEAD";
                URI shortUrl = app.uri("/" + key);
                HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(shortUrl).timeout(Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(redirect.statusCode()).as("%s %s after add %d", method, shortUrl, i).isEqualTo(302);
                assertThat(redirect.headers().firstValue("Location")).contains(url);
            }
        }
    }
}
