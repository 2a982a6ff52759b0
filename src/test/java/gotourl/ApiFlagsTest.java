package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -cors-allow-origin} and {@code -delete-short-url-threshold}: the REST API's two flags. */
class ApiFlagsTest {

    @Test
    void theDefaultsAreShlinks() {
        gotourl.api.ApiOptions api = Cli.serveApiOptions(new String[0], Map.of());
        assertThat(api.corsAllowOrigin()).isEqualTo("*");
        assertThat(api.deleteShortUrlThreshold()).isNull();
    }

    @Test
    void flagsAndEnvironmentSetThem() {
        gotourl.api.ApiOptions api = Cli.serveApiOptions(new String[] {"-cors-allow-origin=https://a.example,https://b.example",
            "--delete-short-url-threshold", "15"}, Map.of());
        assertThat(api.corsAllowOrigin()).isEqualTo("https://a.example,https://b.example");
        assertThat(api.deleteShortUrlThreshold()).isEqualTo(15);
        assertThat(Cli.serveApiOptions(new String[0], Map.of("GOTO_DELETE_SHORT_URL_THRESHOLD", "3")).deleteShortUrlThreshold())
                .isEqualTo(3);
    }

    @Test
    void aNegativeThresholdStopsGotoWithExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"-delete-short-url-threshold=-1", "-file=:memory:"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new StopSignal());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("threshold").contains("-1");
    }
}
