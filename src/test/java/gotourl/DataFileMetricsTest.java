package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkEdit;
import gotourl.ops.PrometheusText;
import gotourl.store.log.LogLinkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics shows the data file's size, what its live links take of it, and the compactions. */
class DataFileMetricsTest {
    @TempDir
    Path dir;

    @Test
    void theDataFileAndItsCompactionsAreMeasured() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")))) {
            LogLinkStore store = (LogLinkStore) app.service().store();
            String key = store.add("https://example.com/a").join();
            for (int i = 0; i < 100; i++) {
                store.edit(key, LinkEdit.none().title("edit " + i)).join();
            }
            PrometheusText before = PrometheusText.parse(app.admin("/metrics").body());
            // The records' bytes: the file may be longer by the zeros preallocated after them.
            assertThat(before.value("goto_data_file_bytes")).isEqualTo(store.fileBytes())
                    .isLessThanOrEqualTo(Files.size(dir.resolve("goto.data")));
            assertThat(before.value("goto_data_file_live_bytes")).isPositive().isLessThan(before.value("goto_data_file_bytes") / 10);

            store.compact().get(30, TimeUnit.SECONDS);
            PrometheusText after = PrometheusText.parse(app.admin("/metrics").body());
            assertThat(after.value("goto_compactions_total", "result", "done")).isEqualTo(1);
            assertThat(after.value("goto_compactions_total", "result", "failed")).isZero();
            assertThat(after.value("goto_data_file_bytes")).isEqualTo(store.fileBytes())
                    .isLessThanOrEqualTo(Files.size(dir.resolve("goto.data"))).isLessThan(before.value("goto_data_file_bytes"));
        }
    }
}
