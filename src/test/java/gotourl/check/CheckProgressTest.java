package gotourl.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code goto check}'s progress when standard error is no terminal (a log, a pipe, CI): plain lines, each state once. */
class CheckProgressTest {
    @Test
    void theFinalLineIsPrintedOnceWithoutATerminal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CheckProgress progress = CheckProgress.start(new PrintStream(err, true, StandardCharsets.UTF_8), 3, false)) {
            for (int i = 0; i < 3; i++) {
                progress.step();
            }
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().filter(line -> line.contains("3/3")).toList()).as("the final state, in %s", lines).hasSize(1);
        assertThat(lines.getLast()).contains("checking").contains("3/3").contains("links/s");
        assertThat(String.join("", lines)).doesNotContainPattern("\\p{Cntrl}");
    }
}
