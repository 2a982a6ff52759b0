package gotourl.apikey;

import java.time.Instant;

/**
 * The API keys goto accepts. {@link #authenticate} is called for every REST request, on the
 * request's thread: it must not block, and must compare in constant time (it compares hashes).
 */
public interface ApiKeys {

    /**
     * Who presents {@code presented} (the {@code X-Api-Key} header's value, possibly null) at
     * {@code now}: {@link Authentication.Granted} with the key, or {@link Authentication.Refused}
     * saying why (missing, unknown, disabled, expired) in words a client can act on.
     */
    Authentication authenticate(String presented, Instant now);

    /** The outcome of {@link #authenticate}. */
    sealed interface Authentication {
        /** The key is known, enabled and not expired. */
        record Granted(ApiKey key) implements Authentication {}

        /**
         * Refused. {@code missing} is true when no key was presented (Shlink's
         * {@code missing-authentication}), false for a bad one (Shlink's {@code invalid-api-key});
         * {@code detail} says what was wrong and what to do.
         */
        record Refused(boolean missing, String detail) implements Authentication {}
    }
}
