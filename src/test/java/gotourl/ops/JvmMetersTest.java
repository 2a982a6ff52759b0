package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The JVM's meters are bound at the first scrape ({@link Metrics#scrape}, through
 * {@link Metrics#bindJvmMeters}), not when the registry is made nor at start: a new registry has
 * goto's own meters only, the first scrape already shows the JVM's, later scrapes and binds add
 * nothing twice, and a registry closed before any bind closes cleanly and binds nothing after.
 */
class JvmMetersTest {
    @Test
    void theJvmMetersComeWithTheFirstScrapeOnlyAndOnce() {
        Metrics metrics = Metrics.enabled();
        try {
            assertThat(metrics.hasMeter("goto.requests")).isTrue();
            assertThat(metrics.hasMeter("jvm.memory.used")).as("before any scrape").isFalse();
            assertThat(metrics.hasMeter("process.uptime")).isFalse();

            PrometheusText first = PrometheusText.parse(metrics.scrape());
            assertThat(first.has("goto_requests_total")).isTrue();
            assertThat(first.sum("jvm_memory_used_bytes")).as("in the first scrape").isPositive();
            assertThat(first.sum("jvm_threads_live_threads")).isPositive();
            assertThat(first.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
            assertThat(first.value("process_uptime_seconds")).isPositive();

            metrics.bindJvmMeters();
            String scrape = metrics.scrape();
            assertThat(PrometheusText.parse(scrape).sum("jvm_memory_used_bytes")).isPositive();
            assertThat(scrape.lines().filter(line -> line.startsWith("# TYPE jvm_threads_live_threads ")).count())
                    .as("bound once").isEqualTo(1);
        } finally {
            metrics.close();
        }
        Metrics neverBound = Metrics.enabled();
        neverBound.close();
        neverBound.scrape(); // a scrape racing a stop, after it
        assertThat(neverBound.jvmMetersBound()).as("a scrape after close binds no GC listener that nothing would close").isFalse();
        Metrics.disabled().bindJvmMeters(); // no registry: nothing to bind, no failure
        assertThat(Metrics.disabled().scrape()).isEmpty();
    }
}
