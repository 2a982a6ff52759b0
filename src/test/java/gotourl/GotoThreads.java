package gotourl;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads goto starts are all named goto-*; these find the ones still alive. Tests compare
 * with a snapshot taken before, so a thread another test left behind is not blamed on theirs.
 */
public final class GotoThreads {
    private GotoThreads() {}

    /** The ids of the goto threads alive now. */
    public static Set<Long> snapshot() {
        return live().map(Thread::threadId).collect(Collectors.toSet());
    }

    /**
     * Names of live goto threads that are not in {@code before}, after giving stopping ones up to
     * two seconds to end.
     */
    public static List<String> aliveExcept(Set<Long> before) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<String> alive = namesExcept(before);
        while (!alive.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
            alive = namesExcept(before);
        }
        return alive;
    }

    private static List<String> namesExcept(Set<Long> before) {
        return live().filter(t -> !before.contains(t.threadId())).map(Thread::getName).sorted().toList();
    }

    private static java.util.stream.Stream<Thread> live() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("goto"))
                // The user-agent rules' loader belongs to the process, not to one goto: the rules
                // are shared by every goto it runs, the thread is a daemon that ends once they are
                // loaded, and a stop does not wait seconds for rules nobody will use.
                .filter(t -> !(t.getName().equals("goto-agents") && t.isDaemon()));
    }
}
