package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ops.PrometheusText;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto_writer_force_latency_seconds} counts forces of the data file, not group commits.
 * With {@code -sync=false} the writer forces once a second, not per commit; every commit used to
 * be recorded as a force of 0 s, which hid the real forces among zeros.
 */
class AsyncForceLatencyTest {
    @TempDir
    Path dir;

    @Test
    void asyncModeRecordsRealForcesOnly() throws Exception {
        Config async = RunningGoto.config(dir.resolve("goto.data")).withSync(false);
        try (RunningGoto app = RunningGoto.start(async)) {
            for (int i = 0; i < 20; i++) {
                assertThat(app.get("/add?url=https://example.com/" + i).statusCode()).isEqualTo(200);
            }
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            double commits = metrics.value("goto_writer_batch_records_count");
            double forces = metrics.value("goto_writer_force_latency_seconds_count");
            double forcedSeconds = metrics.value("goto_writer_force_latency_seconds_sum");
            assertThat(commits).as("group commits").isGreaterThanOrEqualTo(1);
            // One force a second at most: 20 quick adds span a second or two even on a busy machine.
            assertThat(forces).as("forces recorded after %s commits", commits).isLessThan(commits).isLessThanOrEqualTo(5);
            if (forces > 0) {
                assertThat(forcedSeconds / forces).as("mean force time").isGreaterThan(0);
            }
        }
    }

    @Test
    void durableModeRecordsOneForcePerGroupCommit() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")))) {
            for (int i = 0; i < 5; i++) {
                assertThat(app.get("/add?url=https://example.com/" + i).statusCode()).isEqualTo(200);
            }
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_writer_force_latency_seconds_count"))
                    .isEqualTo(metrics.value("goto_writer_batch_records_count")).isEqualTo(5);
            assertThat(metrics.value("goto_writer_force_latency_seconds_sum")).isGreaterThan(0);
        }
    }
}
