package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goto import}: URLs one per line under the next keys, or under the custom slug a line names. */
class ImportTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    private Run importFile(Path data, String lines) throws Exception {
        Path source = Files.writeString(dir.resolve("urls.txt"), lines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"import", "-file=" + data, source.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new StopSignal());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void urlsTakeTheNextKeysAndNamedSlugsAreKept() throws Exception {
        Path data = dir.resolve("goto.data");
        Run run = importFile(data, """
                https://example.com/one
                docs https://example.com/docs
                https://example.com/two

                  promo-2026   https://example.com/promo
                """);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("imported 4 links");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/one");
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/two");
            assertThat(store.lookup("docs").customSlug()).isTrue();
            assertThat(store.longUrlOf("docs")).isEqualTo("https://example.com/docs");
            assertThat(store.longUrlOf("promo-2026")).isEqualTo("https://example.com/promo");
            assertThat(store.size()).isEqualTo(4);
        }
    }

    @Test
    void aCsvWhoseHeaderGotoDoesNotKnowIsRefusedWholeInsteadOfImportedRowByRowAsUrls() throws Exception {
        // Rebrandly, TinyURL and spreadsheets export columns goto does not map; read as a plain
        // list, each row became one long URL with the other columns glued on (commas are valid in URLs).
        Path data = dir.resolve("goto.data");
        Run run = importFile(data, """
                Long URL,Short code,Title,Date created
                https://example.com/x,abc,Example,2024-01-02T03:04:05+00:00
                https://example.com/y,def,,2024-01-02T03:04:05+00:00
                """);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("starts with a CSV header goto does not recognise (Long URL,Short code,Title,Date created)")
                .contains("nothing was imported");
        assertThat(data).as("a refused import leaves no data file").doesNotExist();

        Run plain = importFile(data, """
                https://maps.example.com/@52.52,13.40,15z
                at https://example.com/a,b
                """);
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.longUrlOf("a")).as("a plain list's URLs may hold commas").isEqualTo("https://maps.example.com/@52.52,13.40,15z");
            assertThat(store.longUrlOf("at")).isEqualTo("https://example.com/a,b");
        }
    }

    @Test
    void aCsvSeparatedBySemicolonsOrTabsIsRefusedWholeSayingToSaveItWithCommas() throws Exception {
        // A spreadsheet in a locale whose decimal mark is a comma saves "CSV" with semicolons.
        Path data = dir.resolve("goto.data");
        Run semicolons = importFile(data, """
                keyword;url;title
                x1;https://example.com/x1;One
                """);
        assertThat(semicolons.exitCode()).isEqualTo(1);
        assertThat(semicolons.err()).contains("starts with fields separated by ';' (keyword;url;title), not by commas")
                .contains("nothing was imported").contains("save it again as CSV with commas")
                .doesNotContain("is not absolute");
        Run tabs = importFile(data, "keyword\turl\nx1\thttps://example.com/x1\n");
        assertThat(tabs.exitCode()).isEqualTo(1);
        assertThat(tabs.err()).contains("starts with fields separated by tabs (keyword\\turl)");
        assertThat(data).as("a refused import leaves no data file").doesNotExist();

        Run slugs = importFile(data, "docs\thttps://go.dev/doc/\n");
        assertThat(slugs.exitCode()).as("a plain list's SLUG<tab>URL is no header: " + slugs.err()).isZero();
    }

    @Test
    void badLinesAndTakenSlugsAreReportedAndSkipped() throws Exception {
        Path data = dir.resolve("goto.data");
        Run run = importFile(data, """
                docs https://example.com/first
                docs https://example.com/second
                add https://example.com/reserved
                bad/slug https://example.com/x
                ftp://example.com/file
                https://example.com/a b
                one two three
                https://example.com/fine
                """);
        assertThat(run.exitCode()).as("bad lines make the import exit 1").isEqualTo(1);
        assertThat(run.err()).contains("line 2: skipped: the short code 'docs' is in use")
                .contains("line 3: skipped: the custom slug 'add' is a path goto uses itself")
                .contains("line 4: skipped: the custom slug 'bad/slug' has '/'")
                .contains("line 5: skipped: url scheme 'ftp'")
                .doesNotContain("line 6")
                .contains("line 7: skipped: read as 'SLUG URL' with the slug 'one': url 'two three' is not absolute");
        assertThat(run.out()).contains("imported 3 links").contains("skipped 5 bad lines");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.longUrlOf("docs")).isEqualTo("https://example.com/first");
            assertThat(store.longUrlOf("a")).as("a space in a URL's path, as a browser reads it")
                    .isEqualTo("https://example.com/a%20b");
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/fine");
            assertThat(store.size()).isEqualTo(3);
        }
    }
}
