package gotourl.visits;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A process that records visits as fast as it can into a log store, printing how many it has
 * offered every 50 ms, until it is killed: the child of {@link VisitsKillNineTest}.
 */
public final class VisitsChild {
    private VisitsChild() {}

    public static void main(String[] args) throws Exception {
        LogVisitStore store = LogVisitStore.open(Path.of(args[0]));
        Tracker tracker = new Tracker(store, SomeVisits.simpleAgents(), Tracker.DEFAULT_CAPACITY, null, Clock.systemUTC());
        tracker.start();
        long offered = 0;
        long nextPrint = System.nanoTime();
        while (true) {
            for (int i = 0; i < 100; i++) {
                if (tracker.offer(TrackerTest.event("k" + (offered % 7), System.currentTimeMillis(),
                        offered % 3 == 0 ? SomeVisits.GOOGLEBOT : SomeVisits.FIREFOX))) {
                    offered++;
                }
            }
            if (System.nanoTime() >= nextPrint) {
                System.out.println("offered " + offered + " dropped " + tracker.dropped());
                System.out.flush();
                nextPrint = System.nanoTime() + 50_000_000;
            }
            Thread.sleep(1);
        }
    }
}
