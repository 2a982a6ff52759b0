package gotourl.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an API key (FIPS 180-4), the only form in which goto keeps a key: 32 bytes.
 * Two hashes are compared in constant time ({@link MessageDigest#isEqual}), so {@link #equals}
 * (which a hash table's lookup calls) takes as long for a near miss as for a far one.
 *
 * <p>Why a fast hash and not a password hash (bcrypt, Argon2): goto's keys are random with at
 * least 128 bits of entropy, so no dictionary or brute force can invert their SHA-256 even at
 * billions of guesses a second; a slow hash only protects low-entropy secrets people choose,
 * and would cost milliseconds of CPU on every REST request. Shlink keeps SHA-256 of its keys too.
 */
public final class KeyHash {
    /** The bytes of a SHA-256 digest. */
    public static final int BYTES = 32;

    private final byte[] bytes;
    private final int hashCode;

    private KeyHash(byte[] bytes) {
        this.bytes = bytes;
        // The digest's bytes are uniformly random: its first four make a well spread hash code.
        this.hashCode = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
    }

    /**
     * One digest per thread: looking SHA-256 up in the JCA providers for each key presented cost
     * more than hashing it (a REST request hashes its key once).
     */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(KeyHash::sha256);

    /** The hash of {@code key} as presented (its UTF-8 bytes). */
    public static KeyHash of(String key) {
        return new KeyHash(DIGEST.get().digest(key.getBytes(StandardCharsets.UTF_8))); // digest() resets it for the next
    }

    /**
     * A hash read back from storage; throws {@link IllegalArgumentException} unless {@code bytes}
     * holds {@link #BYTES} bytes. The array is copied.
     */
    public static KeyHash fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a key hash is " + BYTES + " bytes (SHA-256), not " + bytes.length);
        }
        return new KeyHash(bytes.clone());
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code out} at {@code offset}. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, BYTES);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyHash that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    /** Only the first 4 bytes, in hex: enough to tell hashes apart in a log, never the whole. */
    @Override
    public String toString() {
        return "KeyHash[" + HexFormat.of().formatHex(bytes, 0, 4) + "…]";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256 (JCA standard names)", e);
        }
    }
}
