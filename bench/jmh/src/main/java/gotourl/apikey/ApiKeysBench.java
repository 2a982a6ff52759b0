package gotourl.apikey;

import gotourl.store.MemoryLinkStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What authenticating a REST request costs: {@link StoredApiKeys#authenticate} of a good key,
 * an unknown one, and none, among {@code keys} stored keys; and the SHA-256 alone, which is most
 * of it. Runs on the request's thread, so it is held to the redirect path's standard: no lock, no
 * blocking, one hash.
 *
 * <p>Run: {@code bench/jmh/run ApiKeysBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ApiKeysBench {
    @Param({"10", "10000"})
    int keys;

    private ApiKeys apiKeys;
    private String good;
    private final String unknown = "goto_0000000000000000000000";
    private final Instant now = Instant.parse("2026-11-30T12:00:00Z");

    @Setup
    public void store() throws Exception {
        MemoryLinkStore store = new MemoryLinkStore();
        ApiKeyAdmin admin = new ApiKeyAdmin(store, Clock.systemUTC());
        for (int i = 0; i < keys; i++) {
            String secret = admin.generate("key-" + i, ApiKey.Role.AUTHOR, null).get().secret();
            if (i == keys / 2) {
                good = secret;
            }
        }
        apiKeys = StoredApiKeys.of(store);
    }

    @Benchmark
    public ApiKeys.Authentication granted() {
        return apiKeys.authenticate(good, now);
    }

    @Benchmark
    public ApiKeys.Authentication unknown() {
        return apiKeys.authenticate(unknown, now);
    }

    @Benchmark
    public ApiKeys.Authentication missing() {
        return apiKeys.authenticate(null, now);
    }

    @Benchmark
    public KeyHash sha256Only() {
        return KeyHash.of(good);
    }
}
