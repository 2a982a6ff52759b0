package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.log.LogLinkStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -sync=false} under kill -9 loses no more than the README says (the adds still in
 * memory: at most 8,192), never gives a lost link's key to another URL, and SIGTERM loses nothing.
 */
class AsyncModeKillTest {
    /** README, "Durability": a kill -9 in async mode loses at most two queues' worth of adds. */
    static final int MAY_LOSE = 8_192;
    static final int KILL_CYCLES = 5;
    static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void killNineLosesAtMostWhatWasInMemoryAndNoKeyIsEverReused() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Random random = new Random(3);
        for (int cycle = 0; cycle < KILL_CYCLES; cycle++) {
            Map<String, String> thisCycle = new ConcurrentHashMap<>();
            try (ChildGoto child = startAsync(file, "cycle-" + cycle)) {
                List<Thread> clients = startClients(child, cycle, thisCycle, problems);
                KillNineTest.awaitAcknowledged(thisCycle, 1);
                Thread.sleep(random.nextInt(300));
                child.kill9();
                for (Thread client : clients) {
                    client.join(30_000);
                }
            }
            assertThat(problems).as("cycle " + cycle).isEmpty();
            for (String key : thisCycle.keySet()) {
                assertThat(acknowledged.put(key, thisCycle.get(key))).as("key " + key + " acknowledged in an earlier cycle too").isNull();
            }
            List<String> lost = lostOrChanged(file, thisCycle, "cycle " + cycle);
            assertThat(lost.size()).as("acknowledged adds lost in cycle " + cycle + ": " + lost).isLessThanOrEqualTo(MAY_LOSE);
        }
        assertThat(acknowledged.size()).isGreaterThan(KILL_CYCLES * CLIENTS);
    }

    @Test
    void sigtermLosesNothingInAsyncMode() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        try (ChildGoto child = startAsync(file, "sigterm")) {
            List<Thread> clients = startClients(child, 0, acknowledged, problems);
            KillNineTest.awaitAcknowledged(acknowledged, 50);
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.log()).isZero();
            for (Thread client : clients) {
                client.join(30_000);
            }
        }
        problems.removeIf(problem -> problem.contains(" 503: ")); // refused while stopping: not acknowledged
        assertThat(problems).isEmpty();
        assertThat(acknowledged).isNotEmpty();
        assertThat(lostOrChanged(file, acknowledged, "after SIGTERM")).isEmpty();
    }

    private ChildGoto startAsync(Path file, String name) throws Exception {
        return ChildGoto.startWithJvmOptions(dir.resolve(name + ".log"), ChildGoto.QUICK_START, "-http=127.0.0.1:0", "-admin=off",
                "-host=goto.test", "-sync=false", "-file=" + file).awaitServing(Duration.ofSeconds(30));
    }

    private static List<Thread> startClients(ChildGoto child, int cycle, Map<String, String> acknowledged, List<String> problems) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            String prefix = "https://example.com/async/" + cycle + "/" + client + "/";
            clients.add(Thread.ofPlatform().start(() -> KillNineTest.addUntilGotoDies(child.appPort(), prefix, start, acknowledged, problems)));
        }
        start.countDown();
        return clients;
    }

    /**
     * The acknowledged links a restart does not have; fails at once if any key holds another URL
     * than the one acknowledged for it.
     */
    private static List<String> lostOrChanged(Path file, Map<String, String> acknowledged, String when) throws Exception {
        List<String> lost = new ArrayList<>();
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            acknowledged.forEach((key, url) -> {
                String stored = store.longUrlOf(key);
                assertThat(stored).as(when + ": key " + key + " holds another URL than the one acknowledged").isIn(url, null);
                if (stored == null) {
                    lost.add(key);
                }
            });
        }
        return lost;
    }
}
