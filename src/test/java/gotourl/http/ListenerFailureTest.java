package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.StopSignal;
import gotourl.StderrCapture;
import gotourl.store.MemoryLinkStore;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The app and admin listeners share one lifecycle: if either stops while goto runs, goto stops
 * as a whole, as a failure (exit code 1), saying which listener and where.
 */
class ListenerFailureTest {

    @Test
    void whenTheAdminListenerStopsGotoStopsBothAndNamesIt() throws Exception {
        assertTheOtherStopsToo("admin", "app");
    }

    @Test
    void whenTheAppListenerStopsGotoStopsBothAndNamesIt() throws Exception {
        assertTheOtherStopsToo("app", "admin");
    }

    private static void assertTheOtherStopsToo(String failing, String other) throws Exception {
        StopSignal stop = new StopSignal();
        GotoService service = GotoService.start(RunningGoto.config(null), stop, (config, metrics) -> new MemoryLinkStore());
        boolean shutDown = false;
        try (StderrCapture log = StderrCapture.start()) {
            int failingPort = failing.equals("app") ? service.appPort() : service.adminPort();
            int otherPort = other.equals("app") ? service.appPort() : service.adminPort();
            assertThat(stop.isStopped()).isFalse();

            service.web().listener(failing).stop();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stop.isStopped() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stop.isStopped()).as("goto was told to stop").isTrue();
            // What goto's command does with the signal: shut down, and exit 1 as it is a failure.
            StopSignal.Reason reason = stop.await();
            String named = failing + " listener on 127.0.0.1:" + failingPort + " stopped unexpectedly";
            assertThat(reason.failure()).as("a failure: goto exits non-zero").isTrue();
            assertThat(reason.why()).isEqualTo(named);
            service.shutdown(reason.why());
            shutDown = true;
            assertThat(log.text()).contains("ERROR goto - " + named + "; goto stops both listeners");
            assertThatThrownBy(() -> new Socket("127.0.0.1", otherPort).close())
                    .as("the %s listener is closed too", other).isInstanceOf(IOException.class);
        } finally {
            if (!shutDown) {
                service.shutdown("the test is done");
            }
        }
    }
}
