package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code -redirect-status}: 302 as the seed, or 301, 307, 308; anything else is refused at start. */
class RedirectStatusFlagTest {

    @Test
    void theSeedsStatusIsTheDefault() {
        assertThat(Cli.serveConfig(new String[0], Map.of()).redirectStatus()).isEqualTo(302);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 308})
    void eachRedirectStatusInEverySpelling(int status) {
        assertThat(Cli.serveConfig(new String[] {"-redirect-status=" + status}, Map.of()).redirectStatus()).isEqualTo(status);
        assertThat(Cli.serveConfig(new String[] {"--redirect-status", String.valueOf(status)}, Map.of()).redirectStatus()).isEqualTo(status);
        assertThat(Cli.serveConfig(new String[0], Map.of("GOTO_REDIRECT_STATUS", String.valueOf(status))).redirectStatus())
                .isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"303", "200", "404", "moved", ""})
    void otherValuesAreRefusedSayingWhichAreAllowed(String value) {
        assertThatThrownBy(() -> Cli.serveConfig(new String[] {"-redirect-status=" + value}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("302 or 307").hasMessageContaining("301 or 308");
    }

    @Test
    void aBadStatusStopsGotoWithExitCode2AndHelpListsTheFlag() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"-redirect-status=303", "-file=:memory:"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new StopSignal());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("goto: ").contains("-redirect-status").contains("'303'");

        ByteArrayOutputStream help = new ByteArrayOutputStream();
        Cli.run(new String[] {"--help"}, new PrintStream(help, true, StandardCharsets.UTF_8), System.err, Map.of(), new StopSignal());
        assertThat(help.toString(StandardCharsets.UTF_8)).contains("-redirect-status").contains("GOTO_REDIRECT_STATUS")
                .containsPattern("(?m)^  compact +\\S").containsPattern("(?m)^  upgrade +\\S");
    }

    @Test
    void aConfigRefusesAStatusGotoDoesNotSend() {
        assertThatThrownBy(() -> RunningGoto.config(null).withRedirectStatus(303))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("301, 302, 307 or 308");
    }
}
