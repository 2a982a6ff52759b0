package gotourl.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How goto fetches pages; one set for the whole process.
 *
 * @param policy         which addresses may be connected to ({@code -fetch-private})
 * @param connectTimeout how long a TCP (and TLS) connect may take
 * @param totalTimeout   how long one fetch may take, all redirects and the body included
 * @param maxRedirects   how many redirects are followed before giving up (browsers follow 20)
 * @param userAgent      the User-Agent header: goto and its version
 */
public record FetchOptions(AddressPolicy policy, Duration connectTimeout, Duration totalTimeout, int maxRedirects,
                           String userAgent) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(15);
    /** Fewer than browsers' 20: a link checker or title fetch that needs more is following a loop. */
    public static final int DEFAULT_MAX_REDIRECTS = 10;

    public FetchOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(userAgent, "userAgent");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("fetch timeouts must be positive, not " + connectTimeout + " and " + totalTimeout);
        }
        if (maxRedirects < 0 || maxRedirects > 50) {
            throw new IllegalArgumentException("redirects to follow must be 0 to 50, not " + maxRedirects);
        }
    }

    /** Public addresses only, the default timeouts and redirect limit, and goto's User-Agent. */
    public static FetchOptions defaults() {
        return new FetchOptions(AddressPolicy.PUBLIC_ONLY, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, DEFAULT_MAX_REDIRECTS,
                userAgent(version()));
    }

    public FetchOptions withPolicy(AddressPolicy newPolicy) {
        return new FetchOptions(newPolicy, connectTimeout, totalTimeout, maxRedirects, userAgent);
    }

    public FetchOptions withTimeouts(Duration connect, Duration total) {
        return new FetchOptions(policy, connect, total, maxRedirects, userAgent);
    }

    public FetchOptions withMaxRedirects(int redirects) {
        return new FetchOptions(policy, connectTimeout, totalTimeout, redirects, userAgent);
    }

    /** {@code goto/0.1.0 (URL shortener; ...)}: names goto and its version, as RFC 9110 §10.1.5 describes the field. */
    static String userAgent(String version) {
        return "goto/" + version + " (URL shortener; checks links and reads page titles)";
    }

    /** goto's version from the jar's {@code gotourl/version.properties}. */
    static String version() {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.InputStream in = FetchOptions.class.getResourceAsStream("/gotourl/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
