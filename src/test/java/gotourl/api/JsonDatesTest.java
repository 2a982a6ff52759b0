package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The REST API's dates, written by hand for the usual years, are exactly what Shlink's format gives. */
class JsonDatesTest {
    @Test
    void datesAreShlinksFormatInUtcToTheSecond() {
        assertThat(Json.date(Instant.parse("2026-11-30T15:40:07.999Z"))).isEqualTo("2026-11-30T15:40:07+00:00");
        assertThat(Json.date(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00+00:00");
        assertThat(Json.date(Instant.parse("0001-02-03T04:05:06Z"))).isEqualTo("0001-02-03T04:05:06+00:00");
        assertThat(Json.date(null)).isNull();
    }

    @Test
    void everyDateIsWrittenAsTheFormatterWritesIt() {
        SplittableRandom random = new SplittableRandom(12);
        long first = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last), random.nextInt(1_000_000_000));
            assertThat(Json.date(instant)).as("%s", instant).isEqualTo(Json.DATE.format(instant));
        }
        for (String edge : new String[] {"9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z", "1969-12-31T23:59:59.5Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(Json.date(instant)).as(edge).isEqualTo(Json.DATE.format(instant));
        }
    }
}
