package gotourl.porting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** The dates the formats write, read leniently, and goto's own, written as Shlink writes them. */
final class Dates {
    /** Shlink's date format (PHP's {@code Y-m-d\TH:i:sP}), in UTC: {@code 2026-11-30T15:40:00+00:00}. */
    static final DateTimeFormatter SHLINK = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private static final Pattern DIGITS = Pattern.compile("\\d{1,13}");
    /**
     * The least bare number read as Unix seconds (1973-03-03T09:46:40Z, 9 digits): below it, a
     * number is a year or a count, and as seconds it would be a date before any short link.
     */
    private static final long MIN_UNIX_SECONDS = 100_000_000L;
    private static final Pattern UTC_NAME = Pattern.compile(" ?(UTC|GMT)$");
    private static final Pattern SPACED_OFFSET = Pattern.compile(" ([+-]\\d\\d:?\\d\\d)$");
    private static final Pattern COLONLESS_OFFSET = Pattern.compile("([+-]\\d\\d)(\\d\\d)$");

    private Dates() {}

    static String format(Instant instant) {
        return instant == null ? null : SHLINK.format(instant);
    }

    /**
     * {@code text} as an instant, to the second: ISO-8601 with an offset ({@code Z} too), without
     * one or with a space for the {@code T} (read as UTC, as YOURLS's MySQL and Kutt's SQLite
     * write them), a bare day (its start, UTC), or Unix seconds (milliseconds when that large) of
     * 9 digits or more, i.e. from 1973-03-03 on. A shorter bare number is refused: no export goto
     * reads writes one (Shlink, YOURLS, Kutt and Bitly write dates as text), so {@code 2022} is a
     * year typed alone, which read as seconds was a date in 1970; a year alone is not a day, so it
     * is refused too rather than guessed as its first day.
     * Null for a blank text; throws {@link IllegalArgumentException} saying what it expected.
     */
    static Instant parse(String field, String text) {
        Instant date = parseAny(field, text);
        if (!gotourl.link.Link.isSupportedDate(date)) {
            throw new IllegalArgumentException(field + " '" + abbreviate(text.strip()) + "' is past what goto keeps: a date"
                    + " of a four-digit year (0000 to 9999)");
        }
        return date;
    }

    private static Instant parseAny(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip();
        Instant common = utcSeconds(trimmed);
        if (common != null) {
            return common;
        }
        try {
            if (DIGITS.matcher(trimmed).matches()) {
                long number = Long.parseLong(trimmed);
                if (number < MIN_UNIX_SECONDS) {
                    throw new IllegalArgumentException(field + " '" + trimmed + "' is a bare number, not a date"
                            + (trimmed.length() == 4 ? " (a year alone is not a day)" : "") + ": write a day, e.g. "
                            + (trimmed.length() == 4 ? trimmed : "2026") + "-01-31 or " + (trimmed.length() == 4 ? trimmed : "2026")
                            + "-01-31T12:00:00+00:00 (or Unix seconds, of 9 digits or more)");
                }
                return (number > 100_000_000_000L ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number))
                        .truncatedTo(ChronoUnit.SECONDS);
            }
            String iso = trimmed.length() > 10 && trimmed.charAt(10) == ' ' ? trimmed.substring(0, 10) + "T" + trimmed.substring(11) : trimmed;
            // "+0000" (Bitly's API, PHP's O) and " +00:00" read as the ISO offset they mean.
            iso = UTC_NAME.matcher(iso).replaceFirst("Z");
            iso = SPACED_OFFSET.matcher(iso).replaceFirst("$1");
            iso = COLONLESS_OFFSET.matcher(iso).replaceFirst("$1:$2");
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

    /**
     * The common case, read without a formatter: {@code 2026-11-30T15:40:00+00:00} (goto's and
     * Shlink's exports) or {@code ...Z}. Null for any other text, and for an impossible date (then
     * {@link #parse} reads it the long way and says what is wrong), so the answer is always the
     * one {@link OffsetDateTime#parse} gives; a formatter's parse was most of a JSON line's reading.
     */
    static Instant utcSeconds(String text) {
        int length = text.length();
        boolean zulu = length == 20 && text.charAt(19) == 'Z';
        if (!zulu && !(length == 25 && text.endsWith("+00:00"))) {
            return null;
        }
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC));
        } catch (java.time.DateTimeException impossible) {
            return null;
        }
    }

    /** The decimal number of ASCII digits at {@code text[at, at + count)}, or -1 if one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
