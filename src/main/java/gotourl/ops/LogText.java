package gotourl.ops;

/**
 * Makes text that came from a client safe to put in a log line: every character outside printable
 * ASCII is escaped (a line feed as {@code \n}, other bytes as {@code \xNN}, other characters as a Java
 * unicode escape), so a client cannot forge lines or send terminal escapes, and the result is cut to a
 * bounded length, saying how long the original was.
 */
public final class LogText {
    /** What a sample of client input may take in a log line, in characters before escaping. */
    public static final int SAMPLE_CHARS = 160;

    private LogText() {}

    /** {@code text} escaped and cut to {@link #SAMPLE_CHARS}; "null" for null. */
    public static String sample(String text) {
        return sample(text, SAMPLE_CHARS);
    }

    /**
     * {@code text} escaped and cut to its first {@code maxChars} characters, then
     * {@code "…(N chars)"} when it was longer; "null" for null.
     *
     * @throws IllegalArgumentException if {@code maxChars} is negative
     */
    public static String sample(String text, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must not be negative, not " + maxChars);
        }
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), maxChars);
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else if (c < 0x100) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        if (text.length() > shown) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
