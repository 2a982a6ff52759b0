package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.visits.Visit;
import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Three nodes' visit stores write the same links' visits at once, while one of the links is
 * deleted: every count matches the raw visits kept, the totals match the counts, and the deleted
 * link has none, whatever the interleaving of the nodes' transactions.
 */
class PgVisitStoreNodesTest {
    private static final String[] CODES = {"a", "b", "c", "gone"};
    private static final int NODES = 3;
    private static final int BATCHES = 60;
    private static final int PER_BATCH = 40;

    @Test
    void nodesWritingTheSameLinksAtOnceKeepEveryCountExact() throws Exception {
        PgSettings db = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
        List<PgVisitStore> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(PgVisitStore.open(db));
        }
        try {
            Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
            AtomicLong orphans = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                PgVisitStore node = nodes.get(n);
                int nodeIndex = n;
                threads.add(Thread.ofPlatform().name("node-" + n).start(() -> {
                    try {
                        start.await();
                        for (int b = 0; b < BATCHES; b++) {
                            List<Visit> batch = new ArrayList<>();
                            for (int v = 0; v < PER_BATCH; v++) {
                                Instant at = Instant.parse("2026-03-10T10:00:00Z").plusSeconds(b * 60L + v);
                                String code = CODES[(nodeIndex + b + v) % CODES.length];
                                if (v % 10 == 9) {
                                    batch.add(new Visit(VisitType.REGULAR_404, null, 0, at, "", "curl/8", true, "/x", null, "curl",
                                            "Unknown", ""));
                                    orphans.incrementAndGet();
                                } else {
                                    batch.add(new Visit(VisitType.VALID_SHORT_URL, code, 1, at, "", "curl/8", v % 3 == 0, "/" + code,
                                            "https://example.com/", "curl", "Unknown", ""));
                                    sent.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
                                }
                            }
                            node.append(batch);
                            if (nodeIndex == 0 && b == BATCHES / 2) {
                                node.linkDeleted("gone", 1);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join(120_000);
            }
            assertThat(failure.get()).as("a node's write failed").isNull();

            PgVisitStore reader = nodes.get(1);
            long links = 0;
            for (String code : new String[] {"a", "b", "c"}) {
                long counted = reader.summary(code).total();
                assertThat(counted).as("visits of " + code).isEqualTo(sent.get(code).get());
                assertThat(reader.linkVisits(code, VisitsQuery.all()).totalItems()).as("raw visits of " + code).isEqualTo(counted);
                assertThat(reader.aggregates(code, null, null).summary().total()).as("days of " + code).isEqualTo(counted);
                links += counted;
            }
            assertThat(reader.summary("gone").total()).as("the deleted link's count").isZero();
            assertThat(reader.linkVisits("gone", VisitsQuery.all()).totalItems()).as("the deleted link's visits").isZero();
            assertThat(reader.stats().nonOrphanVisits().total()).isEqualTo(links);
            assertThat(reader.nonOrphanVisits(VisitsQuery.all()).totalItems()).isEqualTo(links);
            assertThat(reader.stats().orphanVisits().total()).isEqualTo(orphans.get());
            assertThat(reader.orphanVisits(VisitsQuery.all()).totalItems()).isEqualTo(orphans.get());
        } finally {
            for (PgVisitStore node : nodes) {
                node.close();
            }
        }
    }
}
