package gotourl.http;

import java.time.Duration;

/**
 * Who may use the public {@code /add}: anyone (the seed's default) or no one ({@code -public-add=false},
 * which leaves the REST API with an API key as the way to create links), and how often one client
 * address may add ({@code -add-rate}, or null for no limit).
 */
public record AddAccess(boolean publicAdd, Rate rate) {
    /** The seed's {@code /add}: open, no limit. */
    public static final AddAccess SEED = new AddAccess(true, null);

    /**
     * At most {@code adds} per {@code period} per client address: a bucket of {@code adds}
     * tokens refilled evenly over {@code period} (so a client may add {@code adds} at once, then
     * one every {@code period / adds}).
     */
    public record Rate(long adds, Duration period) {
        public Rate {
            if (adds < 1) {
                throw new IllegalArgumentException("a rate allows at least 1 add per period, not " + adds);
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("a rate's period must be positive, not " + period);
            }
        }
    }
}
