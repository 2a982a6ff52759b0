package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The one-pass parse of common URLs ({@link CommonUrls}) against the Standard's full parser
 * ({@link UrlParser#parseFully}), differentially: for every input, the fast path either declines
 * (and the full parser decides, refusals included) or gives exactly the URL the full parser gives.
 * Inputs: every row of the recorded browser table, and seeded generated URLs of the common shape
 * with tricky characters mixed in (ports, credentials, dot segments, characters each encode set
 * encodes, IPv4-looking hosts, non-ASCII that folds to ASCII). {@code -Dgoto.fuzz.seed=N} replays a
 * failing seed.
 */
class CommonUrlsTest {
    private static final int CASES = 200_000;
    private static final long SEED = Long.getLong("goto.fuzz.seed", System.nanoTime());

    @Test
    void everyRecordedTableRowParsesAsTheFullParserDoes() throws IOException {
        int fast = 0;
        for (String[] row : UrlStandardTableTest.read()) {
            fast += sameAsFullParser(row[0]) ? 1 : 0;
        }
        assertThat(fast).as("table rows of the common shape").isGreaterThan(20);
    }

    @Test
    void generatedUrlsParseAsTheFullParserDoes() {
        RandomGenerator random = new java.util.SplittableRandom(SEED);
        int fast = 0;
        for (int i = 0; i < CASES; i++) {
            String input = url(random);
            try {
                fast += sameAsFullParser(input) ? 1 : 0;
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " of seed " + SEED + " (replay: -Dgoto.fuzz.seed=" + SEED + "): "
                        + e.getMessage(), e);
            }
        }
        // The generator makes common URLs more often than not: the fast path must take most of those.
        assertThat(fast).as("generated inputs that took the fast path").isGreaterThan(CASES / 5);
    }

    @Test
    void urlsOfTheCommonShapeTakeTheFastPath() throws InvalidUrlException {
        for (String url : List.of("https://example.com/articles/1/some-page-name?ref=import", "HTTP://Example.COM",
                "http://a.b/c?#", "https://x_y.example/%41?q=%27#f'", "http://a.b-c.d/p;q=1,2|[x]?a=b&c#frag#2")) {
            assertThat(CommonUrls.parse(url)).as(url).isNotNull().isEqualTo(UrlParser.parseFully(url));
        }
        assertThat(WebUrl.parse("HTTPS://Example.COM").href()).isEqualTo("https://example.com/");
    }

    @Test
    void lookalikesAreLeftToTheFullParser() {
        for (String url : List.of("httpſ://example.com/", "http://example.com./", "http://1.2.3.4/", "http://a.0x7f/",
                "http://example.com:443/", "http://u@example.com/", "http://example.com/a/../b", "http://example.com/%2E/",
                "http://example.com/a b", "http://example.com/\\x", "http://ex%41mple.com/", "http:/example.com/",
                "http:///example.com/", " http://example.com/", "http://example.com/\t", "http://exämple.com/",
                "http://example.com/?a'b", "http://example.com/#a`b", "http://example.com/^")) {
            assertThat(CommonUrls.parse(url)).as(url).isNull();
        }
    }

    /**
     * The shapes where a one-pass parse could go wrong, each either declined or parsed as the full
     * parser parses it: international and punycode hosts (an ASCII {@code xn--} label, even one
     * that is not valid Punycode, is kept as typed, lower-cased), percent-escapes, ports (default
     * ones dropped), every IPv4 form, dot segments, upper case, backslashes, empty labels.
     */
    @Test
    void theTrickyShapesParseAsTheFullParserDoes() throws InvalidUrlException {
        List<String> inputs = List.of("http://xn--zz.com/", "http://XN--LS8H.la/", "http://xn--/", "http://a.xn--a/",
                "http://Xn--Bcher-Kva.Example/a", "http://bücher.example/", "http://BÜCHER.example/", "http://💩.la/",
                "http://ｅxample.com/", "http://ex%41mple.com/", "http://example%2Ecom/", "http://example.com/%41%zz%",
                "http://example.com/a%2fb", "http://example.com/?q=%20&r=%", "http://example.com/#%zz", "http://example.com:80/",
                "https://example.com:443/", "http://example.com:8080/", "http://example.com:/", "http://example.com:0080/",
                "http://127.0.0.1/", "http://127.1/", "http://0x7f.1/", "http://0177.0.0.1/", "http://2130706433/",
                "http://1.2.3.4./", "http://a.1/", "http://a.0x/", "http://a.0xg/", "http://1.2.3.a/", "http://a.b1/",
                "http://example.com/a/./b", "http://example.com/a/../b", "http://example.com/a/%2e%2E/b", "http://example.com/a/.%2e/b",
                "http://example.com/..", "http://example.com/.hidden", "http://example.com/a..b", "http://example.com/a/..?x",
                "HTTP://EXAMPLE.COM/PATH?Q#F", "http:\\\\example.com\\a\\b", "http://example.com\\a", "http:example.com",
                "http:/example.com", "http://example.com/a\\b", "http://a..b/", "http://.a/", "http://a_b-c.example/",
                "http://-.example/", "http://example.com?#", "http://example.com#", "http://example.com/?", "http://example.com/a b",
                "http://[::1]/", "http://u:p@example.com/", "http://@example.com/", "http://example.com/\u00e9",
                "http://example.com/?\u00e9", "http://example.com/#\u00e9");
        for (String input : inputs) {
            sameAsFullParser(input);
        }
        for (String common : List.of("http://xn--zz.com/", "http://XN--LS8H.la/", "HTTP://EXAMPLE.COM/PATH?Q#F", "http://a..b/",
                "http://example.com/%41%zz%", "http://1.2.3.a/")) {
            assertThat(CommonUrls.parse(common)).as(common + " is of the common shape").isNotNull();
        }
        assertThat(WebUrl.parse("http://XN--LS8H.la/").href()).isEqualTo("http://xn--ls8h.la/");
    }

    /**
     * {@link WebUrl#hrefEquals} says what comparing with {@link WebUrl#href} says, for every URL of
     * the recorded table that parses (credentials, ports, IDNA hosts, encodings and all), for its
     * serialization, and for near misses of it (a character more, fewer or changed at each end).
     */
    @Test
    void hrefEqualsIsComparingTheSerialization() throws IOException {
        int equal = 0;
        for (String[] row : UrlStandardTableTest.read()) {
            WebUrl url;
            try {
                url = UrlParser.parseFully(row[0]);
            } catch (InvalidUrlException refused) {
                continue;
            }
            String href = url.href();
            for (String text : List.of(row[0], href, href + "x", href + "#", href + "?", href.substring(0, href.length() - 1),
                    "x" + href, href.toUpperCase(java.util.Locale.ROOT), href.replace("://", ":/"))) {
                assertThat(url.hrefEquals(text)).as(UrlStandardTableTest.shown(row[0]) + " against " + text)
                        .isEqualTo(href.equals(text));
                equal += href.equals(text) ? 1 : 0;
            }
        }
        assertThat(equal).as("texts equal to their URL's serialization").isGreaterThan(100);
    }

    /** True when the fast path took {@code input}; fails when it took it and differs from the full parser. */
    private static boolean sameAsFullParser(String input) {
        WebUrl fast = CommonUrls.parse(input);
        if (fast == null) {
            return false;
        }
        WebUrl full;
        try {
            full = UrlParser.parseFully(input);
        } catch (InvalidUrlException e) {
            throw new AssertionError(UrlStandardTableTest.shown(input) + ": the fast path gave " + fast.href()
                    + ", the full parser refuses it: " + e.getMessage());
        }
        assertThat(fast).as(UrlStandardTableTest.shown(input)).isEqualTo(full);
        assertThat(fast.href()).as(UrlStandardTableTest.shown(input)).isEqualTo(full.href());
        assertThat(fast.hrefEquals(input)).as("hrefEquals of " + UrlStandardTableTest.shown(input))
                .isEqualTo(full.href().equals(input));
        return true;
    }

    // ---- a generator of URLs near the common shape ----

    private static final String[] SCHEMES = {"http://", "https://", "HTTP://", "hTTps://", "http:/", "http:///", "https:\\\\",
            "httpſ://", "ftp://", " http://", "http://"};
    private static final String[] LABELS = {"example", "com", "a", "B", "xn--ls8h", "xn--zz", "XN--a", "xn--", "x-y", "-", "_", "0", "09", "0x7f", "0X",
            "255", "4294967295", "a1", "1a", "Z9", "e", "ex%41", "%2e", "ß", "é", "ｆ", "K", "ſ", "", "[::1]", "u@h", "h:80",
            "h:", "h:0443"};
    private static final String[] PATH_PIECES = {"/", "/", "/", "a", "b", "Z", "index.html", ".", "..", "%2e", "%2E", ".x",
            "%41", "%", "%zz", "-", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "[", "]", "|",
            "\\", "^", "`", "{", "}", "\"", "<", ">", " ", "\t", "\n", "\u007f", "\u0000", "é", "ſ", "💩", "\ud800"};
    private static final String[] QUERY_PIECES = {"a", "=", "&", "b", "?", "/", "'", "\"", "<", ">", "`", "^", "{", "}", "|",
            "\\", "%", "%20", " ", "é", "#", "#", "x"};

    private static String url(RandomGenerator random) {
        StringBuilder out = new StringBuilder(random.nextInt(6) == 0 ? pick(random, SCHEMES) : pick(random, "http://", "https://"));
        int labels = 1 + random.nextInt(4);
        for (int i = 0; i < labels; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(random.nextInt(4) == 0 ? pick(random, LABELS) : pick(random, "example", "com", "org", "Shop", "a-b"));
        }
        if (random.nextInt(12) == 0) {
            out.append(pick(random, ".", ":", ":8080", ":80", "@x", "%"));
        }
        int segments = random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            out.append('/');
            int pieces = random.nextInt(3);
            for (int j = 0; j < pieces; j++) {
                out.append(random.nextInt(5) == 0 ? pick(random, PATH_PIECES) : pick(random, "articles", "12", "page-name", "A"));
            }
        }
        if (random.nextInt(3) == 0) {
            out.append('?');
            int pieces = random.nextInt(5);
            for (int j = 0; j < pieces; j++) {
                out.append(random.nextInt(4) == 0 ? pick(random, QUERY_PIECES) : pick(random, "ref", "=", "import", "&"));
            }
        }
        if (random.nextInt(8) == 0) {
            out.append('#');
            int pieces = random.nextInt(4);
            for (int j = 0; j < pieces; j++) {
                out.append(random.nextInt(3) == 0 ? pick(random, QUERY_PIECES) : pick(random, "top", "x"));
            }
        }
        return out.toString();
    }

    private static String pick(RandomGenerator random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
