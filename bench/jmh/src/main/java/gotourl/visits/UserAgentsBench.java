package gotourl.visits;

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
 * The visits worker's cost per visit for its agent: a hit in the memo (what nearly every visit
 * costs: the same few agents repeat; the agent is a new String each time, as a request's header
 * is, so its hash is computed), and a miss (Yauaa parses: agents that vary in their version
 * numbers, 200,000 of them against a memo of 10,000).
 *
 * <p>Run: {@code bench/jmh/run UserAgentsBench} (Yauaa's rules load in the set-up: seconds).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class UserAgentsBench {
    private static final String[] BASES = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (compatible; Googlebot/2.%d; +http://www.google.com/bot.html)",
        "curl/8.%d.0",
    };
    private static final int VARIANTS = 200_000;

    private UserAgents agents;
    private char[][] repeated;
    private String[] varied;
    private int next;

    @Setup
    public void load() {
        agents = UserAgents.yauaa();
        agents.load();
        repeated = new char[BASES.length][];
        for (int i = 0; i < BASES.length; i++) {
            repeated[i] = String.format(BASES[i], 131).toCharArray();
            agents.classify(new String(repeated[i]));
        }
        varied = new String[VARIANTS];
        for (int i = 0; i < VARIANTS; i++) {
            varied[i] = String.format(BASES[i % BASES.length], 1_000 + i);
        }
    }

    @Benchmark
    public UserAgents.Agent memoHit() {
        next = (next + 1) % repeated.length;
        return agents.classify(new String(repeated[next]));
    }

    @Benchmark
    public UserAgents.Agent memoMissParse() {
        next = (next + 1) % VARIANTS;
        return agents.classify(varied[next]);
    }
}
