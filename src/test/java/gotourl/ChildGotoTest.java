package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildGotoTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsCleanlyWithExitCodeZeroAndKeepsTheLink() throws Exception {
        Path data = dir.resolve("goto.data");
        String key;
        try (ChildGoto child = ChildGoto.start(dir.resolve("run1.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + data)
                .awaitServing(Duration.ofSeconds(30));
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> added = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.appPort() + "/add?url=https://example.com/kept")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(200);
            key = added.body().substring(added.body().lastIndexOf('/') + 1);
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(child.log()).contains("stopped cleanly");
        }
        try (ChildGoto again = ChildGoto.start(dir.resolve("run2.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + data)
                .awaitServing(Duration.ofSeconds(30));
             HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again.appPort() + "/" + key)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains("https://example.com/kept");
        }
    }
}
