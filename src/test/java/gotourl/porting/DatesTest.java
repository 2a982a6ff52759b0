package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The common date's quick reading ({@link Dates#utcSeconds}) gives what the ISO formatter gives
 * ({@link OffsetDateTime#parse}), and leaves every text it cannot read alike to the long way: on
 * generated dates with every field in and out of range, leap days included.
 */
class DatesTest {
    @Test
    void theQuickReadingAgreesWithTheFormatter() {
        SplittableRandom random = new SplittableRandom(42);
        int quick = 0;
        for (int i = 0; i < 100_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
                    random.nextBoolean() ? "Z" : random.nextInt(4) > 0 ? "+00:00" : "-00:00");
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                expected = null;
            }
            Instant read = Dates.utcSeconds(text);
            if (read != null) {
                quick++;
                assertThat(read).as(text).isEqualTo(expected);
            } else if (!text.endsWith("-00:00")) {
                assertThat(expected).as(text + " is an impossible date, left to the long way").isNull();
            }
        }
        assertThat(quick).isGreaterThan(10_000);
        assertThat(Dates.parse("dateCreated", "2024-02-29T23:59:59+00:00")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        assertThatThrownBy(() -> Dates.parse("dateCreated", "2023-02-29T00:00:00+00:00")).hasMessageContaining("is not a date");
        assertThat(Dates.parse("dateCreated", "2026-11-30 15:40:00 +0000")).isEqualTo(Instant.parse("2026-11-30T15:40:00Z"));
    }

    /** A date past four-digit years is refused with the field named, not left to overflow a record's milliseconds later. */
    @Test
    void aDatePastFourDigitYearsIsRefusedNamingTheField() {
        for (String text : java.util.List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            assertThatThrownBy(() -> Dates.parse("validSince", text))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validSince")
                    .hasMessageContaining("four-digit year");
        }
        assertThat(Dates.parse("validUntil", "9999-12-31T23:59:59Z"))
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }
}
