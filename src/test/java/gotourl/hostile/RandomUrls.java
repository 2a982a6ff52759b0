package gotourl.hostile;

import java.util.List;
import java.util.Random;

/**
 * URLs built from random pieces for the fuzzer's adds: what users paste and what attackers try.
 * The same marker always gives the same URL, and the marker is in its path, so no two are alike.
 */
final class RandomUrls {
    private static final List<String> SCHEMES = List.of("http://", "https://", "HTTPS://", "ftp://", "javascript:", "data:",
            "http:/", "//", "", "http:\\\\", "h\u0000ttp://");
    private static final List<String> HOSTS = List.of("example.com", "EXAMPLE.com.", "b\u00fccher.example", "xn--bcher-kva.example",
            "\u4f8b\u3048.\u30c6\u30b9\u30c8", "127.0.0.1", "0x7f.1", "[::1]", "[fe80::1%25eth0]", "localhost", "goto.test", "",
            "user:pass@example.com", "ex%41mple.com", "a".repeat(300) + ".example", "exa mple.com", "example.com\r\nX: y",
            "\u0435xample.com", "[::ffff:10.0.0.1]", "999.999.999.999", "%00.example", "example..com");
    private static final List<String> PORTS = List.of("", "", ":80", ":443", ":0", ":65536", ":99999999999", ":abc", ":", ":8080");
    private static final List<String> TAILS = List.of("", "?q=1", "?q=%zz", "#frag", "/%2e%2e/%2e%2e/etc", "/\u00e9\u00e8",
            "?" + "x".repeat(9_000), "/a b", "/\t", "/\uff0fpath", "/\ud800", "?u=%C3%28", "/;jsessionid=1");

    private RandomUrls() {}

    static String url(String marker) {
        Random random = new Random(marker.hashCode());
        return pick(random, SCHEMES) + pick(random, HOSTS) + pick(random, PORTS) + "/" + marker + pick(random, TAILS);
    }

    private static String pick(Random random, List<String> pieces) {
        return pieces.get(random.nextInt(pieces.size()));
    }
}
