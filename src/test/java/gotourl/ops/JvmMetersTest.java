package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The JVM's meters are bound once goto serves ({@link Metrics#bindJvmMeters}), not when the
 * registry is made: a new registry has goto's own meters only, a bind adds the JVM's, a second
 * bind adds nothing twice, and a registry closed before any bind closes cleanly.
 */
class JvmMetersTest {
    @Test
    void theJvmMetersComeWithTheBindOnlyAndOnce() {
        Metrics metrics = Metrics.enabled();
        try {
            PrometheusText before = PrometheusText.parse(metrics.scrape());
            assertThat(before.has("goto_requests_total")).isTrue();
            assertThat(before.has("jvm_memory_used_bytes")).as("before the bind").isFalse();
            assertThat(before.has("process_uptime_seconds")).isFalse();

            metrics.bindJvmMeters();
            metrics.bindJvmMeters();
            String scrape = metrics.scrape();
            PrometheusText after = PrometheusText.parse(scrape);
            assertThat(after.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(after.sum("jvm_threads_live_threads")).isPositive();
            assertThat(after.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
            assertThat(after.value("process_uptime_seconds")).isPositive();
            assertThat(scrape.lines().filter(line -> line.startsWith("# TYPE jvm_threads_live_threads ")).count())
                    .as("bound once").isEqualTo(1);
        } finally {
            metrics.close();
        }
        Metrics neverBound = Metrics.enabled();
        neverBound.close();
        Metrics.disabled().bindJvmMeters(); // no registry: nothing to bind, no failure
    }
}
