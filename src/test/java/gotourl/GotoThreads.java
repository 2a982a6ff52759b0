package gotourl;

import java.time.Duration;
import java.util.List;

/** The threads goto starts are all named goto-*; these find the ones still alive. */
public final class GotoThreads {
    private GotoThreads() {}

    /** Names of live goto threads, after giving stopping ones up to two seconds to end. */
    public static List<String> alive() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<String> alive = now();
        while (!alive.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
            alive = now();
        }
        return alive;
    }

    private static List<String> now() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("goto"))
                .sorted()
                .toList();
    }
}
