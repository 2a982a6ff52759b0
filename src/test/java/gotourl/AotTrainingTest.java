package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ops.PrometheusText;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT training's keep-alive adds ({@link AotTraining#keepAliveAdds}) take the path a load of
 * many clients takes: every add answered 200 on connections kept open, and group commits holding
 * adds of several clients. Trained one at a time on connections of their own, goto's first
 * seconds under {@code wrk -c64} compiled that path from nothing.
 */
class AotTrainingTest {
    @Test
    void keepAliveAddsAreAnsweredOnKeptConnectionsInSharedGroupCommits(@TempDir Path folder) throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(folder.resolve("links.data")))) {
            int answered = AotTraining.keepAliveAdds(app.service().appPort(), 16, 25);

            assertThat(answered).isEqualTo(400);
            PrometheusText metrics = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(metrics.value("goto_requests_total", "route", "add", "status", "200")).isEqualTo(400);
            assertThat(metrics.value("goto_writer_batch_records_sum")).isEqualTo(400);
            assertThat(metrics.value("goto_writer_batch_records_count"))
                    .as("group commits for 400 adds of 16 clients at once").isLessThan(400);
            // Each add stored under the next key, to the URL the seed's wrk-add.lua sends.
            assertThat(app.get("/0").headers().firstValue("Location").orElseThrow()).matches("https://example\\.com/page/\\d+");
        }
    }
}
