package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CsvCells}: formula starts guarded as OWASP says, and every value read back as it was. */
class CsvCellsTest {
    @Test
    void aCellASpreadsheetWouldReadAsAFormulaGetsAQuoteBeforeIt() {
        assertThat(CsvCells.guard("=HYPERLINK(\"https://evil.example/\",\"x\")")).isEqualTo("'=HYPERLINK(\"https://evil.example/\",\"x\")");
        assertThat(CsvCells.guard("+1")).isEqualTo("'+1");
        assertThat(CsvCells.guard("-5% off")).isEqualTo("'-5% off");
        assertThat(CsvCells.guard("@team")).isEqualTo("'@team");
        assertThat(CsvCells.guard("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.guard("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvCells.guard("'=1")).as("a quote already there does not disarm it for the reader: one more").isEqualTo("''=1");
    }

    @Test
    void otherCellsAreLeftAsTheyAre() {
        for (String value : List.of("https://example.com/a=b", "Sale", "a=1", "'tis", "'", "''", "", " =1")) {
            assertThat(CsvCells.guard(value)).as(value).isEqualTo(value);
            assertThat(CsvCells.unguard(value)).as(value).isEqualTo(value);
        }
        assertThat(CsvCells.guard(null)).isNull();
        assertThat(CsvCells.unguard(null)).isNull();
    }

    @Test
    void whatIsGuardedReadsBackAsItWas() {
        for (String value : List.of("=1+1", "+1", "-", "@", "\tx", "\rx", "'=1", "''+x", "'''@", "'tis", "'", "x", "", "'-'")) {
            assertThat(CsvCells.unguard(CsvCells.guard(value))).as(value).isEqualTo(value);
        }
    }
}
