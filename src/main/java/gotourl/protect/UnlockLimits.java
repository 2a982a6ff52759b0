package gotourl.protect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;

/**
 * How fast passwords may be tried: a token bucket (Bucket4j) per client address and one per
 * link, each in a bounded Caffeine cache (as {@code -add-rate}'s buckets). Every try takes a
 * token from both; a right password gives its link's token back, so a popular protected link is
 * never locked by its own visitors, while wrong guesses from many addresses still run its bucket
 * dry. With the defaults a client tries {@value #DEFAULT_CLIENT_TRIES} times a minute and a link
 * takes {@value #DEFAULT_LINK_TRIES} wrong passwords a minute from everyone together: guessing
 * even a weak 8-character password takes years. Time comes from the given clock (tests move it).
 */
public final class UnlockLimits {
    public static final int DEFAULT_CLIENT_TRIES = 5;
    public static final int DEFAULT_LINK_TRIES = 30;
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
    /** Buckets kept at once, per kind: a few hundred bytes each; an evicted bucket was idle or is the oldest. */
    static final long MAX_BUCKETS = 65_536;

    private final Bandwidth clientLimit;
    private final Bandwidth linkLimit;
    private final TimeMeter time;
    private final Cache<String, Bucket> clients;
    private final Cache<String, Bucket> links;

    /** The defaults, on {@code clock}'s time. */
    public UnlockLimits(Clock clock) {
        this(DEFAULT_CLIENT_TRIES, DEFAULT_LINK_TRIES, DEFAULT_PERIOD, clock);
    }

    /** {@code clientTries} per client and {@code linkTries} wrong ones per link, each per {@code period}. */
    public UnlockLimits(int clientTries, int linkTries, Duration period, Clock clock) {
        if (clientTries < 1 || linkTries < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("unlock limits need at least one try per positive period, not "
                    + clientTries + " and " + linkTries + " per " + period);
        }
        this.clientLimit = Bandwidth.builder().capacity(clientTries).refillGreedy(clientTries, period).build();
        this.linkLimit = Bandwidth.builder().capacity(linkTries).refillGreedy(linkTries, period).build();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.clients = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(period).ticker(time::currentTimeNanos).build();
        this.links = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(period).ticker(time::currentTimeNanos).build();
    }

    /**
     * Takes a try for {@code client} (its address, or its /64 network) on the link under
     * {@code shortCode}: 0 when it may try now, else the whole seconds until it may (for
     * {@code Retry-After}); a refused try takes nothing.
     */
    public long admit(String client, String shortCode) {
        Bucket clientBucket = clients.get(client, key -> newBucket(clientLimit));
        Bucket linkBucket = links.get(shortCode, key -> newBucket(linkLimit));
        ConsumptionProbe byClient = clientBucket.tryConsumeAndReturnRemaining(1);
        if (!byClient.isConsumed()) {
            return seconds(byClient.getNanosToWaitForRefill());
        }
        ConsumptionProbe byLink = linkBucket.tryConsumeAndReturnRemaining(1);
        if (!byLink.isConsumed()) {
            clientBucket.addTokens(1); // refused by the link's bucket: the client tried nothing
            return seconds(byLink.getNanosToWaitForRefill());
        }
        return 0;
    }

    /** A right password: the link's token goes back (the client's does not: it still tried). */
    public void unlocked(String shortCode) {
        Bucket bucket = links.getIfPresent(shortCode);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    private Bucket newBucket(Bandwidth limit) {
        return Bucket.builder().addLimit(limit).withCustomTimePrecision(time).build();
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
