package gotourl.ops;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting a request costs the redirect path: one counter by route and status and one
 * latency histogram by route, with metrics on (an admin listener) and off.
 *
 * <p>Run: {@code bench/jmh/run MetricsBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBench {
    @Param({"on", "off"})
    public String metrics;

    private Metrics meters;

    @Setup
    public void start() {
        meters = metrics.equals("on") ? Metrics.enabled() : Metrics.disabled();
    }

    @TearDown
    public void stop() {
        meters.close();
    }

    @Benchmark
    public void countRedirect() {
        meters.request(Metrics.Route.REDIRECT, 302, System.nanoTime() - 50_000);
    }
}
