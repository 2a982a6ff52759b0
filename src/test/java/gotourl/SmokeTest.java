package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addThenRedirect() throws Exception {
        try (RunningGoto app = RunningGoto.inMemory()) {
            String key = app.addKey("https://example.com/x");
            HttpResponse<String> redirect = app.get("/" + key);
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains("https://example.com/x");
        }
    }
}
