package gotourl.porting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The dates the formats write, read leniently, and goto's own, written as Shlink writes them. */
final class Dates {
    /** Shlink's date format (PHP's {@code Y-m-d\TH:i:sP}), in UTC: {@code 2026-11-30T15:40:00+00:00}. */
    static final DateTimeFormatter SHLINK = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private Dates() {}

    static String format(Instant instant) {
        return instant == null ? null : SHLINK.format(instant);
    }

    /**
     * {@code text} as an instant, to the second: ISO-8601 with an offset ({@code Z} too), without
     * one or with a space for the {@code T} (read as UTC, as YOURLS's MySQL and Kutt's SQLite
     * write them), a bare day (its start, UTC), or Unix seconds (milliseconds when that large).
     * Null for a blank text; throws {@link IllegalArgumentException} saying what it expected.
     */
    static Instant parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip();
        try {
            if (trimmed.matches("\\d{1,13}")) {
                long number = Long.parseLong(trimmed);
                return (number > 100_000_000_000L ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number))
                        .truncatedTo(ChronoUnit.SECONDS);
            }
            String iso = trimmed.length() > 10 && trimmed.charAt(10) == ' ' ? trimmed.substring(0, 10) + "T" + trimmed.substring(11) : trimmed;
            // "+0000" (Bitly's API, PHP's O) and " +00:00" read as the ISO offset they mean.
            iso = iso.replaceFirst(" ?(UTC|GMT)$", "Z").replaceFirst(" ([+-]\\d\\d:?\\d\\d)$", "$1")
                    .replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2");
            try {
                return OffsetDateTime.parse(iso).toInstant().truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException withoutOffset) {
                try {
                    return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
                } catch (DateTimeParseException notDateTime) {
                    return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
                }
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(field + " '" + abbreviate(trimmed) + "' is not a date: write ISO-8601,"
                    + " e.g. 2026-01-31T12:00:00+00:00 (or 2026-01-31 12:00:00, read as UTC)");
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
