package gotourl.api;

import gotourl.apikey.ApiKeys;
import java.util.Objects;

/**
 * What the REST API needs beyond goto's {@link gotourl.Config}; the seam through which the API-key
 * store and the visit store plug in.
 *
 * @param keys                    who may call the API ({@code X-Api-Key}); {@link #NO_KEYS} until a
 *                                key store is given
 * @param corsAllowOrigin         as Shlink's {@code CORS_ALLOW_ORIGIN}: {@code *} (the default), the
 *                                literal {@code <origin>} (echo the request's Origin), or a
 *                                comma-separated list of allowed origins
 * @param deleteShortUrlThreshold as Shlink's {@code DELETE_SHORT_URL_THRESHOLD}: a link with more
 *                                visits than this cannot be deleted (422
 *                                {@code invalid-short-url-deletion}); null, the default, for no limit
 * @param visits                  each link's visit counts; {@link ApiVisits#NONE} until visits are wired
 * @param version                 goto's version, as {@code GET /rest/health} reports it
 * @param health                  each link's last link check, shown as the short URL's {@code health};
 *                                {@link ApiHealth#NONE} when links are not checked
 */
public record ApiOptions(ApiKeys keys, String corsAllowOrigin, Integer deleteShortUrlThreshold, ApiVisits visits,
                         String version, ApiHealth health) {
    /** Shlink's {@code CORS_MAX_AGE} default: browsers may cache a preflight answer for an hour. */
    public static final int CORS_MAX_AGE_SECONDS = 3600;

    /**
     * Refuses every key, saying how to get one: what goto uses until an API-key store is plugged in
     * through {@link #withKeys}.
     */
    public static final ApiKeys NO_KEYS = (presented, now) -> new ApiKeys.Authentication.Refused(
            presented == null || presented.isBlank(),
            "goto has no API keys yet: start goto with -initial-api-key=..., or run goto api-key generate,"
                    + " and send the key in the X-Api-Key header");

    public ApiOptions {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(visits, "visits");
        corsAllowOrigin = corsAllowOrigin == null || corsAllowOrigin.isBlank() ? "*" : corsAllowOrigin.trim();
        if (deleteShortUrlThreshold != null && deleteShortUrlThreshold < 0) {
            throw new IllegalArgumentException("the delete threshold is a number of visits, 0 or more, not " + deleteShortUrlThreshold);
        }
        version = version == null ? "unknown" : version;
        health = health == null ? ApiHealth.NONE : health;
    }

    /** The options of the fields that came before link health, with no health shown. */
    public ApiOptions(ApiKeys keys, String corsAllowOrigin, Integer deleteShortUrlThreshold, ApiVisits visits, String version) {
        this(keys, corsAllowOrigin, deleteShortUrlThreshold, visits, version, ApiHealth.NONE);
    }

    public ApiOptions withHealth(ApiHealth newHealth) {
        return new ApiOptions(keys, corsAllowOrigin, deleteShortUrlThreshold, visits, version, newHealth);
    }

    /** No keys, any origin, no delete threshold, no visits. */
    public static ApiOptions defaults() {
        return new ApiOptions(NO_KEYS, "*", null, ApiVisits.NONE, Version.VALUE);
    }

    public ApiOptions withKeys(ApiKeys newKeys) {
        return new ApiOptions(newKeys, corsAllowOrigin, deleteShortUrlThreshold, visits, version, health);
    }

    public ApiOptions withCorsAllowOrigin(String origin) {
        return new ApiOptions(keys, origin, deleteShortUrlThreshold, visits, version, health);
    }

    public ApiOptions withDeleteShortUrlThreshold(Integer threshold) {
        return new ApiOptions(keys, corsAllowOrigin, threshold, visits, version, health);
    }

    public ApiOptions withVisits(ApiVisits newVisits) {
        return new ApiOptions(keys, corsAllowOrigin, deleteShortUrlThreshold, newVisits, version, health);
    }

    /** goto's version from the jar's {@code gotourl/version.properties}. */
    private static final class Version {
        static final String VALUE = load();

        private static String load() {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = ApiOptions.class.getResourceAsStream("/gotourl/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (java.io.IOException e) {
                return "unknown";
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
