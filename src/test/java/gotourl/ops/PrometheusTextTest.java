package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The scrape reader must itself refuse what Prometheus would refuse, or the metrics test proves nothing. */
class PrometheusTextTest {
    private static final String SCRAPE = """
            # HELP goto_requests_total HTTP requests answered, by route and status
            # TYPE goto_requests_total counter
            goto_requests_total{route="add",status="200"} 3.0
            goto_requests_total{route="redirect",status="302"} 2
            # TYPE goto_request_latency_seconds histogram
            goto_request_latency_seconds_bucket{route="add",le="0.001"} 1
            goto_request_latency_seconds_bucket{route="add",le="+Inf"} 3
            goto_request_latency_seconds_count{route="add"} 3
            goto_request_latency_seconds_sum{route="add"} 0.0042
            # TYPE odd gauge
            odd{path="a \\"quoted\\" \\\\ value, with a comma"} NaN
            """;

    @Test
    void readsSamplesLabelsAndValues() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertThat(text.value("goto_requests_total", "route", "add", "status", "200")).isEqualTo(3.0);
        assertThat(text.sum("goto_requests_total")).isEqualTo(5.0);
        assertThat(text.value("goto_request_latency_seconds_bucket", "route", "add", "le", "+Inf")).isEqualTo(3.0);
        assertThat(text.type("goto_request_latency_seconds")).isEqualTo("histogram");
        assertThat(text.samples().getLast().labels()).containsEntry("path", "a \"quoted\" \\ value, with a comma");
        assertThat(text.value("odd", "path", "a \"quoted\" \\ value, with a comma")).isNaN();
    }

    @Test
    void refusesWhatAScraperWouldRefuse() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\na{route=\"x\" 1\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\na 1.2.3\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> PrometheusText.parse("b 1\n")).hasMessageContaining("no TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\na{route=unquoted} 1\n")).hasMessageContaining("bad labels");
        assertThatThrownBy(() -> PrometheusText.parse("<html>error</html>\n")).hasMessageContaining("not a sample");
        assertThatThrownBy(() -> PrometheusText.parse("")).hasMessageContaining("no samples");
    }
}
