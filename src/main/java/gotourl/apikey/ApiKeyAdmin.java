package gotourl.apikey;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Makes and disables API keys in an {@link ApiKeyStore}: what {@code goto api-key} and
 * {@code -initial-api-key} do, on the running goto or on a stopped one's file.
 *
 * <p>A generated key is {@code goto_} and 22 base-62 characters drawn from {@link SecureRandom}
 * (130 bits). Base-62 rather than Shlink's UUIDs: a UUID v4 carries only 122 random bits, and a
 * word of letters and digits is selected whole by a double-click and survives any shell or
 * header unquoted; the {@code goto_} prefix lets people and secret scanners recognise one.
 */
public final class ApiKeyAdmin {
    /** Random characters in a generated key: 22 of 62 symbols are 130.99 bits. */
    static final int SECRET_CHARS = 22;
    /** What every generated key starts with. */
    public static final String PREFIX = "goto_";
    static final int ID_CHARS = 12;
    /** The shortest {@code -initial-api-key} taken: 16 characters, 128 bits if chosen at random from hex. */
    public static final int MIN_INITIAL_KEY_CHARS = 16;
    /** The name the initial key gets (a second one, after the value changed, gets {@code initial-api-key-2}). */
    public static final String INITIAL_NAME = "initial-api-key";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final ApiKeyStore store;
    private final Clock clock;
    private final SecureRandom random;

    public ApiKeyAdmin(ApiKeyStore store, Clock clock) {
        this(store, clock, new SecureRandom());
    }

    ApiKeyAdmin(ApiKeyStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** A key just made: its secret (shown once, never stored) and what the store keeps. */
    public record Minted(String secret, ApiKeyRecord key) {
        @Override
        public String toString() {
            return "Minted[" + key + "]"; // never the secret
        }
    }

    /**
     * Makes a new key named {@code name} with {@code role}, refused from {@code expiresAt} (null:
     * never), and completes once it is kept. Fails with {@link IllegalArgumentException} for a
     * bad or taken name or an expiry in the past; see {@link ApiKeyStore} for the rest.
     */
    public CompletableFuture<Minted> generate(String name, ApiKey.Role role, Instant expiresAt) {
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the expiry " + expiresAt
                    + " is not in the future; give a later date or a duration such as 90d"));
        }
        String secret = PREFIX + randomBase62(SECRET_CHARS);
        ApiKeyRecord key;
        try {
            key = new ApiKeyRecord(randomBase62(ID_CHARS), name, role, now, expiresAt, true, KeyHash.of(secret));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.createApiKey(key).thenApply(kept -> new Minted(secret, kept));
    }

    /** Disables the key of id, else name, {@code idOrName}; see {@link ApiKeyStore#disableApiKey}. */
    public CompletableFuture<ApiKeyRecord> disable(String idOrName) {
        return store.disableApiKey(idOrName);
    }

    /**
     * {@code -initial-api-key}: makes {@code secret} an admin key unless a key with its hash
     * exists already (so a restart with the same value changes nothing), and completes with the
     * key made, or empty. The secret must pass {@link #initialKeyProblem}.
     */
    public CompletableFuture<Optional<ApiKeyRecord>> ensureInitial(String secret) {
        String problem = initialKeyProblem(secret);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        ApiKeyTable table = store.apiKeyTable();
        KeyHash hash = KeyHash.of(secret);
        if (table.byHash(hash) != null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String name = INITIAL_NAME;
        for (int n = 2; table.byName(name) != null; n++) {
            name = INITIAL_NAME + "-" + n;
        }
        ApiKeyRecord key = new ApiKeyRecord(randomBase62(ID_CHARS), name, ApiKey.Role.ADMIN, clock.instant(), null, true, hash);
        return store.createApiKey(key).thenApply(Optional::of);
    }

    /** Why {@code secret} cannot be an initial key, or null: 16 to 256 printable ASCII characters, no spaces. */
    public static String initialKeyProblem(String secret) {
        if (secret == null || secret.length() < MIN_INITIAL_KEY_CHARS || secret.length() > StoredApiKeys.MAX_KEY_CHARS
                || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return "an initial API key is " + MIN_INITIAL_KEY_CHARS + " to " + StoredApiKeys.MAX_KEY_CHARS
                    + " printable ASCII characters without spaces, and random (e.g. the output of 'openssl rand -hex 24')"
                    + (secret == null ? "" : "; the one given has " + secret.length() + " characters"
                    + (secret.chars().allMatch(c -> c > 0x20 && c < 0x7F) ? "" : ", some of them spaces or not printable ASCII"));
        }
        return null;
    }

    private String randomBase62(int length) {
        char[] out = new char[length];
        byte[] bytes = new byte[length * 2];
        int filled = 0;
        while (filled < length) {
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length && filled < length; i++) {
                int b = bytes[i] & 0xFF;
                if (b < 248) { // 248 = 4 x 62: rejecting the rest keeps every symbol equally likely
                    out[filled++] = BASE62.charAt(b % 62);
                }
            }
        }
        return new String(out);
    }
}
