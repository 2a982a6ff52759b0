package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What goto refuses, and the words it says why in; what browsers accept is in {@link UrlStandardTableTest}. */
class LongUrlRulesTest {
    private final LongUrlRules rules = new LongUrlRules(new SelfAddresses(List.of(base("http://goto.test/", false))));

    static SelfAddresses.Endpoint base(String url, boolean explicitPort) {
        try {
            return SelfAddresses.ofBase(WebUrl.parse(url), explicitPort);
        } catch (InvalidUrlException e) {
            throw new AssertionError(e);
        }
    }

    /** Bad URLs and a phrase the refusal must contain, so the user learns what to change. */
    static Stream<Arguments> badUrls() {
        return Stream.of(
                Arguments.of("relative path", "/just/a/path", "not absolute: start it with http:// or https://"),
                Arguments.of("host without scheme", "example.com/page", "not absolute"),
                Arguments.of("scheme-relative", "//example.com/page", "not absolute"),
                Arguments.of("ftp", "ftp://example.com/file", "scheme 'ftp' is not allowed"),
                Arguments.of("javascript", "javascript:alert(document.cookie)", "scheme 'javascript' is not allowed"),
                Arguments.of("data", "data:text/html,<script>alert(1)</script>", "scheme 'data' is not allowed"),
                Arguments.of("file", "file:///etc/passwd", "scheme 'file' is not allowed"),
                Arguments.of("mailto", "mailto:someone@example.com", "scheme 'mailto' is not allowed"),
                Arguments.of("scheme only", "https://", "has no host"),
                Arguments.of("empty host after credentials", "http://user@/", "has no host"),
                Arguments.of("space in host", "https://exa mple.com/", "contains ' ', which no host may contain"),
                Arguments.of("user and password", "https://user:secret@example.com/", "user name or password"),
                Arguments.of("host-looking user name", "https://paypal.com@evil.example/login", "user name or password"),
                Arguments.of("goto's host as user name", "http://goto.test@evil.example/", "user name or password"),
                Arguments.of("port not a number", "https://example.com:http/", "port 'http' is not a number"),
                Arguments.of("port too large", "https://example.com:70000/", "port '70000' is outside 0-65535"),
                Arguments.of("full-width solidus before the port (a 500 once)", "http://x%EF%BC%8F:%C3%A9",
                        "url host 'x%EF%BC%8F' (as a browser reads it: 'x/') contains '/'"),
                Arguments.of("port not a number after a valid host", "http://x:%C3%A9/", "port '%C3%A9' is not a number"),
                Arguments.of("a host that IDNA maps to a slash (once redirected elsewhere)", "https://%E2%84%80.example/",
                        "(as a browser reads it: 'a/c.example') contains '/'"),
                Arguments.of("IPv4 with five parts", "http://1.2.3.4.5/", "must be an IPv4 address"),
                Arguments.of("IPv4 part too large", "http://1.4294967295/", "is too large"),
                Arguments.of("IPv6 unclosed", "http://[::1/", "opens '[' for an IPv6 address but does not close it"),
                Arguments.of("IPv6 with two ::", "http://[1::2::3]/", "has '::' more than once"),
                Arguments.of("a noncharacter in a domain", "http://a\ufdd0b.com/", "a character that is not allowed in domain names"),
                Arguments.of("invalid punycode beside Unicode", "http://\u00fc.xn--a.com/", "not a valid international domain name"),
                Arguments.of("zero-width joiner", "http://a\u200db.com/", "zero-width joiner"),
                Arguments.of("too long", "https://example.com/" + "x".repeat(LongUrlRules.MAX_URL_CHARS), "the limit is 8192"),
                Arguments.of("too long once percent-encoded", "https://example.com/" + "\u00e9".repeat(2000),
                        "12020 characters long once percent-encoded"),
                Arguments.of("goto itself", "http://goto.test/a", "points at this goto (goto.test)"),
                Arguments.of("goto itself, upper case", "HTTP://GOTO.TEST/a", "points at this goto"),
                Arguments.of("goto itself, explicit port", "http://goto.test:80/add?url=x", "points at this goto"),
                Arguments.of("goto itself, trailing dot", "http://goto.test./a", "points at this goto"),
                Arguments.of("goto itself, trailing dot and port", "http://Goto.Test.:80/a", "points at this goto"),
                Arguments.of("goto itself, full-width letters", "http://ｇｏｔｏ.ｔｅｓｔ/a", "points at this goto"),
                Arguments.of("goto itself, percent-encoded", "http://%67oto.test/a", "points at this goto"),
                Arguments.of("goto itself, backslashes", "http:\\\\goto.test\\a", "points at this goto"),
                Arguments.of("goto itself, no slashes", "http:goto.test/a", "points at this goto"),
                Arguments.of("goto itself over https: a host without a port is served on both", "https://goto.test/a",
                        "points at this goto"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUrls")
    void refusesBadUrlsSayingWhy(String kind, String url, String reason) {
        LongUrlRules.Verdict verdict = rules.check(url);
        assertThat(verdict.accepted()).as("accepted %s", url).isFalse();
        assertThat(verdict.url()).isNull();
        assertThat(verdict.problem()).contains(reason);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void refusesAMissingUrlAndSaysWhichFieldToSend(String url) {
        LongUrlRules.Verdict verdict = rules.check(url);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.problem()).contains("missing url").contains("'url'");
    }

    /** What the seed's validator refused or changed and a browser opens: stored as the browser would go. */
    static Stream<Arguments> goodUrls() {
        return Stream.of(
                Arguments.of("https://example.com", "https://example.com/"),
                Arguments.of("HTTPS://Example.COM/Path", "https://example.com/Path"),
                Arguments.of("http://example.com:8080/path?q=1&r=two#section-2", "http://example.com:8080/path?q=1&r=two#section-2"),
                Arguments.of("https://example.com/?email=someone@example.org", "https://example.com/?email=someone@example.org"),
                Arguments.of("https://matrix.to/#/#room:example.org", "https://matrix.to/#/#room:example.org"),
                Arguments.of("http://faß.de/", "http://xn--fa-hia.de/"),
                Arguments.of("http://ς.com/", "http://xn--3xa.com/"),
                Arguments.of("https://example.com/a page", "https://example.com/a%20page"),
                Arguments.of("https://example.com/a\tb", "https://example.com/ab"),
                Arguments.of("https://example.com/\r\nSet-Cookie: x=1", "https://example.com/Set-Cookie:%20x=1"),
                Arguments.of("http:example.com", "http://example.com/"),
                Arguments.of("https://example.com\\@evil.example/", "https://example.com/@evil.example/"),
                Arguments.of("https://example.com:0/", "https://example.com:0/"),
                Arguments.of("https://example.com/a|b{c}^`\"<>", "https://example.com/a|b%7Bc%7D%5E%60%22%3C%3E"),
                Arguments.of("http://2130706433/", "http://127.0.0.1/"),
                Arguments.of("  https://example.com/trimmed \n", "https://example.com/trimmed"),
                // goto's host on another port, and another host under goto's name, are other services.
                Arguments.of("http://goto.test:8080/a", "http://goto.test:8080/a"),
                Arguments.of("http://www.goto.test/a", "http://www.goto.test/a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodUrls")
    void acceptsWhatABrowserOpensInTheFormItGoesTo(String url, String stored) {
        LongUrlRules.Verdict verdict = rules.check(url);
        assertThat(verdict.problem()).isNull();
        assertThat(verdict.url()).isEqualTo(stored);
    }

    @Test
    void theLengthLimitIsInclusive() {
        String head = "https://example.com/";
        String longest = head + "x".repeat(LongUrlRules.MAX_URL_CHARS - head.length());
        assertThat(rules.check(longest).url()).isEqualTo(longest);
        assertThat(rules.check(longest + "x").problem()).contains("8193 characters long");
    }

    @Test
    void aBaseWithAPortIsReachedOnThatPortOnly() {
        LongUrlRules onPort = new LongUrlRules(new SelfAddresses(List.of(base("http://localhost:3000/", true))));
        assertThat(onPort.check("http://localhost:3000/a").problem()).contains("points at this goto (localhost:3000)");
        assertThat(onPort.check("http://LocalHost.:3000/a").accepted()).isFalse();
        assertThat(onPort.check("https://localhost:3000/a").accepted()).isFalse();
        assertThat(onPort.check("http://localhost/a").accepted()).isTrue();
        assertThat(onPort.check("http://localhost:3001/a").accepted()).isTrue();

        LongUrlRules behindTls = new LongUrlRules(new SelfAddresses(List.of(base("https://go.example.com/", false))));
        assertThat(behindTls.check("https://go.example.com/a").accepted()).isFalse();
        assertThat(behindTls.check("https://go.example.com.:443/a").accepted()).isFalse();
        assertThat(behindTls.check("http://go.example.com/a").accepted()).isFalse();
        assertThat(behindTls.check("https://go.example.com:8443/a").accepted()).isTrue();
        assertThat(behindTls.check("https://example.com/a").accepted()).isTrue();
    }

    @Test
    void anAddressIsMatchedInEveryForm() throws Exception {
        SelfAddresses.Endpoint loopback = new SelfAddresses.Endpoint("127.0.0.1:3000", java.util.Set.of("localhost"),
                java.util.Set.of(java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName("::1")), false,
                java.util.Set.of(3000));
        LongUrlRules onLoopback = new LongUrlRules(new SelfAddresses(List.of(loopback)));
        for (String spelling : List.of("http://127.0.0.1:3000/zz", "http://2130706433:3000/zz", "http://0x7f000001:3000/",
                "http://0x7f.1:3000/", "http://0177.0.0.1:3000/", "http://127.1:3000/", "http://１２７.０.０.１:3000/",
                "http://[::1]:3000/", "http://[0:0:0:0:0:0:0:1]:3000/", "http://[::ffff:127.0.0.1]:3000/",
                "http://[::ffff:7f00:1]:3000/", "https://localhost:3000/", "http://LOCALHOST.:3000/")) {
            assertThat(onLoopback.check(spelling).problem()).as(spelling).contains("points at this goto (127.0.0.1:3000)");
        }
        assertThat(onLoopback.check("http://127.0.0.2:3000/").accepted()).as("another loopback address, not listened on").isTrue();
        assertThat(onLoopback.check("http://127.0.0.1:3001/").accepted()).isTrue();

        SelfAddresses.Endpoint everywhere = new SelfAddresses.Endpoint("every address, port 3000", java.util.Set.of(),
                java.util.Set.of(java.net.InetAddress.getByName("192.0.2.10")), true, java.util.Set.of(3000));
        LongUrlRules onAll = new LongUrlRules(new SelfAddresses(List.of(everywhere)));
        for (String spelling : List.of("http://192.0.2.10:3000/", "http://127.0.0.2:3000/", "http://0:3000/",
                "http://0.0.0.0:3000/", "http://[::]:3000/", "http://[::1]:3000/", "http://localhost:3000/",
                "http://app.localhost:3000/")) {
            assertThat(onAll.check(spelling).accepted()).as(spelling).isFalse();
        }
        assertThat(onAll.check("http://192.0.2.11:3000/").accepted()).isTrue();
        assertThat(onAll.check("http://localhost.example:3000/").accepted()).isTrue();
    }
}
