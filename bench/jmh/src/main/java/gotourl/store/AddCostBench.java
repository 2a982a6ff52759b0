package gotourl.store;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What listing adds to an add: {@code publishAdd} is the whole in-memory part of the seed's
 * {@code /add} (plan a key, publish it: index, URL table, and now the creation order), and
 * {@code orderAppend} the creation order's share of it alone. Redirects read none of it.
 *
 * <p>Run: {@code bench/jmh/run AddCostBench}
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AddCostBench {
    private LinkState state;
    private LinkOrder order;
    private long counter;
    private final Instant now = Instant.ofEpochSecond(1_700_000_000L);

    /** A fresh state each iteration, so an iteration's adds do not grow without bound. */
    @Setup(Level.Iteration)
    public void fresh() {
        state = new LinkState();
        order = new LinkOrder();
        counter = 0;
    }

    @Benchmark
    public LinkState.Plan publishAdd() {
        LinkState.Plan plan = state.planAdd("https://example.com/page/" + counter++, now);
        state.publish(plan);
        return plan;
    }

    @Benchmark
    public int orderAppend() {
        return order.append(counter++, null, 1_700_000_000L);
    }
}
