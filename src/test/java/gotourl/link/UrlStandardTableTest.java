package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * goto reads each URL of {@code url-standard.tsv} exactly as a browser's parser does: the same
 * serialization where it accepts, a refusal where it fails. The expected values are
 * {@code new URL(input).href} of the Standard's reference implementation (whatwg-url), which is
 * Node's own answer too except in a few noted rows where Node 20 lags the Standard; recorded by
 * {@code src/test/node/url-standard-table.mjs}: hosts (IDNA, IPv4 and IPv6 in their many spellings),
 * ports, credentials, paths, queries and fragments with non-ASCII, reserved and unusual
 * characters, the cases of public bug reports, and 1,500 seeded random ones.
 */
class UrlStandardTableTest {
    private static final String TABLE = "url-standard.tsv";
    private static final LongUrlRules RULES = new LongUrlRules(SelfAddresses.NONE);

    static Stream<Arguments> table() throws IOException {
        return read().stream().map(row -> Arguments.of(shown(row[0]), row[0], row[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void readsTheUrlAsABrowserDoes(String shown, String input, String expected) {
        if (expected.equals("FAIL")) {
            InvalidUrlException refused = catchThrowableOfType(InvalidUrlException.class, () -> WebUrl.parse(input));
            assertThat(refused).as("a browser refuses %s", shown).isNotNull();
            assertThat(refused.kind()).isNotEqualTo(InvalidUrlException.Kind.SCHEME);
            assertThat(RULES.check(input).accepted()).isFalse();
            assertThat(RULES.check(input).problem()).isNotBlank();
            return;
        }
        WebUrl url = parse(input);
        assertThat(url.href()).as("href of %s", shown).isEqualTo(expected);
        LongUrlRules.Verdict verdict = RULES.check(input);
        if (url.hasCredentials()) {
            assertThat(verdict.problem()).contains("user name or password");
        } else {
            assertThat(verdict.problem()).isNull();
            assertThat(verdict.url()).as("stored form of %s", shown).isEqualTo(expected);
        }
    }

    @Test
    void theTableCoversWhatItClaims() throws IOException {
        List<String[]> rows = read();
        assertThat(rows).hasSizeGreaterThan(1500);
        assertThat(rows).filteredOn(row -> row[1].equals("FAIL")).hasSizeGreaterThan(300);
        assertThat(rows).filteredOn(row -> !row[1].equals("FAIL")).hasSizeGreaterThan(800);
        assertThat(rows).extracting(row -> row[0]).contains("http://faß.de/", "http://ς.com/",
                "https://matrix.to/#/#room:example.org", "http://x%EF%BC%8F:%C3%A9", "https://%E2%84%80.example/");
    }

    private static WebUrl parse(String input) {
        try {
            return WebUrl.parse(input);
        } catch (InvalidUrlException e) {
            throw new AssertionError("a browser accepts " + shown(input) + " but goto refused it: " + e.getMessage(), e);
        }
    }

    static List<String[]> read() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = UrlStandardTableTest.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IOException(TABLE + " is not on the test classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != 2 && !(fields.length == 3 && fields[2].startsWith("node: "))) {
                    throw new IOException(TABLE + ": not INPUT<TAB>HREF[<TAB>node: HREF]: " + line);
                }
                rows.add(new String[] {unescape(fields[0]), unescape(fields[1])});
            }
        }
        return rows;
    }

    /** The table's escapes: \\, \t, \n, \r and \\uXXXX. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = field.charAt(++i);
            switch (escaped) {
                case '\\' -> out.append('\\');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + escaped + " in " + field);
            }
        }
        return out.toString();
    }

    /** A test name that shows controls and lone surrogates as escapes. */
    static String shown(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
