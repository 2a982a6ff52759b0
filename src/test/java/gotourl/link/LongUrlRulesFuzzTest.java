package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the long-URL rules: thousands of generated inputs a run, each checked
 * against invariants that must hold for every input, not against an expected value.
 * <ul>
 *   <li>the rules never throw, and give a stored URL or a one-line reason, never both;</li>
 *   <li>a stored URL is printable ASCII within the length limit, is stored unchanged when it is
 *       checked again (the stored form is a fixed point), and names the same host as the input
 *       did: following it goes where the browser would have gone with what was submitted;</li>
 *   <li>a host a browser reads one way (from the recorded table, {@link UrlStandardTableTest})
 *       is read the same way whatever follows it: no path, query or fragment changes the host or
 *       makes goto refuse the URL.</li>
 * </ul>
 * Inputs come from a seeded generator, so a failure is reproducible: its message gives the seed,
 * and {@code -Dgoto.fuzz.seed=N} replays it. A failing input is shrunk by deleting characters
 * while it still fails, so the report shows a small one. Plain JUnit: the suite keeps one test
 * framework.
 */
class LongUrlRulesFuzzTest {
    private static final int CASES = 4000;
    private static final long SEED = Long.getLong("goto.fuzz.seed", System.nanoTime());
    private static final LongUrlRules RULES = new LongUrlRules(SelfAddresses.NONE);
    private static final Pattern PLAIN_HOST_ROW = Pattern.compile("https?://([^/\\\\?#@:\\[\\]\\s]+|\\[[0-9A-Fa-f:.]+\\])/");

    /** Inputs of the recorded table, and the hosts browsers read from its simple "http://HOST/" rows. */
    private static List<String> tableInputs;
    private static Map<String, String> hostsAsBrowsersReadThem;

    @BeforeAll
    static void readTable() throws IOException {
        tableInputs = new ArrayList<>();
        Map<String, String> hosts = new java.util.LinkedHashMap<>();
        for (String[] row : UrlStandardTableTest.read()) {
            tableInputs.add(row[0]);
            Matcher plain = PLAIN_HOST_ROW.matcher(row[0]);
            if (plain.matches() && !row[1].equals("FAIL")) {
                hosts.put(plain.group(1), hostOf(row[1]));
            }
        }
        hostsAsBrowsersReadThem = Map.copyOf(hosts);
        assertThat(hostsAsBrowsersReadThem).hasSizeGreaterThan(80);
    }

    @Test
    void anyTextIsStoredAsABrowserWouldOrRefusedWithAReason() {
        forAll("any text", random -> text(random, 1 + random.nextInt(60)), this::rulesHold);
    }

    @Test
    void urlShapedTextIsStoredAsABrowserWouldOrRefusedWithAReason() {
        forAll("URL-shaped text", LongUrlRulesFuzzTest::urlShaped, this::rulesHold);
    }

    @Test
    void mutatedTableCasesAreStoredAsABrowserWouldOrRefusedWithAReason() {
        forAll("a table case, mutated", random -> mutate(random, tableInputs.get(random.nextInt(tableInputs.size()))),
                this::rulesHold);
    }

    @Test
    void whatFollowsTheHostNeverChangesIt() {
        List<String> hosts = List.copyOf(hostsAsBrowsersReadThem.keySet());
        forAll("a known host and any path, query and fragment", random -> {
            String host = hosts.get(random.nextInt(hosts.size()));
            return pick(random, "http://", "https://", "HTTP://", "http:", "https:\\\\") + host
                    + (random.nextBoolean() ? "" : ":" + random.nextInt(65536))
                    + pick(random, "/", "?", "#", "\\") + noise(random, random.nextInt(40));
        }, input -> {
            String failure = rulesHold(input);
            if (failure != null) {
                return failure;
            }
            LongUrlRules.Verdict verdict = RULES.check(input);
            if (!verdict.accepted()) {
                return "refused, though only a path, query or fragment follows a valid host: " + verdict.problem();
            }
            String expected = hostsAsBrowsersReadThem.get(hostInputOf(input));
            String stored = hostOf(verdict.url());
            return expected.equals(stored) ? null : "stored host " + stored + ", a browser reads " + expected;
        });
    }

    /** The invariants every input must meet; null when it does, else what broke. */
    private String rulesHold(String input) {
        LongUrlRules.Verdict verdict;
        try {
            verdict = RULES.check(input);
        } catch (RuntimeException | Error e) {
            return "threw " + e;
        }
        if ((verdict.url() == null) == (verdict.problem() == null)) {
            return "gave both or neither of a URL and a reason: " + verdict;
        }
        if (!verdict.accepted()) {
            String problem = verdict.problem();
            if (problem.isBlank() || problem.contains("\n") || problem.contains("\r") || problem.length() > 500) {
                return "a reason that is not one readable line: " + problem;
            }
            return null;
        }
        String stored = verdict.url();
        if (stored.length() > LongUrlRules.MAX_URL_CHARS || !stored.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return "stored a URL that is not printable ASCII within the limit: " + UrlStandardTableTest.shown(stored);
        }
        LongUrlRules.Verdict again = RULES.check(stored);
        if (!stored.equals(again.url())) {
            return "the stored form " + stored + " is not stored unchanged when checked again: " + again;
        }
        try {
            Host submitted = WebUrl.parse(input).host();
            Host followed = WebUrl.parse(stored).host();
            if (!submitted.equals(followed)) {
                return "following the stored URL goes to " + followed + ", the submitted one to " + submitted;
            }
        } catch (InvalidUrlException e) {
            return "accepted, but does not parse: " + e.getMessage();
        }
        return null;
    }

    private static void forAll(String what, Function<RandomGenerator, String> generator, Function<String, String> property) {
        RandomGenerator random = new java.util.SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            String input = generator.apply(random);
            String failure = property.apply(input);
            if (failure != null) {
                String smallest = shrink(input, property);
                throw new AssertionError(what + ", case " + i + " of seed " + SEED + " (replay: -Dgoto.fuzz.seed=" + SEED + "):\n"
                        + "  input:     " + UrlStandardTableTest.shown(input) + "\n"
                        + "  shrunk to: " + UrlStandardTableTest.shown(smallest) + "\n"
                        + "  which " + property.apply(smallest));
            }
        }
    }

    /** Deletes runs of characters, longest first, as long as the input still fails the same way. */
    private static String shrink(String input, Function<String, String> property) {
        String kind = kind(property.apply(input));
        Function<String, Boolean> stillFails = candidate -> {
            try {
                return kind.equals(kind(property.apply(candidate)));
            } catch (RuntimeException | AssertionError otherFailure) {
                return false;
            }
        };
        String smallest = input;
        for (int run = Math.max(1, smallest.length() / 2); run >= 1; run /= 2) {
            boolean shrunk = true;
            while (shrunk) {
                shrunk = false;
                for (int at = 0; at + run <= smallest.length(); at++) {
                    String candidate = smallest.substring(0, at) + smallest.substring(at + run);
                    if (stillFails.apply(candidate)) {
                        smallest = candidate;
                        shrunk = true;
                        break;
                    }
                }
            }
        }
        return smallest;
    }

    /** The start of a failure's description, which names what broke before the details. */
    private static String kind(String failure) {
        return failure == null ? "" : failure.substring(0, Math.min(24, failure.length()));
    }

    // ---- generators ------------------------------------------------------------------------

    private static final String[] SCHEMES = {"http://", "https://", "HTTP://", "hTtPs://", "http:", "http:/", "http:\\\\",
            "http:///", " http://", "\thttp://", "https:\\/", "ftp://", "javascript:", "http//", "//", ""};
    private static final String[] HOST_PIECES = {"example", "com", "a", "B", ".", "..", "-", "_", "xn--", "xn--ls8h", "xn--a",
            "0", "1", "09", "0x7f", "0X", "255", "256", "4294967295", "127.0.0.1", "[::1]", "[", "]", "::", "ffff", "%", "%2e",
            "%41", "%zz", "%00", "%E2%84%80", "%EF%BC%8F", "ß", "ς", "Σ", "İ", "ü", "é", "e\u0301", "\u0301", "ｆ", "Ａ", "／",
            "。", "．", "：", "＠", "℀", "㏂", "\u200d", "\u200c", "\u00ad", "\ufeff", "ا", "א", "١", "日本", "💩", "\ufffd",
            "\ud800", "\udc00", " ", "\t", "\n", "\u0000", "\u007f", "\u00a0", "\u3000", "@", ":", "!", "*", "~", "'", "\""};
    private static final String[] REST_PIECES = {"/", "\\", ".", "..", "%2e", "%2E%2e", "a", "Z", "?", "#", "&", "=", " ",
            "\"", "'", "<", ">", "`", "^", "{", "}", "|", "[", "]", "@", ":", ";", "%", "%20", "%zz", "%c3%a9", "é", "ß",
            "日本", "💩", "\ud800", "\u0000", "\u001f", "\u007f", "\u0085", "\u00a0", "\u200d", "\u202e", "\t", "\n", "\r",
            "+", "~", "$", "!", "*", "(", ")", ","};

    private static String urlShaped(RandomGenerator random) {
        StringBuilder out = new StringBuilder(pick(random, SCHEMES));
        if (random.nextInt(8) == 0) {
            out.append(pick(random, "user", "", ":", "a:b", "@", "goto.test")).append('@');
        }
        int pieces = 1 + random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            if (i > 0 && random.nextInt(3) > 0) {
                out.append('.');
            }
            out.append(pick(random, HOST_PIECES));
        }
        if (random.nextInt(4) == 0) {
            out.append(':').append(pick(random, "", "0", "80", "443", "8080", "65535", "65536", "99999999999", "x", "08", "\t1"));
        }
        if (random.nextBoolean()) {
            out.append(pick(random, "/", "?", "#", "\\")).append(noise(random, random.nextInt(12)));
        }
        return out.toString();
    }

    private static String noise(RandomGenerator random, int pieces) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            out.append(random.nextInt(4) == 0 ? text(random, 1) : pick(random, REST_PIECES));
        }
        return out.toString();
    }

    private static String mutate(RandomGenerator random, String input) {
        StringBuilder out = new StringBuilder(input);
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> out.insert(at, random.nextBoolean() ? text(random, 1) : pick(random, HOST_PIECES));
                case 1 -> {
                    if (at < out.length()) {
                        out.deleteCharAt(at);
                    }
                }
                case 2 -> out.insert(at, pick(random, REST_PIECES));
                default -> {
                    if (at < out.length()) {
                        char c = out.charAt(at);
                        out.setCharAt(at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                    }
                }
            }
        }
        return out.toString();
    }

    /** Code points from every region that matters to a URL parser, lone surrogates included. */
    private static String text(RandomGenerator random, int length) {
        StringBuilder out = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(9)) {
                case 0 -> out.append((char) random.nextInt(0x20));                  // C0 controls
                case 1, 2 -> out.append((char) (0x20 + random.nextInt(0x5F)));     // printable ASCII
                case 3 -> out.append(":/?#[]@!$&'()*+,;=%\\^`{|}<>\" .".charAt(random.nextInt(30)));
                case 4 -> out.append((char) (0x7F + random.nextInt(0x81)));        // DEL, C1, Latin-1
                case 5 -> out.append((char) (0x100 + random.nextInt(0xD700)));     // the rest of the BMP below surrogates
                case 6 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000)); // supplementary planes
                case 7 -> out.append((char) (0xD800 + random.nextInt(0x800)));      // a lone surrogate
                default -> out.append((char) (0xFE00 + random.nextInt(0x200)));    // forms: full-width, specials, BOM
            }
        }
        return out.toString();
    }

    private static String pick(RandomGenerator random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String hostOf(String href) {
        try {
            return WebUrl.parse(href).host().serialized();
        } catch (InvalidUrlException e) {
            throw new AssertionError("the table's own answer does not parse: " + href, e);
        }
    }

    /** The host as typed in an input built by {@link #whatFollowsTheHostNeverChangesIt}. */
    private static String hostInputOf(String input) {
        for (String host : hostsAsBrowsersReadThem.keySet()) {
            for (String scheme : List.of("http://", "https://", "HTTP://", "http:", "https:\\\\")) {
                if (input.startsWith(scheme + host)) {
                    String rest = input.substring(scheme.length() + host.length());
                    if (rest.isEmpty() || ":/?#\\".indexOf(rest.charAt(0)) >= 0) {
                        return host;
                    }
                }
            }
        }
        throw new AssertionError("no known host starts " + input);
    }
}
