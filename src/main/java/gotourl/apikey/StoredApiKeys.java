package gotourl.apikey;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The {@link ApiKeys} of a store: hashes the presented key once (SHA-256) and finds its hash in
 * the store's current {@link ApiKeyTable} (a hash-table lookup; the hit is confirmed by
 * {@link KeyHash#equals}, a constant-time comparison). Lock-free, never blocks, allocates the
 * digest and little else: fit for every REST request (BENCHMARKS.md has its cost).
 *
 * <p>Timing. Every presented key costs the same hash and lookup whether it is unknown, disabled,
 * expired or good; what follows a hit (reading the enabled flag and the expiry) differs by a few
 * nanoseconds, and only for the holder of a real key, who learns nothing by it that the answer's
 * detail does not say. Which bucket a hash falls in depends on the SHA-256 of the guess, not on
 * the stored keys' secrets, so the lookup's timing leaks nothing usable about them. The one
 * difference that cannot be avoided, and needs none: a key longer than {@link #MAX_KEY_CHARS} is
 * refused before hashing (its length is no secret).
 */
public final class StoredApiKeys implements ApiKeys {
    /** No key goto makes or accepts as {@code -initial-api-key} is longer. */
    public static final int MAX_KEY_CHARS = 256;

    private static final Authentication.Refused MISSING = new Authentication.Refused(true,
            "no API key: send one in the X-Api-Key header (goto's operator makes them with 'goto api-key generate')");
    private static final Authentication.Refused UNKNOWN = new Authentication.Refused(false,
            "the API key in X-Api-Key is not one this goto knows: check that it was copied whole,"
                    + " or ask goto's operator for a key ('goto api-key generate')");
    private static final Authentication.Refused DISABLED = new Authentication.Refused(false,
            "this API key was disabled; ask goto's operator for a new one ('goto api-key generate')");

    private static final Authentication.Refused NONE_YET = new Authentication.Refused(false,
            "goto has no API keys yet: start goto with GOTO_INITIAL_API_KEY (or -initial-api-key) set to a random value,"
                    + " or run goto api-key generate, and send the key in the X-Api-Key header");

    private final Supplier<ApiKeyTable> table;

    /** Keys as {@code table} gives them now: a store's {@link ApiKeyStore#apiKeyTable}, read on every call. */
    public StoredApiKeys(Supplier<ApiKeyTable> table) {
        this.table = table;
    }

    /** The keys of {@code store}. */
    public static StoredApiKeys of(ApiKeyStore store) {
        return new StoredApiKeys(store::apiKeyTable);
    }

    @Override
    public Authentication authenticate(String presented, Instant now) {
        ApiKeyTable keys = table.get();
        if (presented == null || presented.isEmpty()) {
            return MISSING;
        }
        if (keys.size() == 0) {
            return NONE_YET; // nothing to guess, and the operator learns how to make the first key
        }
        if (presented.length() > MAX_KEY_CHARS) {
            return UNKNOWN;
        }
        ApiKeyRecord key = keys.byHash(KeyHash.of(presented));
        if (key == null) {
            return UNKNOWN;
        }
        if (!key.enabled()) {
            return DISABLED;
        }
        if (key.expiredAt(now)) {
            return new Authentication.Refused(false, "this API key expired at " + key.expiresAt()
                    + "; ask goto's operator for a new one ('goto api-key generate')");
        }
        return new Authentication.Granted(key.key());
    }
}
