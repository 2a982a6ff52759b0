package gotourl.check;

import gotourl.fetch.AddressPolicy;
import gotourl.fetch.FetchOptions;
import java.time.Duration;

/**
 * How goto checks links and resolves titles; part of {@code gotourl.Config}.
 *
 * @param interval      how often a running goto re-checks every link ({@code -check-interval}), or
 *                      null when it does not (the default)
 * @param concurrency   at most this many links fetched at once ({@code -check-concurrency})
 * @param perHost       at most this many at once from one host ({@code -check-per-host}): politeness
 * @param timeout       how long one link's check may take, redirects included ({@code -check-timeout})
 * @param fetchPrivate  fetches may reach private, loopback and link-local addresses ({@code -fetch-private})
 * @param resolveTitles a link created without a title gets its page's {@code <title>} ({@code -resolve-titles})
 */
public record CheckSettings(Duration interval, int concurrency, int perHost, Duration timeout, boolean fetchPrivate,
                            boolean resolveTitles) {
    public static final int DEFAULT_CONCURRENCY = 32;
    /** Two at once per host, as browsers' early per-host limit and most crawlers' politeness default. */
    public static final int DEFAULT_PER_HOST = 2;
    public static final Duration DEFAULT_TIMEOUT = FetchOptions.DEFAULT_TOTAL_TIMEOUT;
    /** Checks more often than this would hammer the sites a goto links to. */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

    public CheckSettings {
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("check concurrency must be 1 to 4096, not " + concurrency);
        }
        if (perHost < 1) {
            throw new IllegalArgumentException("checks per host must be at least 1, not " + perHost);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("check timeout must be positive, not " + timeout);
        }
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("check interval " + interval + " is shorter than " + MIN_INTERVAL.toMinutes()
                    + " minute: every link's site would be fetched that often");
        }
    }

    /** No background checks, no titles, public addresses only. */
    public static CheckSettings defaults() {
        return new CheckSettings(null, DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, DEFAULT_TIMEOUT, false, false);
    }

    /** The fetch options these settings ask for. */
    public FetchOptions fetchOptions() {
        FetchOptions defaults = FetchOptions.defaults();
        Duration connect = timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
        return defaults.withPolicy(fetchPrivate ? AddressPolicy.ALLOW_PRIVATE : AddressPolicy.PUBLIC_ONLY).withTimeouts(connect, timeout);
    }

    /** True when anything needs outbound fetches in a running goto. */
    public boolean fetches() {
        return interval != null || resolveTitles;
    }
}
