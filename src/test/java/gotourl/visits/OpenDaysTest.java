package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The open days are rows of one table, each name's key and count packed into one {@code long}:
 * a row must count as a {@link DayAggregate} does (the first {@value DayAggregate#MAX_NAMES}
 * names per dimension, the rest under "(other)"), through growth past the row's four slots,
 * resets and a checkpoint's round trip; a count past 2^32 - 1 must stay exact; and many rows,
 * added, removed (the last row moving into the removed one's place) and reset in any order across
 * chunks, must each keep their own chain's counts.
 */
class OpenDaysTest {

    @Test
    void countsAsADayAggregateDoesThroughGrowthResetsAndCheckpoints() {
        SplittableRandom random = new SplittableRandom(3);
        DayNames names = new DayNames();
        OpenDays days = new OpenDays();
        Scope scope = Scope.of(1, "a", 0);
        int row = days.open(scope, 20_000);
        for (int round = 0; round < 40; round++) {
            DayAggregate expected = new DayAggregate(days.day(row));
            int spread = 1 + random.nextInt(round % 2 == 0 ? 4 : 120); // few names, or more than a day keeps
            int visits = random.nextInt(3_000);
            for (int i = 0; i < visits; i++) {
                boolean bot = random.nextInt(5) == 0;
                String host = "h" + random.nextInt(spread);
                String browser = "b" + random.nextInt(spread);
                String os = "o" + random.nextInt(1 + spread / 10);
                expected.add(bot, host, browser, os);
                visit(days, row, names, bot, host, browser, os);
            }
            assertSame(days.toAggregate(row, names), expected);
            ByteBuffer out = ByteBuffer.allocate(days.encodedBytes(row, names));
            days.encode(row, out, names);
            assertThat(out.hasRemaining()).as("encodedBytes is what encode writes").isFalse();
            DayAggregate decoded = DayAggregate.decode(out.flip());
            assertSame(decoded, expected);
            if (round % 3 == 0) {
                days.remove(scope); // a start from the checkpoint, then more visits
                assertThat(scope.openDayAt).isEqualTo(-1);
                row = days.load(scope, decoded, names);
                for (int i = 0; i < 10; i++) {
                    expected.add(false, "h0", "b0", "o0");
                    visit(days, row, names, false, "h0", "b0", "o0");
                }
                assertSame(days.toAggregate(row, names), expected);
            }
            int day = days.day(row);
            days.reset(row);
            assertThat(days.total(row)).isZero();
            names.clear();
            row = days.open(scope, day + 1);
        }
    }

    @Test
    void countsPastFourBillionStayExact() {
        DayNames names = new DayNames();
        DayAggregate checkpointed = new DayAggregate(1);
        checkpointed.total = (5L << 32) + 40;
        checkpointed.browsers.put("Firefox", new long[] {0xFFFF_FFFEL});
        checkpointed.browsers.put("Chrome", new long[] {(5L << 32) + 7});
        checkpointed.referrerHosts.put("", new long[] {(5L << 32) + 40});
        OpenDays days = new OpenDays();
        int row = days.load(Scope.of(1, "a", 0), checkpointed, names);
        for (int i = 0; i < 3; i++) {
            days.count(row, OpenDays.BROWSERS, names.idOf(OpenDays.BROWSERS, "Firefox"), "Firefox", names);
        }
        days.count(row, OpenDays.BROWSERS, names.idOf(OpenDays.BROWSERS, "Chrome"), "Chrome", names);
        days.count(row, OpenDays.BROWSERS, names.idOf(OpenDays.BROWSERS, "Edge"), "Edge", names);
        DayAggregate counted = days.toAggregate(row, names);
        assertThat(counted.browsers.get("Firefox")[0]).isEqualTo(0xFFFF_FFFEL + 3);
        assertThat(counted.browsers.get("Chrome")[0]).isEqualTo((5L << 32) + 8);
        assertThat(counted.browsers.get("Edge")[0]).isEqualTo(1);
        assertThat(counted.referrerHosts.get("")[0]).isEqualTo((5L << 32) + 40);
        ByteBuffer out = ByteBuffer.allocate(days.encodedBytes(row, names));
        days.encode(row, out, names);
        assertSame(DayAggregate.decode(out.flip()), counted);
        days.reset(row);
        days.count(row, OpenDays.BROWSERS, names.idOf(OpenDays.BROWSERS, "Firefox"), "Firefox", names);
        assertThat(days.toAggregate(row, names).browsers.get("Firefox")[0]).as("a reset forgets what was carried").isEqualTo(1);
    }

    /**
     * Differential: 5,000 chains over five chunks of rows, each counted in a row and in a
     * {@link DayAggregate} of its own, through 200,000 random visits, removals (the last row
     * moves), resets, loads from a checkpoint and clears; after every step of a sample, and at the
     * end, every row must be its chain's day, every chain must know its row, and rows must be dense.
     */
    @Test
    void manyRowsAddedRemovedAndResetKeepEachChainsCounts() {
        SplittableRandom random = new SplittableRandom(17);
        DayNames names = new DayNames();
        OpenDays days = new OpenDays();
        int chains = 5 * OpenDays.CHUNK_ROWS - 7;
        List<Scope> scopes = new ArrayList<>();
        for (int i = 0; i < chains; i++) {
            scopes.add(Scope.of(i + 1, "c" + i, 0));
        }
        Map<Scope, DayAggregate> model = new HashMap<>();
        int day = 100;
        for (int step = 0; step < 200_000; step++) {
            Scope scope = scopes.get(random.nextInt(random.nextInt(10) == 0 ? chains : 300)); // a few busy chains
            int what = random.nextInt(1_000);
            if (what < 940) {
                boolean bot = random.nextInt(7) == 0;
                int spread = scope.id % 3 == 0 ? 90 : 3; // some chains outgrow four slots and the name limit
                String host = "h" + random.nextInt(spread);
                String browser = "b" + random.nextInt(spread);
                String os = "o" + random.nextInt(2);
                int row = days.open(scope, day);
                visit(days, row, names, bot, host, browser, os);
                DayAggregate expected = model.get(scope);
                if (expected == null || expected.total == 0) {
                    expected = new DayAggregate(day);
                    model.put(scope, expected);
                }
                expected.add(bot, host, browser, os);
            } else if (what < 980) {
                days.remove(scope);
                model.remove(scope);
            } else if (what < 995) {
                if (scope.openDayAt >= 0) {
                    days.reset(scope.openDayAt);
                    model.put(scope, new DayAggregate(day));
                }
            } else if (what < 999) {
                if (days.visited(scope)) { // a start: the day read back from its checkpointed bytes
                    ByteBuffer out = ByteBuffer.allocate(days.encodedBytes(scope.openDayAt, names));
                    days.encode(scope.openDayAt, out, names);
                    days.remove(scope);
                    days.load(scope, DayAggregate.decode(out.flip()), names);
                }
            } else {
                day++; // a seal that drops every day
                days.clear();
                names.clear();
                model.clear();
            }
            if (step % 20_000 == 0 || step == 199_999) {
                assertRows(days, scopes, model, names);
            }
        }
    }

    private static void assertRows(OpenDays days, List<Scope> scopes, Map<Scope, DayAggregate> model, DayNames names) {
        int held = 0;
        for (Scope scope : scopes) {
            DayAggregate expected = model.get(scope);
            if (expected == null) {
                assertThat(scope.openDayAt).as("chain %d holds no row", scope.id).isEqualTo(-1);
                continue;
            }
            held++;
            assertThat(days.get(scope.openDayAt)).as("chain %d's row names it", scope.id).isSameAs(scope);
            assertThat(days.total(scope.openDayAt)).isEqualTo(expected.total);
            if (expected.total > 0) {
                assertThat(days.day(scope.openDayAt)).isEqualTo(expected.day);
                assertSame(days.toAggregate(scope.openDayAt, names), expected);
            }
        }
        assertThat(days.size()).as("rows are dense: one per chain holding a day").isEqualTo(held);
    }

    private static void visit(OpenDays days, int row, DayNames names, boolean bot, String host, String browser, String os) {
        days.visit(row, bot);
        days.count(row, OpenDays.HOSTS, names.idOf(OpenDays.HOSTS, host), host, names);
        days.count(row, OpenDays.BROWSERS, names.idOf(OpenDays.BROWSERS, browser), browser, names);
        days.count(row, OpenDays.SYSTEMS, names.idOf(OpenDays.SYSTEMS, os), os, names);
    }

    private static void assertSame(DayAggregate actual, DayAggregate expected) {
        assertThat(actual.day).isEqualTo(expected.day);
        assertThat(actual.total).isEqualTo(expected.total);
        assertThat(actual.bots).isEqualTo(expected.bots);
        assertThat(flat(actual.referrerHosts)).isEqualTo(flat(expected.referrerHosts));
        assertThat(flat(actual.browsers)).isEqualTo(flat(expected.browsers));
        assertThat(flat(actual.operatingSystems)).isEqualTo(flat(expected.operatingSystems));
    }

    private static Map<String, Long> flat(Map<String, long[]> counts) {
        Map<String, Long> flat = new TreeMap<>();
        counts.forEach((name, n) -> flat.put(name, n[0]));
        return flat;
    }

    @Test
    void aTouchReadsItsOwnRowInEveryChunk() {
        // The worker reads each visit's row ahead of counting it: the read must be that row's
        // (its head holds its day; its last slot is empty until four names are counted).
        OpenDays days = new OpenDays();
        int rows = 3 * OpenDays.CHUNK_ROWS + 5;
        for (int i = 0; i < rows; i++) {
            int row = days.open(Scope.of(i + 1, "c" + i, 0), 10_000 + i);
            assertThat(row).isEqualTo(i);
        }
        for (int row = 0; row < rows; row++) {
            assertThat(days.touch(row)).as("row %d", row).isEqualTo(10_000 + row);
        }
    }
}
