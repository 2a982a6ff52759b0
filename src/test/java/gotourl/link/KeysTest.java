package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeysTest {
    /** 62^10: the first counter whose key would need eleven characters. */
    private static final long FIRST_ELEVEN_DIGIT_COUNTER = 839_299_365_868_340_224L;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, a", "1, b", "25, z", "26, A", "51, Z", "52, 0", "61, 9",
            "62, ba", "63, bb", "123, b9", "124, ca", "3843, 99", "3844, baa", "238327, 999", "238328, baaa"})
    void encodesTheSeedsKeys(long counter, String key) {
        assertThat(Keys.encode(counter)).isEqualTo(key);
        assertThat(Keys.decode(key)).isEqualTo(counter);
    }

    @Test
    void matchesTheSeedsGenKeyOverTheFirstQuarterMillionCounters() {
        for (long n = 0; n < 250_000; n++) {
            String seed = SeedKeys.genKey(n);
            String key = Keys.encode(n);
            if (!key.equals(seed)) {
                throw new AssertionError("counter " + n + ": goto's key " + key + ", the seed's " + seed);
            }
            if (Keys.decode(key) != n) {
                throw new AssertionError("key " + key + " decodes to " + Keys.decode(key) + ", not " + n);
            }
        }
    }

    /** The bulk import writes a key from its counter without a String: the bytes are {@link Keys#encode}'s, at every length. */
    @Test
    void putWritesTheKeysBytesAndLengthWithoutAString() {
        SplittableRandom random = new SplittableRandom(7);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 100_000; i++) {
            long n = i < 50_000 ? i * 5L : i < 50_010 ? FIRST_ELEVEN_DIGIT_COUNTER - 1 - (i - 50_000) : random.nextLong(FIRST_ELEVEN_DIGIT_COUNTER);
            String key = Keys.encode(n);
            out.clear().put((byte) '#');
            Keys.put(n, out);
            out.put((byte) '#');
            assertThat(Keys.length(n)).as("length of %d", n).isEqualTo(key.length());
            byte[] written = new byte[out.position()];
            out.get(0, written);
            if (!new String(written, StandardCharsets.US_ASCII).equals("#" + key + "#")) {
                throw new AssertionError("counter " + n + ": put wrote " + new String(written, StandardCharsets.US_ASCII) + ", not #" + key + "#");
            }
        }
        java.nio.ByteBuffer small = java.nio.ByteBuffer.allocate(2).put((byte) '#');
        assertThatThrownBy(() -> Keys.put(62, small)).isInstanceOf(java.nio.BufferOverflowException.class);
        assertThat(small.position()).as("nothing written when it does not fit").isEqualTo(1);
        assertThatThrownBy(() -> Keys.put(FIRST_ELEVEN_DIGIT_COUNTER, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.put(-1, out)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesTheSeedAndRoundTripsAcrossTheWholeRange() {
        SplittableRandom random = new SplittableRandom(62);
        for (int i = 0; i < 100_000; i++) {
            long n = random.nextLong(FIRST_ELEVEN_DIGIT_COUNTER);
            String key = Keys.encode(n);
            assertThat(key).isEqualTo(SeedKeys.genKey(n));
            assertThat(Keys.decode(key)).isEqualTo(n);
            byte[] ascii = ("#" + key + "#").getBytes(StandardCharsets.US_ASCII);
            assertThat(Keys.decode(ascii, 1, key.length())).isEqualTo(n);
        }
    }

    @Test
    void theLargestCounterHasTheLongestKeyAndRoundTrips() {
        long largest = FIRST_ELEVEN_DIGIT_COUNTER - 1;
        assertThat(Keys.encode(largest)).isEqualTo("9999999999").hasSize(Keys.MAX_LENGTH);
        assertThat(Keys.decode("9999999999")).isEqualTo(largest);
    }

    @Test
    void refusesCountersWhoseKeyCouldNotBeReadBack() {
        // A key longer than decode accepts would be handed out and then never redirect.
        for (long counter : new long[] {FIRST_ELEVEN_DIGIT_COUNTER, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> Keys.encode(counter))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(counter));
        }
    }

    @Test
    void refusesNegativeCounters() {
        assertThatThrownBy(() -> Keys.encode(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "ab", "aaa", "a-b", "b_c", "é", "b c", "b/", "%41", "baaaaaaaaaa", "99999999999", "favicon.ico"})
    void decodesKeysNoCounterHasToMinusOne(String key) {
        assertThat(Keys.decode(key)).isEqualTo(-1);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertThat(Keys.decode(bytes, 0, bytes.length)).isEqualTo(-1);
    }
}
