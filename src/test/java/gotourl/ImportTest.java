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
                .contains("line 7: skipped: url 'two three' is not absolute")
                .doesNotContain("line 6");
        // A space in a URL's path is percent-encoded, as a browser does (the WHATWG URL rules).
        assertThat(run.out()).contains("imported 3 links").contains("skipped 5 bad lines");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.longUrlOf("docs")).isEqualTo("https://example.com/first");
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/a%20b");
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/fine");
            assertThat(store.size()).isEqualTo(3);
        }
    }
}
