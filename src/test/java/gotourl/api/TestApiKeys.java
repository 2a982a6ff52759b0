package gotourl.api;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeys;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * API keys for tests: an admin, two authors, a disabled and an expired key, compared as the real
 * store must (in constant time). The key store proper is built elsewhere; the API sees only
 * {@link ApiKeys}.
 */
public final class TestApiKeys implements ApiKeys {
    public static final String ADMIN = "admin-secret-0123456789abcdef";
    public static final String ALICE = "alice-secret-0123456789abcdef";
    public static final String BOB = "bob-secret-0123456789abcdef";
    public static final String DISABLED = "disabled-secret-0123456789abcdef";
    public static final String EXPIRED = "expired-secret-0123456789abcdef";

    private static final Map<String, ApiKey> KEYS = Map.of(
            ADMIN, new ApiKey("k-admin", "admin", ApiKey.Role.ADMIN, null, true),
            ALICE, new ApiKey("k-alice", "alice", ApiKey.Role.AUTHOR, null, true),
            BOB, new ApiKey("k-bob", "bob", ApiKey.Role.AUTHOR, null, true),
            DISABLED, new ApiKey("k-disabled", "disabled", ApiKey.Role.ADMIN, null, false),
            EXPIRED, new ApiKey("k-expired", "expired", ApiKey.Role.ADMIN, Instant.parse("2020-01-01T00:00:00Z"), true));

    @Override
    public Authentication authenticate(String presented, Instant now) {
        if (presented == null || presented.isEmpty()) {
            return new Authentication.Refused(true, "Expected one of the following authentication headers, [\"X-Api-Key\"],"
                    + " but none were provided");
        }
        for (Map.Entry<String, ApiKey> entry : KEYS.entrySet()) {
            if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
                ApiKey key = entry.getValue();
                if (!key.enabled()) {
                    return new Authentication.Refused(false, "the API key is disabled");
                }
                if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
                    return new Authentication.Refused(false, "the API key expired at " + key.expiresAt());
                }
                return new Authentication.Granted(key);
            }
        }
        return new Authentication.Refused(false, "Provided API key does not exist or is invalid.");
    }

    /** The API's options with these keys. */
    public static ApiOptions options() {
        return ApiOptions.defaults().withKeys(new TestApiKeys());
    }
}
