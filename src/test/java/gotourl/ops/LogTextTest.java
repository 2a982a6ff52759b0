package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a client sent, made safe for a log line: escaped, and cut with its length said. */
class LogTextTest {
    @Test
    void controlCharactersAndNonAsciiAreEscaped() {
        assertThat(LogText.sample("a\r\nb\tc\\d\u0000\u001b[31m\u00e9\uff0f"))
                .isEqualTo("a\\r\\nb\\tc\\\\d\\x00\\x1b[31m\\xe9\\uff0f");
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        assertThat(LogText.sample("x".repeat(20_000), 10)).isEqualTo("xxxxxxxxxx…(20000 chars)");
        assertThat(LogText.sample("short", 10)).isEqualTo("short");
        assertThat(LogText.sample("y".repeat(500))).hasSize(LogText.SAMPLE_CHARS + "…(500 chars)".length());
    }

    @Test
    void nullIsSaidSo() {
        assertThat(LogText.sample(null)).isEqualTo("null");
    }
}
