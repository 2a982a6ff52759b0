package gotourl.visits;

import static gotourl.visits.SomeVisits.link;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogVisitStoreTest extends VisitStoreContract {
    @TempDir
    Path dir;

    @Override
    protected VisitStore open() throws Exception {
        return LogVisitStore.open(dir.resolve("goto.data.visits"));
    }

    VisitStore reopen() throws Exception {
        store.sync();
        store.close();
        store = open();
        return store;
    }

    @Test
    void everythingReadsTheSameAfterARestartWithinTheDayAndAcrossDays() throws Exception {
        Instant day1 = Instant.parse("2026-03-10T22:00:00Z");
        store.append(List.of(link("a", 1, day1, false), link("a", 1, day1.plusSeconds(1), true), link("b", 1, day1, false)));
        reopen();
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(2, 1, 1));
        store.append(List.of(link("a", 1, day1.plusSeconds(7200), false))); // the next day: day 1 is sealed
        reopen();
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.stats().nonOrphanVisits()).isEqualTo(new VisitsSummary(4, 3, 1));
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(v -> v.date())
                .containsExactly(day1.plusSeconds(7200), day1.plusSeconds(1), day1);
        assertThat(store.aggregates("a", null, null).perDay()).hasSize(2);
        store.append(List.of(link("a", 1, day1.plusSeconds(7300), false)));
        assertThat(store.summary("a").total()).isEqualTo(4);
        assertThat(store.linkVisits("a", VisitsQuery.all()).totalItems()).isEqualTo(4);
    }

    @Test
    void aStartResumesFromTheCheckpointWithTheOpenDaysAggregates() throws Exception {
        Instant day1 = Instant.parse("2026-03-10T08:00:00Z");
        store.append(List.of(link("a", 1, day1, false), link("a", 1, day1.plusSeconds(1), true),
                SomeVisits.orphan(VisitType.BASE_URL, "/", day1, false)));
        ((LogVisitStore) store).checkpointNow();
        store.append(List.of(link("a", 1, day1.plusSeconds(2), false), link("b", 1, day1.plusSeconds(3), false)));
        store.deleteVisits("b");
        reopen();
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.summary("b")).isEqualTo(VisitsSummary.NONE);
        assertThat(store.stats()).isEqualTo(new VisitStats(new VisitsSummary(3, 2, 1), new VisitsSummary(1, 1, 0)));
        VisitAggregates a = store.aggregates("a", null, null);
        assertThat(a.summary()).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(a.browsers()).containsExactly(new VisitAggregates.NamedCount("Firefox", 2),
                new VisitAggregates.NamedCount("Googlebot", 1));
        ((LogVisitStore) store).checkpointNow();
        reopen();
        assertThat(store.aggregates("a", null, null)).isEqualTo(a);
        store.append(List.of(link("a", 1, day1.plusSeconds(86_400), false)));
        reopen();
        assertThat(store.aggregates("a", null, null).perDay()).extracting(VisitAggregates.DayCount::total).containsExactly(3L, 1L);
        assertThat(store.summary("a").total()).isEqualTo(4);
    }

    @Test
    void aTornLastRecordIsCutOffAtStart() throws Exception {
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        store.append(List.of(link("a", 1, t, false)));
        reopen(); // a clean stop: checkpointed through the first visit
        store.append(List.of(link("a", 1, t.plusSeconds(1), false)));
        store.sync();
        // A crash: the store is never closed; the second record is then torn on disk.
        VisitStore crashed = store;
        Path segment;
        try (var files = java.nio.file.Files.list(dir.resolve("goto.data.visits"))) {
            segment = files.filter(p -> p.toString().endsWith(".visits")).findFirst().orElseThrow();
        }
        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), VisitSegment.RECORD_BYTES + 10);
        }
        store = open();
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(t);
        assertThat(store.summary("a").total()).isEqualTo(1);
        store.append(List.of(link("a", 1, t.plusSeconds(5), false)));
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(t.plusSeconds(5), t);
        assertThat(store.summary("a").total()).isEqualTo(2);
        crashed.close();
    }

    @Test
    void aSegmentFillingUpInTheMiddleOfABatchContinuesInTheNext() throws Exception {
        // Reproduces an IndexOutOfBoundsException at the 1,048,576th visit: fullness was judged
        // by the visits published before the batch, not by the place of the next one.
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        int total = VisitSegment.MAX_RECORDS + 3_000;
        List<Visit> batch = new java.util.ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(link(i % 2 == 0 ? "a" : "b", 1, t.plusMillis(i), false));
            if (batch.size() == 5_000) {
                store.append(batch);
                batch.clear();
            }
        }
        store.append(batch);
        assertThat(store.summary("a").total() + store.summary("b").total()).isEqualTo(total);
        assertThat(store.linkVisits("a", VisitsQuery.all().page(1, 2)).data()).extracting(Visit::date)
                .containsExactly(t.plusMillis(total - 2), t.plusMillis(total - 4));
        reopen();
        assertThat(store.linkVisits("b", VisitsQuery.all().between(t, t.plusMillis(total)).page(1, 1)).totalItems())
                .isEqualTo(total / 2);
    }

    @Test
    void aVisitWhoseLifeACrashLostIsNotCountedForTheNextLinkThatGetsAnId() throws Exception {
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        Path lives = dir.resolve("goto.data.visits").resolve("lives");
        store.append(List.of(link("a", 1, t, false)));
        store.sync();
        long livesBeforeB = java.nio.file.Files.size(lives);
        store.append(List.of(link("b", 1, t.plusSeconds(1), false)));
        store.sync();
        // A crash that kept b's visit but not b's life (the lives are forced after the visits).
        VisitStore crashed = store;
        try (var channel = java.nio.channels.FileChannel.open(lives, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(livesBeforeB);
        }
        store = open();
        assertThat(store.summary("b")).isEqualTo(VisitsSummary.NONE);
        assertThat(store.summary("a").total()).isEqualTo(1);
        store.append(List.of(link("c", 1, t.plusSeconds(2), false)));
        store.sync();
        VisitStore crashedAgain = store; // a second crash: the next start replays both records again
        store = open();
        assertThat(store.summary("c").total()).isEqualTo(1);
        assertThat(store.linkVisits("c", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(t.plusSeconds(2));
        assertThat(store.summary("a").total()).isEqualTo(1);
        crashed.close();
        crashedAgain.close();
    }

    @Test
    void aCheckpointComesAfterAsManyVisitsAsThereAreLivesOnceTheyOutnumberTheVisitBound() {
        long bound = LogVisitStore.CHECKPOINT_VISITS;
        long interval = LogVisitStore.CHECKPOINT_INTERVAL_NANOS;
        assertThat(LogVisitStore.checkpointDue(0, 10, 2 * interval)).isFalse(); // nothing new
        assertThat(LogVisitStore.checkpointDue(bound, 1_000, 0)).isTrue();
        assertThat(LogVisitStore.checkpointDue(bound - 1, 1_000, 0)).isFalse();
        assertThat(LogVisitStore.checkpointDue(1, 1_000, interval)).isFalse(); // 1 visit for 1,000 lives
        assertThat(LogVisitStore.checkpointDue(1, 10, interval)).isTrue();
        assertThat(LogVisitStore.checkpointDue(bound, 10_000_000, 0)).isFalse();
        assertThat(LogVisitStore.checkpointDue(10_000_000, 10_000_000, 0)).isTrue();
        assertThat(LogVisitStore.checkpointDue(10_000_000 / 16 - 1, 10_000_000, interval)).isFalse();
        assertThat(LogVisitStore.checkpointDue(10_000_000 / 16, 10_000_000, interval)).isTrue();
    }

    @Test
    void aCountSeenByAQueryAlwaysHasItsVisitsListed() throws Exception {
        // The worker counts a visit and makes it readable in one append; a query in between must
        // never see the count and miss the visit (a list of six orphans once came back empty).
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> broken = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                try {
                    while (writing.get() && broken.get() == null) {
                        long orphans = store.stats().orphanVisits().total();
                        int listed = store.orphanVisits(VisitsQuery.all()).data().size();
                        long linked = store.summary("a").total();
                        int linkListed = store.linkVisits("a", VisitsQuery.all()).data().size();
                        if (listed < orphans || linkListed < linked) {
                            broken.compareAndSet(null, orphans + " orphans counted, " + listed + " listed; " + linked
                                    + " visits of a counted, " + linkListed + " listed");
                        }
                    }
                } catch (Exception e) {
                    broken.compareAndSet(null, e.toString());
                }
            }));
        }
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        for (int batch = 0; batch < 400 && broken.get() == null; batch++) {
            List<Visit> visits = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                visits.add(i % 2 == 0 ? SomeVisits.orphan(VisitType.BASE_URL, "/", t, false) : link("a", 1, t, false));
            }
            store.append(visits);
        }
        writing.set(false);
        for (Thread reader : readers) {
            reader.join(60_000);
        }
        assertThat(broken.get()).isNull();
        assertThat(store.orphanVisits(VisitsQuery.all()).data()).hasSize(1600);
    }

    @Test
    void batchesOverThousandsOfLinksCountEachVisitInItsOwnLinksLife() throws Exception {
        // The batch's look-ups go in passes (slots, lives, look-ups, days and URLs): a visit
        // must still find its own link's life in a table of thousands, with lives made and
        // retired between batches, and never start a life of its own.
        Instant t = Instant.parse("2026-03-10T08:00:00Z");
        int links = 3_000;
        long[] expected = new long[links];
        long[] created = new long[links];
        java.util.Arrays.fill(created, 1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int batch = 0; batch < 300; batch++) {
            if (batch % 50 == 49) { // a link deleted and its code claimed again by a newer link
                int again = random.nextInt(links);
                store.deleteVisits("k" + again);
                created[again]++;
                expected[again] = 0;
            }
            List<Visit> visits = new ArrayList<>();
            for (int i = 0; i < Tracker.MAX_BATCH; i++) {
                int k = random.nextInt(links);
                visits.add(link("k" + k, created[k], t.plusMillis(batch * 100L + i), false));
                expected[k]++;
            }
            store.append(visits);
        }
        long total = 0;
        for (int k = 0; k < links; k++) {
            assertThat(store.summary("k" + k).total()).as("k%d", k).isEqualTo(expected[k]);
            total += expected[k];
        }
        assertThat(store.stats().nonOrphanVisits().total()).isGreaterThanOrEqualTo(total);
    }

    @Test
    void aVisitKeepsItsDateToTheMillisecond() throws Exception {
        Instant at = Instant.parse("2026-03-10T08:00:00.123456789Z");
        Visit visit = link("a", 1, at, false);
        assertThat(visit.dateMillis()).isEqualTo(at.toEpochMilli());
        assertThat(visit.date()).isEqualTo(Instant.parse("2026-03-10T08:00:00.123Z"));
        store.append(List.of(visit));
        reopen();
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).containsExactly(visit);
    }
}
