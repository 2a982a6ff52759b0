package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every thread goto starts is named, and stopped by goto's shutdown: none is left alive after it,
 * whatever goto did while running.
 */
class ThreadOwnershipTest {
    @TempDir
    Path dir;

    @Test
    void noThreadGotoStartedOutlivesItsShutdown() throws Exception {
        Set<Long> gotoThreadsBefore = GotoThreads.snapshot();
        Set<Long> before = liveThreads().keySet();
        Map<Long, String> started;
        Config config = RunningGoto.config(dir.resolve("goto.data")).withAccessLog(dir.resolve("access.log"));
        try (RunningGoto app = RunningGoto.start(config)) {
            String key = QueryAdd.key(app, "https://example.com/threads");
            assertThat(app.get("/" + key).statusCode()).isEqualTo(302);
            assertThat(app.admin("/metrics").statusCode()).isEqualTo(200);
            assertThat(app.admin("/health/ready").statusCode()).isEqualTo(200);

            started = liveThreads();
            started.keySet().removeAll(before);
            assertThat(started.values()).as("threads goto started")
                    .anyMatch(name -> name.equals("goto-writer"))
                    .anyMatch(name -> name.equals("goto-visits"))
                    .anyMatch(name -> name.startsWith("goto-http"))
                    .anyMatch(name -> name.startsWith("goto-scheduler"));
            assertThat(app.shutdown()).isTrue();
        }
        assertThat(GotoThreads.aliveExcept(gotoThreadsBefore)).as("goto threads after shutdown").isEmpty();
        Map<Long, String> left = liveThreads();
        left.keySet().retainAll(started.keySet());
        // The test's own HTTP client's workers end on their own after it is closed (one was still
        // ending on a busy machine); they are not goto's.
        left.values().removeIf(name -> name.startsWith("HttpClient-"));
        // See GotoThreads: the user-agent rules' loader is the process's, and ends once they are loaded.
        left.values().removeIf(name -> name.equals("goto-agents"));
        assertThat(left.values()).as("threads started while goto ran, still alive after its shutdown").isEmpty();
    }

    @Test
    void aFailedStartLeavesNoThread() throws Exception {
        Set<Long> gotoThreadsBefore = GotoThreads.snapshot();
        Path notADirectory = dir.resolve("missing-directory").resolve("goto.data");
        try {
            GotoService.start(RunningGoto.config(notADirectory), new StopSignal());
            throw new AssertionError("goto started on a file in a missing directory");
        } catch (GotoService.StartException expected) {
            assertThat(expected.getMessage()).contains("does not exist");
        }
        assertThat(GotoThreads.aliveExcept(gotoThreadsBefore)).isEmpty();
    }

    private static Map<Long, String> liveThreads() throws InterruptedException {
        // Give threads that are finishing a moment, so only the ones that stay count.
        for (int i = 0; i < 200; i++) {
            List<Thread> finishing = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getState() == Thread.State.TERMINATED).toList();
            if (finishing.isEmpty()) {
                break;
            }
            Thread.sleep(10);
        }
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toMap(Thread::threadId, Thread::getName, (a, b) -> a, java.util.HashMap::new));
    }
}
