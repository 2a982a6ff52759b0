package gotourl.link;

/**
 * The seed's Go {@code genKey}, transcribed line for line, so {@link Keys} is checked against the
 * seed itself rather than against a second copy of its own algorithm:
 *
 * <pre>
 * func genKey(n int) string {
 *     if n == 0 { return string(keyChar[0]) }
 *     l := len(keyChar)
 *     s := make([]byte, 20)
 *     i := len(s)
 *     for n > 0 &amp;&amp; i >= 0 { i--; j := n % l; n = (n - j) / l; s[i] = keyChar[j] }
 *     return string(s[i:])
 * }
 * </pre>
 */
public final class SeedKeys {
    private static final byte[] KEY_CHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SeedKeys() {}

    public static String genKey(long n) {
        if (n == 0) {
            return String.valueOf((char) KEY_CHAR[0]);
        }
        int l = KEY_CHAR.length;
        byte[] s = new byte[20];
        int i = s.length;
        while (n > 0 && i >= 0) {
            i--;
            long j = n % l;
            n = (n - j) / l;
            s[i] = KEY_CHAR[(int) j];
        }
        return new String(s, i, s.length - i, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
