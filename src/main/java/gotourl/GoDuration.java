package gotourl;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's flag spelling: {@code 10s}, {@code 1500ms}, {@code 2m}, {@code 1m30s}, and
 * days ({@code 90d}, 24 hours each), which Go's {@code time.ParseDuration} lacks but retention
 * periods need.
 */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private GoDuration() {}

    /**
     * The duration {@code text} spells. Throws IllegalArgumentException in one line saying what is
     * wrong: a negative duration ({@code -1s}) is named as negative, not as "not a duration".
     */
    static Duration parse(String text) {
        String value = text.strip();
        if (value.startsWith("-") && spells(value.substring(1))) {
            throw new IllegalArgumentException("'" + text + "' is negative: give a duration of zero or more (e.g. 10s)");
        }
        Matcher part = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long millisPerUnit = switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total = total.plusMillis(Math.round(amount * millisPerUnit));
            end = part.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 10s, 500ms, 1m30s, 90d)");
        }
        return total;
    }

    private static boolean spells(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis >= 86_400_000 && millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
