package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the visit log keeps from one day to the next so that its worker allocates little per
 * visit: each visited chain's open day, emptied at the seal and reused the next day (dropped
 * after a whole day without visits); a link's redirect URL kept on its chain and written once
 * into each segment; the checkpoint written through a small buffer. Every count must stay what
 * counting each visit by name gives ({@link MemoryVisitStore}), in the open day, in sealed days,
 * and after a start from the checkpoint.
 */
class LogVisitDaysTest {
    private static final Instant DAY1 = Instant.parse("2026-03-10T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    @Test
    void aVisitedChainsDayIsEmptiedAndReusedAndDroppedAfterAWholeDayWithoutVisits() throws Exception {
        MemoryVisitStore recount = new MemoryVisitStore();
        LogVisitStore store = LogVisitStore.open(dir);
        append(store, recount, visit("a", DAY1, "one.example", "Firefox"), visit("a", DAY1.plusSeconds(1), "two.example", "Chrome"),
                visit("b", DAY1.plusSeconds(2), "one.example", "Firefox"));
        Scope a = store.byCode.get("a");
        Scope b = store.byCode.get("b");
        assertThat(a.openDayAt).isNotNegative();
        assertThat(b.openDayAt).isNotNegative();
        int rows = store.openDays.size();

        // Day 2: only a is visited, by a name day 1 did not have. Its row is the same, counting afresh.
        append(store, recount, visit("a", DAY1.plus(DAY), "three.example", "Safari"));
        assertThat(store.openDays.size()).as("no row made for a day after a visited one").isEqualTo(rows);
        assertThat(a.openDayAt).as("a's day, kept for its next visit").isNotNegative();
        assertThat(store.openDays.total(a.openDayAt)).isEqualTo(1);
        assertThat(b.openDayAt).as("b's day, kept empty through the day after its visits").isNotNegative();
        assertThat(store.openDays.total(b.openDayAt)).isZero();
        assertSameCounts(store, recount, 2);

        // Day 3: a again; b went a whole day without a visit and no longer holds one.
        append(store, recount, visit("a", DAY1.plus(DAY.multipliedBy(2)), "one.example", "Firefox"));
        assertThat(a.openDayAt).isNotNegative();
        assertThat(b.openDayAt).as("b's day after a day without visits").isEqualTo(-1);
        assertThat(store.openDays.size()).isEqualTo(rows - 1);
        assertSameCounts(store, recount, 3);

        // Day 4: b comes back with a new day; a start from the checkpoint reads every day the same.
        append(store, recount, visit("b", DAY1.plus(DAY.multipliedBy(3)), "two.example", "Chrome"));
        assertThat(b.openDayAt).isNotNegative();
        assertThat(store.openDays.get(b.openDayAt)).isSameAs(b);
        assertSameCounts(store, recount, 4);
        store.close();
        store = LogVisitStore.open(dir);
        assertSameCounts(store, recount, 4);
        assertThat(store.byCode.get("a").openDayAt).as("a's day holds no visit of day 4, and none is read back").isEqualTo(-1);
        store.close();
    }

    @Test
    void aDeletedLinksDayGoesWithItAndTheOthersStayInPlace() throws Exception {
        int links = 2 * OpenDays.CHUNK_ROWS + 100;
        MemoryVisitStore recount = new MemoryVisitStore();
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            for (int i = 0; i < links; i++) { // rows in three chunks
                // A browser per link: a row that moved without its counts would show another link's.
                append(store, recount, visit("k" + i, DAY1.plusMillis(i), "one.example", "F" + i));
            }
            assertThat(store.deleteVisits("k7")).isEqualTo(recount.deleteVisits("k7"));
            assertThat(store.deleteVisits("k" + (links - 1))).isEqualTo(recount.deleteVisits("k" + (links - 1)));
            for (int i = 0; i < links; i += 3) {
                append(store, recount, visit("k" + i, DAY1.plus(DAY).plusMillis(i), "two.example", "Chrome"));
            }
            for (int i = 0; i < store.openDays.size(); i++) {
                assertThat(store.openDays.get(i).openDayAt).as("each scope knows its place").isEqualTo(i);
            }
            assertThat(store.openDays.size()).as("every link visited (k7 and the last deleted), all links'").isEqualTo(links - 2 + 1);
            for (int i = 0; i < links; i++) {
                assertThat(store.aggregates("k" + i, null, null)).as("k%d", i).isEqualTo(recount.aggregates("k" + i, null, null));
            }
            assertThat(store.aggregates(null, null, null)).isEqualTo(recount.aggregates(null, null, null));
        }
    }

    /**
     * Queries copy a link's open day from its row while the worker counts visits, makes rows for
     * links first visited, and at each seal drops the rows of links not visited for a day (the
     * last row moving into each dropped one's place), and when a link's visits are deleted mid-day
     * (its row goes, the last one moves). Each link is visited by a browser named
     * after it: a query that ever reads another link's row sees a foreign name, and none may count
     * more visits than were appended. Afterwards every count is what {@link MemoryVisitStore} gives.
     */
    @Test
    void queriesReadEachLinksOwnDayWhileTheWorkerMovesRows() throws Exception {
        int links = 2 * OpenDays.CHUNK_ROWS + 300;
        MemoryVisitStore recount = new MemoryVisitStore();
        java.util.concurrent.atomic.AtomicLongArray planned = new java.util.concurrent.atomic.AtomicLongArray(links);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long seed = r;
                readers.add(Thread.ofPlatform().start(() -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                    try {
                        while (!done.get()) {
                            int j = random.nextInt(links);
                            VisitAggregates read = store.aggregates("k" + j, null, null);
                            long counted = 0;
                            for (VisitAggregates.NamedCount browser : read.browsers()) {
                                assertThat(browser.name()).as("k%d's browsers", j).isEqualTo("B" + j);
                                counted += browser.count();
                            }
                            assertThat(counted).as("k%d's visits", j).isLessThanOrEqualTo(planned.get(j));
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }));
            }
            java.util.SplittableRandom random = new java.util.SplittableRandom(5);
            Instant at = DAY1;
            for (int day = 0; day < 8; day++) {
                int visited = links / 4 + random.nextInt(links / 2); // on each day, some links only
                for (int batch = 0; batch < 40; batch++) {
                    List<Visit> visits = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        int j = random.nextInt(visited);
                        j = (j * 7919 + day * 131) % links; // a different set of links each day
                        planned.incrementAndGet(j);
                        at = at.plusMillis(1);
                        visits.add(visit("k" + j, at, "h" + (j % 5) + ".example", "B" + j));
                    }
                    append(store, recount, visits.toArray(Visit[]::new));
                    if (batch % 8 == 7) { // a link deleted mid-day: its row goes, the last row moves
                        String code = visits.get(random.nextInt(visits.size())).shortCode();
                        assertThat(store.deleteVisits(code)).isEqualTo(recount.deleteVisits(code));
                    }
                }
                at = DAY1.plus(DAY.multipliedBy(day + 1));
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            if (failed.get() != null) {
                throw new AssertionError("a reader failed", failed.get());
            }
            assertThat(reads.get()).as("reads done while writing").isPositive();
            for (int j = 0; j < links; j += 5) {
                assertThat(store.aggregates("k" + j, null, null)).as("k%d", j).isEqualTo(recount.aggregates("k" + j, null, null));
            }
            assertThat(store.aggregates(null, null, null)).isEqualTo(recount.aggregates(null, null, null));
        }
    }

    @Test
    void aLinksRedirectUrlReadsBackFromEverySegmentItWasWrittenTo() throws Exception {
        // Each day starts a segment: the link's URL, kept on its chain, must be written into each.
        List<String> urls = List.of("https://example.com/first", "https://example.com/first", "https://example.com/second",
                "https://example.com/first", "https://example.com/first");
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            for (int i = 0; i < urls.size(); i++) {
                Instant at = DAY1.plus(DAY.multipliedBy(i / 2)).plusSeconds(i);
                // A new String each time, as each redirect builds its Location afresh.
                store.append(List.of(new Visit(VisitType.VALID_SHORT_URL, "a", 1, at, "", "", false, "/a",
                        new String(urls.get(i).toCharArray()), "", "", "")));
            }
            assertThat(store.segments).as("one segment a day").hasSize(3);
            assertThat(store.linkVisits("a", VisitsQuery.all()).data().reversed()).extracting(Visit::redirectUrl)
                    .containsExactlyElementsOf(urls);
        }
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            assertThat(store.linkVisits("a", VisitsQuery.all()).data().reversed()).extracting(Visit::redirectUrl)
                    .containsExactlyElementsOf(urls);
        }
    }

    @Test
    void aCheckpointLargerThanItsWriteBufferReadsBackWhole() throws Exception {
        MemoryVisitStore recount = new MemoryVisitStore();
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            List<Visit> batch = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) { // ~150 KB of chains: the buffer is flushed on the way
                batch.add(visit("k" + i, DAY1.plusMillis(i), "one.example", "Firefox"));
            }
            // One chain whose open day alone is larger than the buffer: 64 hosts (of the longest
            // a host is kept at), browsers and systems of 250 to 450 characters.
            for (int i = 0; i < DayAggregate.MAX_NAMES; i++) {
                String host = (i + "h".repeat(245)).substring(0, 245) + ".example";
                batch.add(new Visit(VisitType.VALID_SHORT_URL, "long", 1, DAY1.plusSeconds(10).plusMillis(i), "https://" + host + "/",
                        "agent", false, "/long", "https://example.com/long", i + "b".repeat(450), i + "o".repeat(450), host));
            }
            append(store, recount, batch.toArray(Visit[]::new));
            store.checkpointNow();
            assertThat(java.nio.file.Files.size(dir.resolve("heads"))).isGreaterThan(2L * VisitCheckpoint.WRITE_BUFFER_BYTES);
        }
        // Closed with a checkpoint: the start reads it and replays nothing.
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            assertThat(store.aggregates("long", null, null)).isEqualTo(recount.aggregates("long", null, null));
            for (int i = 0; i < 3_000; i += 7) {
                assertThat(store.summary("k" + i)).as("k%d", i).isEqualTo(recount.summary("k" + i));
                assertThat(store.aggregates("k" + i, null, null)).as("k%d", i).isEqualTo(recount.aggregates("k" + i, null, null));
            }
            assertThat(store.stats()).isEqualTo(recount.stats());
            assertThat(store.aggregates(null, null, null)).isEqualTo(recount.aggregates(null, null, null));
        }
    }

    private static void append(LogVisitStore store, MemoryVisitStore recount, Visit... visits) throws Exception {
        store.append(List.of(visits));
        recount.append(List.of(visits));
    }

    private static Visit visit(String code, Instant at, String refererHost, String browser) {
        String referer = "https://" + refererHost + "/page";
        return new Visit(VisitType.VALID_SHORT_URL, code, 1, at, referer, browser + "/1.0", false, "/" + code,
                "https://example.com/" + code, browser, "Linux", RefererHosts.hostOf(referer));
    }

    /** Every link's and all links' counts, per day through {@code days} days from DAY1 and in all. */
    private static void assertSameCounts(LogVisitStore store, MemoryVisitStore recount, int days) throws Exception {
        for (String code : List.of("a", "b")) {
            assertThat(store.summary(code)).as("summary of %s", code).isEqualTo(recount.summary(code));
            assertThat(store.aggregates(code, null, null)).as("aggregates of %s", code).isEqualTo(recount.aggregates(code, null, null));
        }
        assertThat(store.aggregates(null, null, null)).isEqualTo(recount.aggregates(null, null, null));
        LocalDate first = LocalDate.ofInstant(DAY1, ZoneOffset.UTC);
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            for (String code : new String[] {"a", "b", null}) {
                assertThat(store.aggregates(code, day, day)).as("%s on %s", code == null ? "all links" : code, day)
                        .isEqualTo(recount.aggregates(code, day, day));
            }
        }
    }
}
