package gotourl.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** {@link CheckReport}'s CSV: what the checked site said cannot run as a formula in a spreadsheet. */
class CheckReportTest {
    @Test
    void aCellFromTheCheckedSiteThatStartsAsAFormulaIsGuarded() throws Exception {
        // A redirect's Location and an error's detail come from the checked site; a tab or a
        // carriage return before the formula got past the guard of = + - @ alone.
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        CheckReport report = new CheckReport(List.of(
                new CheckRun.Result(new CheckRun.Target("-a", at, "https://example.com/a"),
                        new LinkHealth(HealthState.REDIRECTED, 200, "\t=HYPERLINK(\"https://evil.example/\")", at, "@detail")),
                new CheckRun.Result(new CheckRun.Target("b", at, "https://example.com/b"),
                        new LinkHealth(HealthState.CLIENT_ERROR, 404, "\r+1", at, "-1 hops"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.write(CheckReport.Format.CSV, out);
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).toList()).containsExactly("'-a", "https://example.com/a", "redirected", "200",
                "'\t=HYPERLINK(\"https://evil.example/\")", "2026-12-01T00:00:00Z", "'@detail");
        assertThat(rows.get(2).toList()).containsExactly("b", "https://example.com/b", "client-error", "404", "'\r+1",
                "2026-12-01T00:00:00Z", "'-1 hops");
    }
}
