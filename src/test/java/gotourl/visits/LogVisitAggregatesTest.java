package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The visit log counts each open day with interned names in the rows of a table ({@link OpenDays}); what
 * it answers must be what counting every visit by name answers ({@link MemoryVisitStore}, which
 * adds visit by visit into {@link DayAggregate}'s maps): the same summaries, per-day counts and
 * top names, the same names kept and the same gathered under "(other)" once a day passes its
 * limit, and the same visits read back, through checkpoints, crashes (a start that replays what
 * the last checkpoint did not cover), deleted visits and day boundaries.
 */
class LogVisitAggregatesTest {
    private static final Instant T0 = Instant.parse("2026-03-10T20:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aggregatesEqualARecountOfTheSameVisitsThroughCheckpointsCrashesAndDays() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        MemoryVisitStore recount = new MemoryVisitStore();
        LogVisitStore store = LogVisitStore.open(dir);
        List<LogVisitStore> crashed = new ArrayList<>();
        long millis = T0.toEpochMilli();
        int visits = 0;
        while (visits < 40_000) {
            List<Visit> batch = new ArrayList<>();
            int size = 1 + random.nextInt(600);
            for (int i = 0; i < size; i++) {
                millis += random.nextInt(12_000); // ~3 days in all, so days are sealed on the way
                batch.add(randomVisit(random, millis));
            }
            visits += size;
            recount.append(batch);
            store.append(batch);
            switch (random.nextInt(12)) {
                case 0 -> store.checkpointNow();
                case 1 -> { // a crash: forced, not closed; the next start replays since the checkpoint
                    store.sync();
                    crashed.add(store);
                    store = LogVisitStore.open(dir);
                }
                case 2 -> {
                    store.close();
                    store = LogVisitStore.open(dir);
                }
                case 3 -> { // a link's visits deleted: its next visit starts a new life, mid-batch
                    String code = "k" + random.nextInt(40);
                    assertThat(store.deleteVisits(code)).isEqualTo(recount.deleteVisits(code));
                    // A replay does not count a deleted life's visits in all links' day, which the
                    // worker did: a checkpoint keeps this test's replays from spanning a deletion.
                    store.checkpointNow();
                }
                default -> { }
            }
            assertSameAnswers(store, recount, random);
        }
        store.sync();
        crashed.add(store);
        store = LogVisitStore.open(dir);
        assertSameAnswers(store, recount, random);
        LocalDate first = LocalDate.ofInstant(T0, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        assertThat(last).as("the visits span days").isAfter(first.plusDays(1));
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            assertThat(store.aggregates(null, day, day)).as("all links on %s", day).isEqualTo(recount.aggregates(null, day, day));
            assertThat(store.aggregates("hot", day, day)).as("the hot link on %s", day)
                    .isEqualTo(recount.aggregates("hot", day, day));
        }
        assertThat(store.aggregates("hot", null, null).referrerHosts()).as("a day past its limit gathers the rest")
                .extracting(VisitAggregates.NamedCount::name).contains(VisitAggregates.OTHER);
        for (String code : codes()) {
            assertThat(store.linkVisits(code, VisitsQuery.all()).data()).as("visits of %s", code)
                    .isEqualTo(recount.linkVisits(code, VisitsQuery.all()).data());
        }
        store.close();
        for (LogVisitStore old : crashed) {
            old.lives.close();
            old.days.close();
        }
    }

    @Test
    void theOpenDaysNamesAreBoundedByWhatTheDaysKeepNotByWhatClientsSend() throws Exception {
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            List<Visit> junk = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                String referer = "https://junk-" + i + ".example/";
                junk.add(new Visit(VisitType.VALID_SHORT_URL, "a", 1, T0.plusMillis(i), referer, "agent", false, "/a",
                        "https://example.com/", "Firefox", "Linux", RefererHosts.hostOf(referer)));
            }
            store.append(junk);
            // 64 hosts kept by the link's day and all links' (the same first ones), "(other)", a browser, a system.
            assertThat(store.names.size()).isEqualTo(DayAggregate.MAX_NAMES + 3);
            assertThat(store.aggregates("a", null, null).referrerHosts()).contains(
                    new VisitAggregates.NamedCount(VisitAggregates.OTHER, 20_000 - DayAggregate.MAX_NAMES));
            store.append(List.of(SomeVisits.link("a", T0.plus(java.time.Duration.ofDays(1)))));
            assertThat(store.names.size()).as("a new day starts with its own names").isEqualTo(3);
        }
    }

    @Test
    void stringsReadBackRightWhenTheSegmentForgetsWhatItWroteAndALinksUrlChanges() throws Exception {
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            List<Visit> visits = new ArrayList<>();
            for (int i = 0; i < 70_000; i++) { // more distinct agents than a segment remembers
                String url = "https://example.com/" + (i / 1000); // the link's URL changes now and then
                visits.add(new Visit(VisitType.VALID_SHORT_URL, "a", 1, T0.plusMillis(i), "", "agent " + i, false, "/a", url,
                        "Firefox", "Linux", ""));
            }
            store.append(visits);
            store.append(List.of(new Visit(VisitType.VALID_SHORT_URL, "a", 1, T0.plusMillis(70_000), "", "agent 0", false, "/a",
                    "https://example.com/0", "Firefox", "Linux", "")));
            List<Visit> read = store.linkVisits("a", VisitsQuery.all().page(1, 71_000)).data();
            assertThat(read).hasSize(70_001);
            for (int i = 0; i < 70_000; i++) {
                Visit visit = read.get(70_000 - i);
                assertThat(visit.userAgent()).isEqualTo("agent " + i);
                assertThat(visit.redirectUrl()).isEqualTo("https://example.com/" + (i / 1000));
            }
            assertThat(read.get(0).userAgent()).isEqualTo("agent 0");
            assertThat(read.get(0).redirectUrl()).isEqualTo("https://example.com/0");
        }
    }

    private static void assertSameAnswers(LogVisitStore store, MemoryVisitStore recount, SplittableRandom random)
            throws Exception {
        assertThat(store.stats()).isEqualTo(recount.stats());
        assertThat(store.aggregates(null, null, null)).isEqualTo(recount.aggregates(null, null, null));
        List<String> codes = codes();
        for (int i = 0; i < 3; i++) {
            String code = codes.get(random.nextInt(codes.size()));
            assertThat(store.summary(code)).as("summary of %s", code).isEqualTo(recount.summary(code));
            assertThat(store.aggregates(code, null, null)).as("aggregates of %s", code).isEqualTo(recount.aggregates(code, null, null));
        }
        assertThat(store.aggregates("hot", null, null)).isEqualTo(recount.aggregates("hot", null, null));
    }

    private static List<String> codes() {
        List<String> codes = new ArrayList<>(List.of("hot"));
        for (int i = 0; i < 40; i++) {
            codes.add("k" + i);
        }
        return codes;
    }

    /**
     * A link visit (one in ten an orphan): "hot" takes a third, from 150 referer hosts (past a
     * day's limit of 64), 80 browsers (all links pass it too), 8 systems, now and then a
     * forwarded query that changes where the visit was sent.
     */
    private static Visit randomVisit(SplittableRandom random, long millis) {
        boolean bot = random.nextInt(5) == 0;
        String referer = random.nextInt(4) == 0 ? "" : "https://host" + random.nextInt(150) + ".example/page";
        String browser = "Browser" + (int) Math.sqrt(random.nextInt(6400));
        String os = "System" + random.nextInt(8);
        String agent = browser + "/1.0 (" + os + ")";
        Instant at = Instant.ofEpochMilli(millis);
        if (random.nextInt(10) == 0) {
            return new Visit(VisitType.INVALID_SHORT_URL, null, 0, at, referer, agent, bot, "/nope" + random.nextInt(5), null,
                    browser, os, RefererHosts.hostOf(referer));
        }
        String code = random.nextInt(3) == 0 ? "hot" : "k" + random.nextInt(40);
        boolean query = random.nextInt(20) == 0;
        return new Visit(VisitType.VALID_SHORT_URL, code, 1, at, referer, agent, bot, "/" + code + (query ? "?q=1" : ""),
                "https://example.com/" + code + (query ? "?q=1" : ""), browser, os, RefererHosts.hostOf(referer));
    }
}
