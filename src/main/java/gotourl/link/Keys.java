package gotourl.link;

/**
 * The seed's {@code genKey}: a counter written in base 62 with the digits {@code a-z A-Z 0-9}, so
 * 0 is "a", 61 is "9", 62 is "ba" and 3844 is "baa". Because keys are counters, a key decodes back
 * to the slot that holds its URL and the index needs no hash table.
 */
public final class Keys {
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int BASE = ALPHABET.length();
    /** Keys have at most ten characters: the largest, 62^10 - 1, still fits a long when decoded. */
    public static final int MAX_LENGTH = 10;
    /** 62^10: the first counter whose key would be longer than {@link #decode} reads. */
    public static final long COUNTER_LIMIT = 839_299_365_868_340_224L;
    private static final byte[] DIGIT_OF = new byte[128];
    /** 62^1 to 62^9: a counter at or past 62^k has more than k digits (comparisons, not divisions, per key). */
    private static final long[] POWERS = new long[MAX_LENGTH - 1];

    static {
        long power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            power *= BASE;
            POWERS[i] = power;
        }
        java.util.Arrays.fill(DIGIT_OF, (byte) -1);
        for (int i = 0; i < BASE; i++) {
            DIGIT_OF[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Keys() {}

    public static String encode(long counter) {
        if (counter < 0) {
            throw new IllegalArgumentException("key counter must not be negative: " + counter);
        }
        if (counter >= COUNTER_LIMIT) {
            // Its key would have eleven characters: handed out, it could never be looked up.
            throw new IllegalArgumentException("key counter " + counter + " is beyond the last ten-character key (62^10 - 1)");
        }
        if (counter == 0) {
            return "a";
        }
        byte[] digits = new byte[MAX_LENGTH];
        int start = digits.length;
        for (long n = counter; n > 0; n /= BASE) {
            digits[--start] = (byte) ALPHABET.charAt((int) (n % BASE));
        }
        return new String(digits, start, digits.length - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** How many characters {@link #encode}{@code (counter)} has, without building the key; counter as {@link #encode} takes it. */
    public static int length(long counter) {
        int length = 1;
        while (length < MAX_LENGTH && counter >= POWERS[length - 1]) {
            length++;
        }
        return length;
    }

    /**
     * Writes {@link #encode}{@code (counter)}'s key into {@code out} as ASCII bytes (one a
     * character), {@link #length}{@code (counter)} of them from its position, without building a
     * String: for a record encoded straight into a buffer. Throws as {@link #encode} does, and
     * {@link java.nio.BufferOverflowException} when {@code out} has no room, both before writing.
     */
    public static void put(long counter, java.nio.ByteBuffer out) {
        if (counter < 0 || counter >= COUNTER_LIMIT) {
            encode(counter); // throws, saying why
        }
        int length = length(counter);
        int start = out.position();
        if (out.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        long n = counter;
        for (int i = start + length - 1; i >= start; i--) {
            out.put(i, (byte) ALPHABET.charAt((int) (n % BASE)));
            n /= BASE;
        }
        out.position(start + length);
    }

    /**
     * The counter that {@link #encode} turns into {@code key}, or -1 when no counter does: a
     * character outside the alphabet, a leading "a" (the zero digit) on a longer key, or a
     * value beyond a long.
     */
    public static long decode(CharSequence key) {
        int length = key.length();
        if (length == 0 || length > MAX_LENGTH || (length > 1 && key.charAt(0) == 'a')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            int digit = c < 128 ? DIGIT_OF[c] : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * BASE + digit;
        }
        return value < 0 ? -1 : value;
    }

    /** As {@link #decode(CharSequence)}, for a key held as ASCII bytes (a replayed record). */
    public static long decode(byte[] bytes, int offset, int length) {
        if (length == 0 || length > MAX_LENGTH || (length > 1 && bytes[offset] == 'a')) {
            return -1;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            int c = bytes[i];
            int digit = c >= 0 ? DIGIT_OF[c] : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * BASE + digit;
        }
        return value < 0 ? -1 : value;
    }
}
