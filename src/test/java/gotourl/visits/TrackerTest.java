package gotourl.visits;

import static gotourl.visits.SomeVisits.FIREFOX;
import static gotourl.visits.SomeVisits.GOOGLEBOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tracker's promises: offers never wait, a full queue drops and counts, stop drains, failures stay in visits. */
class TrackerTest {
    @TempDir
    Path dir;

    static VisitEvent event(String code, long millis, String agent) {
        return VisitEvent.redirect(millis, code, 1, "/" + code, null, null, agent, "https://example.com/" + code);
    }

    /** A store whose appends wait until the test lets them go. */
    static final class HeldStore extends ForwardingVisitStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldStore(VisitStore store) {
            super(store);
        }

        @Override
        public void append(List<Visit> visits) throws IOException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            super.append(visits);
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
        HeldStore held = new HeldStore(new MemoryVisitStore());
        Tracker tracker = new Tracker(held, SomeVisits.simpleAgents(), 100, null, Clock.systemUTC());
        tracker.start();
        assertThat(tracker.offer(event("a", 1, FIREFOX))).isTrue();
        assertThat(held.entered.await(10, TimeUnit.SECONDS)).as("the worker took the first event").isTrue();
        // The worker is held inside append: 100 events fill the queue, the rest are dropped.
        long start = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 1_000; i++) {
            if (tracker.offer(event("a", 2 + i, FIREFOX))) {
                accepted++;
            }
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(accepted).isEqualTo(100);
        assertThat(tracker.dropped()).isEqualTo(900);
        assertThat(tookMillis).as("1,000 offers to a full queue return at once").isLessThan(2_000);
        held.release.countDown();
        assertThat(tracker.stop(Duration.ofSeconds(10))).isZero();
        assertThat(tracker.recorded()).isEqualTo(101);
        assertThat(held.summary("a").total()).isEqualTo(101);
    }

    /**
     * On one core the worker and the selector thread take turns, and every request in flight waits
     * while the worker records: a backlog is recorded in batches of at most {@link Tracker#MAX_BATCH},
     * with a sleep of {@link Tracker#REST_NANOS} after each full one.
     */
    @Test
    void aBacklogIsRecordedInShortBatchesWithARestAfterEachFullOne() throws Exception {
        int backlog = 10 * Tracker.MAX_BATCH;
        List<Long> done = stepsOfABacklog(10_000, backlog, true);
        assertThat(done).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(Tracker.MAX_BATCH));
        int full = 0;
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i) == Tracker.MAX_BATCH) {
                full++;
                assertThat(i + 1 < done.size() ? done.get(i + 1) : -1L).as("a rest after full batch %d of %s", full, done).isEqualTo(-1L);
            }
        }
        assertThat(full).as("a backlog of %d is %d full batches", backlog, 10).isEqualTo(10);
    }

    /** A worker that has fallen behind records without resting until the queue is short again. */
    @Test
    void aWorkerFallenBehindDoesNotRestUntilItCatchesUp() throws Exception {
        int capacity = 40 * Tracker.MAX_BATCH;
        List<Long> done = stepsOfABacklog(capacity, capacity, false);
        // Full batches while at least capacity / REST_BELOW_DIVISOR events still waited: no rest.
        int behind = 40 - 40 / Tracker.REST_BELOW_DIVISOR;
        assertThat(done.subList(1, 1 + behind)).as("%s", done).allSatisfy(size -> assertThat(size).isEqualTo(Tracker.MAX_BATCH));
        assertThat(done).as("then it rests again").contains(-1L);
    }

    /**
     * A tracker with a queue of {@code capacity} whose worker is held in its first append while
     * {@code backlog} more visits are queued, then let go: what the worker did, in order, the size
     * of each append and -1 for each rest (slept for when {@code sleep}, else only noted). Every
     * visit is recorded, none dropped.
     */
    private static List<Long> stepsOfABacklog(int capacity, int backlog, boolean sleep) throws Exception {
        List<Long> steps = Collections.synchronizedList(new ArrayList<>());
        HeldStore held = new HeldStore(new MemoryVisitStore());
        VisitStore watched = new ForwardingVisitStore(held) {
            @Override
            public void append(List<Visit> visits) throws IOException {
                super.append(visits);
                steps.add((long) visits.size());
            }
        };
        Tracker tracker = new Tracker(watched, SomeVisits.simpleAgents(), capacity, null, Clock.systemUTC());
        tracker.rest = nanos -> {
            assertThat(nanos).isEqualTo(Tracker.REST_NANOS);
            steps.add(-1L);
            if (sleep) {
                LockSupport.parkNanos(nanos);
            }
        };
        tracker.start();
        assertThat(tracker.offer(event("a", 1, FIREFOX))).isTrue();
        assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < backlog; i++) {
            assertThat(tracker.offer(event("a", 2 + i, FIREFOX))).isTrue();
        }
        held.release.countDown();
        awaitUntil(() -> tracker.recorded() == backlog + 1);
        assertThat(tracker.stop(Duration.ofSeconds(10))).isZero();
        assertThat(tracker.dropped()).isZero();
        return List.copyOf(steps);
    }

    @Test
    void stopDrainsEverythingQueuedWithinTheDeadline() throws Exception {
        LogVisitStore store = LogVisitStore.open(dir.resolve("visits"));
        HeldStore held = new HeldStore(store);
        Tracker tracker = new Tracker(held, SomeVisits.simpleAgents(), 50_000, null, Clock.systemUTC());
        tracker.start();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20_000; i++) {
            assertThat(tracker.offer(event("k" + (i % 10), now, i % 4 == 0 ? GOOGLEBOT : FIREFOX))).isTrue();
        }
        held.release.countDown();
        assertThat(tracker.stop(Duration.ofSeconds(20))).isZero();
        assertThat(tracker.isAlive()).isFalse();
        assertThat(tracker.recorded()).isEqualTo(20_000);
        assertThat(tracker.offer(event("k0", now, FIREFOX))).as("a stopped tracker takes nothing").isFalse();
        store.close();
        try (LogVisitStore reopened = LogVisitStore.open(dir.resolve("visits"))) {
            long total = 0;
            long bots = 0;
            for (int k = 0; k < 10; k++) {
                total += reopened.summary("k" + k).total();
                bots += reopened.summary("k" + k).bots();
            }
            assertThat(total).isEqualTo(20_000);
            assertThat(bots).isEqualTo(5_000);
        }
    }

    @Test
    void aFailingStoreIsReportedAndNeitherBlocksNorThrowsAtTheCaller() throws Exception {
        AtomicInteger appends = new AtomicInteger();
        VisitStore failing = new ForwardingVisitStore(new MemoryVisitStore()) {
            @Override
            public void append(List<Visit> visits) throws IOException {
                appends.incrementAndGet();
                throw new IOException("No space left on device");
            }
        };
        Tracker tracker = new Tracker(failing, SomeVisits.simpleAgents(), 1_000, null, Clock.systemUTC());
        tracker.start();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        for (int i = 0; i < 50_000; i++) {
            try {
                tracker.offer(event("a", i, FIREFOX));
            } catch (Throwable t) {
                thrown.compareAndSet(null, t);
            }
            if (i % 1000 == 0) {
                Thread.sleep(1);
            }
        }
        assertThat(thrown.get()).isNull();
        awaitUntil(() -> tracker.failure() != null);
        assertThat(tracker.failure()).contains("writing visits failed").contains("No space left on device");
        // Every event is accounted for once the worker has taken the last batch from the queue.
        awaitUntil(() -> tracker.lost() + tracker.dropped() == 50_000);
        assertThat(tracker.recorded()).isZero();
        assertThat(appends.get()).as("no retry after the failure").isEqualTo(1);
        assertThat(tracker.change("delete visits", s -> s.deleteVisits("a"))).failsWithin(Duration.ofSeconds(5));
        assertThat(tracker.stop(Duration.ofSeconds(5))).isZero();
    }

    @Test
    void changesRunOnTheWorkerAfterTheVisitsQueuedBeforeThem() throws Exception {
        MemoryVisitStore store = new MemoryVisitStore();
        Tracker tracker = new Tracker(store, SomeVisits.simpleAgents(), 10_000, null, Clock.systemUTC());
        tracker.start();
        for (int i = 0; i < 5_000; i++) {
            tracker.offer(event("a", i, FIREFOX));
        }
        assertThat(tracker.change("delete visits", s -> s.deleteVisits("a")).get(10, TimeUnit.SECONDS)).isEqualTo(5_000);
        tracker.offer(event("a", 10_000, FIREFOX));
        tracker.stop(Duration.ofSeconds(10));
        assertThat(store.summary("a").total()).isEqualTo(1);
    }

    @Test
    void retentionRunsInTheBackground() throws Exception {
        MemoryVisitStore store = new MemoryVisitStore();
        Instant now = Instant.parse("2026-03-10T00:00:00Z");
        store.append(List.of(SomeVisits.link("a", now.minus(Duration.ofDays(40))), SomeVisits.link("a", now.minusSeconds(60))));
        Tracker tracker = new Tracker(store, SomeVisits.simpleAgents(), 10, Duration.ofDays(30), Clock.fixed(now, java.time.ZoneOffset.UTC));
        tracker.start();
        awaitUntil(() -> store.linkVisits("a", VisitsQuery.all()).totalItems() == 1);
        tracker.stop(Duration.ofSeconds(5));
        assertThat(store.summary("a").total()).isEqualTo(2);
    }

    @Test
    void visitsAreForcedToDiskAtLeastEverySecondWhileTheyArrive() throws Exception {
        List<Long> syncs = new java.util.concurrent.CopyOnWriteArrayList<>();
        VisitStore counting = new ForwardingVisitStore(new MemoryVisitStore()) {
            @Override
            public void sync() throws IOException {
                syncs.add(System.nanoTime());
                super.sync();
            }
        };
        Tracker tracker = new Tracker(counting, SomeVisits.simpleAgents(), 1_000, null, Clock.systemUTC());
        tracker.start();
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3_500)) {
            tracker.offer(event("a", System.currentTimeMillis(), FIREFOX));
            Thread.sleep(2);
        }
        long lastOffer = System.nanoTime();
        assertThat(syncs).as("forces during 3.5 s of visits").hasSizeGreaterThanOrEqualTo(3);
        long previous = start;
        for (long at : syncs) {
            assertThat(at - previous).as("time between forces").isLessThan(TimeUnit.MILLISECONDS.toNanos(1_900));
            previous = at;
        }
        assertThat(lastOffer - previous).isLessThan(TimeUnit.MILLISECONDS.toNanos(1_900));
        tracker.stop(Duration.ofSeconds(5));
    }

    @Test
    void theWorkerIsNamedAndEndsAtStop() throws Exception {
        Tracker tracker = new Tracker(new MemoryVisitStore(), SomeVisits.simpleAgents(), 10, null, Clock.systemUTC());
        tracker.start();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("goto-visits"));
        tracker.stop(Duration.ofSeconds(5));
        assertThat(tracker.isAlive()).isFalse();
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void headerBytesAreReadAsUtf8AndTextIsLeftAlone() {
        String ascii = "Mozilla/5.0 (X11)";
        assertThat(Tracker.headerText(ascii)).isSameAs(ascii);
        assertThat(Tracker.headerText("Caf\u00c3\u00a9")).as("the bytes of UTF-8 'é'").isEqualTo("Caf\u00e9");
        assertThat(Tracker.headerText("x\u00e9y")).as("a lone Latin-1 byte is no UTF-8").isEqualTo("x\uFFFDy");
        assertThat(Tracker.headerText("\u00c3\u00a9 \u65e5")).as("chars beyond U+00FF are no bytes: kept")
                .isEqualTo("\u00c3\u00a9 \u65e5");
    }
}
