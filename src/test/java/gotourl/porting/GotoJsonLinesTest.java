package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * goto's JSON Lines read with the streaming parser ({@link GotoJsonLines}) against the tree
 * reading ({@link LinkReaders#jsonLineByTree}), differentially: every line, generated with every
 * field in every JSON type, repeated, missing, broken or followed by more, gives the same link or
 * the same refusal in the same words.
 */
class GotoJsonLinesTest {
    private static final int CASES = 20_000;
    private static final long SEED = Long.getLong("goto.fuzz.seed", System.nanoTime());

    private static final String[] NAMES = {"shortCode", "longUrl", "dateCreated", "title", "tags", "validSince", "validUntil",
            "maxVisits", "crawlable", "forwardQuery", "author", "codeOrigin", "visitsSummary", "unknown", "ShortCode", "long\\u0055rl",
            "gotoExport"};
    private static final String[] VALUES = {"null", "\"abc\"", "\"\"", "\"  \"", "\"https://example.com/a?b=c\"", "12", "-1", "0",
            "1.5", "1e3", "12345678901234567890", "1e2", "100.0", "1.25e1", "1e400", "-99999999999999999999", "1764517200", "true", "false", "\"true\"", "\"yes\"", "\"0\"", "[]", "[\"a\",\"B c\"]",
            "[1,true,null]", "[[\"x\"]]", "{}", "{\"total\":3,\"bots\":[1]}", "\"2026-11-30T15:40:00+00:00\"",
            "\"2026-11-30 15:40:00\"", "\"yesterday\"", "\"counter\"", "\"slug\"", "\"random\"", "\"ünï\\u00e9\\n\\t\"",
            "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"a\\\"b\"",
            "{\"version\":1,\"nextKey\":\"x\",\"links\":2}", "{\"nextKey\":\"aa\"}"};

    @Test
    void everyLineReadsAsTheTreeReadsIt() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        int links = 0;
        for (int i = 0; i < CASES; i++) {
            String line = line(random);
            List<String> streamed = new ArrayList<>();
            List<String> tree = new ArrayList<>();
            GotoJsonLines.line(i + 1, line, recorder(streamed));
            LinkReaders.jsonLineByTree(i + 1, line, recorder(tree));
            assertThat(streamed).as("seed " + SEED + " (replay: -Dgoto.fuzz.seed=" + SEED + "), line " + line).isEqualTo(tree);
            links += streamed.size() == 1 && streamed.getFirst().startsWith("link") ? 1 : 0;
        }
        assertThat(links).as("lines read as links, not refused").isGreaterThan(CASES / 50);
    }

    @Test
    void anExportLineIsReadWithoutTheTree() throws IOException {
        String line = "{\"shortCode\":\"a\",\"longUrl\":\"https://example.com/plain\",\"dateCreated\":\"2026-11-30T15:40:00+00:00\","
                + "\"title\":null,\"tags\":[],\"validSince\":null,\"validUntil\":null,\"maxVisits\":null,\"crawlable\":false,"
                + "\"forwardQuery\":true,\"author\":null,\"codeOrigin\":\"counter\",\"visitsSummary\":{\"total\":0,\"nonBots\":0,\"bots\":0}}";
        PortableLink link = GotoJsonLines.streamed(1, line);
        assertThat(link).isNotNull();
        assertThat(link.shortCode()).isEqualTo("a");
        assertThat(link.longUrl()).isEqualTo("https://example.com/plain");
        assertThat(GotoJsonLines.streamed(1, "[1]")).as("not an object: the tree reading's words").isNull();
        assertThat(GotoJsonLines.streamed(1, "{\"longUrl\":\"x\"} {")).as("something after the object").isNull();
    }

    private static LinkReaders.Sink recorder(List<String> events) {
        return new LinkReaders.Sink() {
            @Override
            public void link(PortableLink link) {
                events.add("link " + link);
            }

            @Override
            public void invalid(long line, String problem) {
                events.add("invalid " + line + ": " + problem);
            }

            @Override
            public void exportEnd(long line, ExportEnd end) {
                events.add("end " + line + ": " + end);
            }
        };
    }

    private static String line(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(40) == 0) {
            out.append(pick(random, "", " ", "[", "5", "\"x\"", "nul", "{\"a\":", "{,}", "\uFEFF{"));
        }
        out.append('{');
        int fields = random.nextInt(16);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                out.append(',');
            }
            boolean usual = random.nextInt(3) > 0;
            String name = usual ? NAMES[i % 12] : pick(random, NAMES);
            out.append('"').append(name).append("\":").append(usual && name.equals("longUrl") ? "\"https://example.com/" + i + "\""
                    : usual && name.equals("codeOrigin") ? "\"counter\"" : pick(random, VALUES));
        }
        out.append('}');
        if (random.nextInt(30) == 0) {
            out.append(pick(random, " ", "}", "{}", " x", "\t", ",", "//"));
        }
        if (random.nextInt(50) == 0) {
            out.deleteCharAt(random.nextInt(out.length()));
        }
        return out.toString();
    }

    private static String pick(SplittableRandom random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
