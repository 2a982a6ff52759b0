package gotourl.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code -add-rate}: a token bucket (Bucket4j) per client address, the buckets in a bounded
 * Caffeine cache. A bucket idle for a whole period is full again, so it expires then and its
 * memory goes back; at most {@link #MAX_CLIENTS} are kept (a few hundred bytes each: tens of MiB
 * at the very most), and
 * under a flood of more addresses the least recently used are dropped, which lets their clients
 * start afresh: lenient, never a refusal of a client that did nothing.
 *
 * <p>An IPv6 client is counted by its /64 network, since one host is handed a whole /64 and could
 * otherwise rotate through 2^64 addresses. Behind a reverse proxy every client has the proxy's
 * address: goto reads the connection's address, not X-Forwarded-For, which any client can forge.
 */
final class AddLimiter {
    /** Addresses tracked at once; see the class comment for why dropping more is safe. */
    static final long MAX_CLIENTS = 65_536;

    private final AddAccess.Rate rate;
    private final Bandwidth limit;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /** A limiter of {@code rate}, whose time (refills, expiry) is {@code clock}'s (tests move it). */
    AddLimiter(AddAccess.Rate rate, Clock clock) {
        this.rate = rate;
        this.limit = Bandwidth.builder().capacity(rate.adds()).refillGreedy(rate.adds(), rate.period()).build();
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
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(rate.period())
                .ticker(time::currentTimeNanos)
                .build();
    }

    /** 0 if the client at {@code address} may add now (and counts the add), else the whole seconds until it may. */
    long admit(SocketAddress address) {
        Bucket bucket = buckets.get(clientOf(address), client -> Bucket.builder().addLimit(limit).withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        long nanos = probe.getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    AddAccess.Rate rate() {
        return rate;
    }

    /** The address a client is counted by: its IPv4 address, or the /64 network of its IPv6 address. */
    static String clientOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress ip = inet.getAddress();
            if (ip instanceof Inet6Address) {
                return HexFormat.of().formatHex(Arrays.copyOf(ip.getAddress(), 8)) + "::/64";
            }
            return ip.getHostAddress();
        }
        return String.valueOf(address);
    }
}
