package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ports {@code bench/run} (and so the smoke run in {@code ./run-tests}) gives its servers: free
 * ones unless BENCH_PORT says otherwise. They were fixed (18080 and beside it), so a suite failed
 * after minutes whenever another one, or anything else, held them.
 */
class BenchPortsTest {

    @Test
    void withoutBenchPortTheServersGetFreePorts() throws Exception {
        Set<Integer> bases = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            List<Integer> ports = benchPorts(Map.of());
            int base = ports.getFirst();
            assertThat(ports).containsExactly(base, base + 1, base + 10, base + 20);
            for (int port : ports) {
                try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    assertThat(bound.isBound()).as("port %d is free", port).isTrue();
                }
            }
            bases.add(base);
        }
        assertThat(bases).as("picked at random, so that runs at once do not pick the same").hasSizeGreaterThan(1);
    }

    @Test
    void benchPortIsHonoured() throws Exception {
        assertThat(benchPorts(Map.of("BENCH_PORT", "28280"))).containsExactly(28280, 28281, 28290, 28300);
    }

    private static List<Integer> benchPorts(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; . bench/lib/util.sh; bench_ports; echo $GOTO_PORT $GOTO_ADMIN_PORT $REF_PORT $NGINX_PORT");
        builder.environment().remove("BENCH_PORT");
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return Arrays.stream(out.split(" ")).map(Integer::valueOf).toList();
    }
}
