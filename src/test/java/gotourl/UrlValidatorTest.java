package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlValidatorTest {
    private final UrlValidator validator = new UrlValidator(ShortUrlBase.parse("goto.test"));

    /** Bad URLs and a phrase the refusal must contain, so the user learns what to change. */
    static Stream<Arguments> badUrls() {
        return Stream.of(
                Arguments.of("relative path", "/just/a/path", "not absolute"),
                Arguments.of("host without scheme", "example.com/page", "not absolute"),
                Arguments.of("ftp", "ftp://example.com/file", "scheme 'ftp' is not allowed"),
                Arguments.of("javascript", "javascript:alert(document.cookie)", "scheme 'javascript' is not allowed"),
                Arguments.of("data", "data:text/html,<script>alert(1)</script>", "scheme 'data' is not allowed"),
                Arguments.of("file", "file:///etc/passwd", "scheme 'file' is not allowed"),
                Arguments.of("mailto", "mailto:someone@example.com", "scheme 'mailto' is not allowed"),
                Arguments.of("scheme-relative", "//example.com/page", "not absolute"),
                Arguments.of("no slashes after scheme", "http:example.com", "has no host"),
                Arguments.of("backslashes for slashes", "http:\\\\example.com\\page", "has no host"),
                Arguments.of("empty host", "http:///path", "no valid host"),
                Arguments.of("scheme only", "https://", "url"),
                Arguments.of("space", "https://example.com/a page", "space at position 21"),
                Arguments.of("space in host", "https://exa mple.com/", "space"),
                Arguments.of("no-break space", "https://example.com/\u00a0x", "space"),
                Arguments.of("NUL", "https://example.com/\u0000", "control character U+0000"),
                Arguments.of("tab", "https://example.com/a\tb", "control character U+0009"),
                Arguments.of("newline (header injection)", "https://example.com/\r\nSet-Cookie: x=1", "control character U+000D"),
                Arguments.of("DEL", "https://example.com/\u007f", "control character U+007F"),
                Arguments.of("C1 control", "https://example.com/\u0085", "control character U+0085"),
                Arguments.of("user and password", "https://user:secret@example.com/", "user name or password"),
                Arguments.of("host-looking user name", "https://paypal.com@evil.example/login", "user name or password"),
                Arguments.of("goto's host as user name", "http://goto.test@evil.example/", "user name or password"),
                Arguments.of("port 0", "https://example.com:0/", "port 0 is outside 1-65535"),
                Arguments.of("port too large", "https://example.com:70000/", "port 70000 is outside 1-65535"),
                Arguments.of("backslash before @", "https://example.com\\@evil.example/", "malformed"),
                Arguments.of("too long", "https://example.com/" + "x".repeat(UrlValidator.MAX_URL_CHARS), "the limit is 8192"),
                Arguments.of("too long once percent-encoded", "https://example.com/" + "\u00e9".repeat(2000), "the limit is 8192"),
                Arguments.of("goto itself", "http://goto.test/a", "points at this goto"),
                Arguments.of("goto itself, upper case", "HTTP://GOTO.TEST/a", "points at this goto"),
                Arguments.of("goto itself, explicit port", "http://goto.test:80/add?url=x", "points at this goto"),
                Arguments.of("goto itself, trailing dot", "http://goto.test./a", "points at this goto"),
                Arguments.of("goto itself, trailing dot and port", "http://Goto.Test.:80/a", "points at this goto"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUrls")
    void refusesBadUrlsSayingWhy(String kind, String url, String reason) {
        UrlValidator.Verdict verdict = validator.check(url);
        assertThat(verdict.accepted()).as("accepted %s", url).isFalse();
        assertThat(verdict.url()).isNull();
        assertThat(verdict.problem()).contains(reason);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void refusesAMissingUrlAndSaysWhichFieldToSend(String url) {
        UrlValidator.Verdict verdict = validator.check(url);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.problem()).contains("missing url").contains("'url'");
    }

    static Stream<Arguments> goodUrls() {
        return Stream.of(
                Arguments.of("https://example.com", "https://example.com"),
                Arguments.of("http://example.com/", "http://example.com/"),
                Arguments.of("HTTPS://Example.COM/Path", "HTTPS://Example.COM/Path"),
                Arguments.of("http://example.com:8080/path?q=1&r=two#section-2", "http://example.com:8080/path?q=1&r=two#section-2"),
                Arguments.of("https://example.com/?email=someone@example.org", "https://example.com/?email=someone@example.org"),
                Arguments.of("https://example.com/a%20b?x=%2F", "https://example.com/a%20b?x=%2F"),
                Arguments.of("http://[::1]:8080/v6", "http://[::1]:8080/v6"),
                Arguments.of("http://192.0.2.7/ip", "http://192.0.2.7/ip"),
                Arguments.of("  https://example.com/trimmed \n", "https://example.com/trimmed"),
                Arguments.of("https://b\u00fccher.example/stra\u00dfe?q=\u00e4#\u00fc", "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4#%C3%BC"),
                Arguments.of("https://\u4f8b\u3048.jp/", "https://xn--r8jz45g.jp/"),
                Arguments.of("https://example.com/a|b{c}^`\"<>", "https://example.com/a%7Cb%7Bc%7D%5E%60%22%3C%3E"),
                // goto's host on another port, and another host under goto's name, are other services.
                Arguments.of("http://goto.test:8080/a", "http://goto.test:8080/a"),
                Arguments.of("https://goto.test/a", "https://goto.test/a"),
                Arguments.of("http://www.goto.test/a", "http://www.goto.test/a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodUrls")
    void acceptsGoodUrlsInTheFormABrowserWouldSend(String url, String stored) {
        UrlValidator.Verdict verdict = validator.check(url);
        assertThat(verdict.problem()).isNull();
        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.url()).isEqualTo(stored);
    }

    @Test
    void theLengthLimitIsInclusive() {
        String head = "https://example.com/";
        String longest = head + "x".repeat(UrlValidator.MAX_URL_CHARS - head.length());
        assertThat(validator.check(longest).url()).isEqualTo(longest);
        assertThat(validator.check(longest + "x").problem()).contains("8193 characters long");
    }

    @Test
    void refusesLinksToItsOwnHostAndPortWhateverTheySpelling() {
        UrlValidator onPort = new UrlValidator(ShortUrlBase.parse("localhost:3000"));
        assertThat(onPort.check("http://localhost:3000/a").problem()).contains("points at this goto (localhost:3000)");
        assertThat(onPort.check("http://LocalHost.:3000/a").accepted()).isFalse();
        assertThat(onPort.check("http://localhost/a").accepted()).isTrue();
        assertThat(onPort.check("http://localhost:3001/a").accepted()).isTrue();

        UrlValidator behindTls = new UrlValidator(ShortUrlBase.parse("https://go.example.com"));
        assertThat(behindTls.check("https://go.example.com/a").accepted()).isFalse();
        assertThat(behindTls.check("https://go.example.com.:443/a").accepted()).isFalse();
        assertThat(behindTls.check("https://example.com/a").accepted()).isTrue();

        UrlValidator dottedHostFlag = new UrlValidator(ShortUrlBase.parse("goto.test.:8000"));
        assertThat(dottedHostFlag.check("http://goto.test:8000/a").accepted()).isFalse();
    }
}
