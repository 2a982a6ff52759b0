package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Visits that come while the user-agent rules load are held on the worker, in order, and
 * classified once the rules are in, never recorded unclassified and never lost; visits with no
 * agent need no rules and do not start loading them.
 */
class HeldVisitsTest {
    private static final String FIREFOX = "Mozilla/5.0 Firefox/133.0";
    private static final String CRAWLER = "ExampleBot/1.0";

    private static VisitEvent visit(int i, String agent) {
        return VisitEvent.redirect(1_700_000_000_000L + i, "a", 1, "/a?i=" + i, null, null, agent, "https://example.com/");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void visitsWaitForTheRulesAndAreClassifiedOnceTheyAreLoaded() throws Exception {
        CountDownLatch rules = new CountDownLatch(1);
        UserAgents agents = UserAgents.loadingUntil(ua -> new UserAgents.Agent(ua.contains("Bot"), ua.split("/")[0], "Unknown"),
                rules);
        MemoryVisitStore store = new MemoryVisitStore();
        Tracker tracker = new Tracker(store, agents, 1_000, null, Clock.systemUTC());
        tracker.start();
        try {
            for (int i = 0; i < 300; i++) {
                assertThat(tracker.offer(visit(i, i % 3 == 0 ? CRAWLER : FIREFOX))).isTrue();
            }
            // The worker empties the queue before it counts what it took as held: wait for the count,
            // not for the queue and a sleep (the worker may not have run again 50 ms later on a busy machine).
            awaitUntil(() -> tracker.held() == 300);
            assertThat(tracker.queueDepth()).isZero();
            assertThat(agents.loadingStarted()).as("the first visit with an agent starts the load").isTrue();
            assertThat(tracker.recorded()).as("recorded before the rules are in").isZero();
            assertThat(tracker.held()).as("held, as goto.visits.held shows").isEqualTo(300);
            assertThat(store.summary("a")).isEqualTo(VisitsSummary.NONE);

            rules.countDown();
            awaitUntil(() -> {
                long recorded = tracker.recorded(); // first: held only drops, so this pair never overcounts
                int held = tracker.held();
                assertThat(recorded + held).as("a visit counted both held and recorded").isLessThanOrEqualTo(300);
                return recorded == 300;
            });
            assertThat(tracker.held()).isZero();
            assertThat(store.summary("a")).isEqualTo(new VisitsSummary(300, 200, 100));
            List<Visit> newestFirst = store.linkVisits("a", VisitsQuery.all().page(1, 300)).data();
            assertThat(newestFirst.getFirst().visitedPath()).isEqualTo("/a?i=299");
            assertThat(newestFirst.getLast().visitedPath()).isEqualTo("/a?i=0");
            assertThat(tracker.dropped()).isZero();
        } finally {
            assertThat(tracker.stop(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void visitsWithoutAnAgentNeedNoRules() throws Exception {
        CountDownLatch rules = new CountDownLatch(1);
        UserAgents agents = UserAgents.loadingUntil(ua -> new UserAgents.Agent(false, ua, "Unknown"), rules);
        MemoryVisitStore store = new MemoryVisitStore();
        Tracker tracker = new Tracker(store, agents, 1_000, null, Clock.systemUTC());
        tracker.start();
        try {
            for (int i = 0; i < 10; i++) {
                tracker.offer(visit(i, null));
            }
            awaitUntil(() -> tracker.recorded() == 10);
            assertThat(store.summary("a")).as("no agent: a bot, as Shlink counts it").isEqualTo(new VisitsSummary(10, 0, 10));
            assertThat(agents.loadingStarted()).isFalse();
        } finally {
            rules.countDown();
            tracker.stop(Duration.ofSeconds(10));
        }
    }
}
