package gotourl.http;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code -add-rate} adds to each {@code /add}: {@link AddLimiter#admit} for a client seen
 * before (its bucket found in the cache) and for a stream of new clients (a bucket made, the
 * cache at its bound evicting). The rate is high enough that every add is admitted: the cost of
 * the check, not of a refusal.
 *
 * <p>Run: {@code bench/jmh/run AddLimiterBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AddLimiterBench {
    private AddLimiter limiter;
    private InetSocketAddress known;
    private InetSocketAddress[] many;
    private int next;

    @Setup
    public void limiter() {
        limiter = new AddLimiter(new AddAccess.Rate(1_000_000_000L, Duration.ofSeconds(1)), Clock.systemUTC());
        known = new InetSocketAddress("192.0.2.10", 40000);
        many = new InetSocketAddress[1 << 18];
        for (int i = 0; i < many.length; i++) {
            many[i] = new InetSocketAddress("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF), 40000);
        }
    }

    @Benchmark
    public long knownClient() {
        return limiter.admit(known);
    }

    @Benchmark
    public long manyClients() {
        return limiter.admit(many[next++ & (many.length - 1)]);
    }
}
