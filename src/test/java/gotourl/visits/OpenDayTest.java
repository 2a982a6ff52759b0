package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An open day packs each name's key and count into one {@code long}: it must count as a
 * {@link DayAggregate} does (the first {@value DayAggregate#MAX_NAMES} names per dimension, the
 * rest under "(other)"), through growth, resets and a checkpoint's round trip, and a count past
 * 2^32 - 1 must stay exact.
 */
class OpenDayTest {

    @Test
    void countsAsADayAggregateDoesThroughGrowthResetsAndCheckpoints() {
        SplittableRandom random = new SplittableRandom(3);
        DayNames names = new DayNames();
        OpenDay open = new OpenDay(20_000);
        for (int round = 0; round < 40; round++) {
            DayAggregate expected = new DayAggregate(open.day);
            int spread = 1 + random.nextInt(round % 2 == 0 ? 4 : 120); // few names, or more than a day keeps
            int visits = random.nextInt(3_000);
            for (int i = 0; i < visits; i++) {
                boolean bot = random.nextInt(5) == 0;
                String host = "h" + random.nextInt(spread);
                String browser = "b" + random.nextInt(spread);
                String os = "o" + random.nextInt(1 + spread / 10);
                expected.add(bot, host, browser, os);
                open.total++;
                if (bot) {
                    open.bots++;
                }
                open.count(OpenDay.HOSTS, names.idOf(OpenDay.HOSTS, host), host, names);
                open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, browser), browser, names);
                open.count(OpenDay.SYSTEMS, names.idOf(OpenDay.SYSTEMS, os), os, names);
            }
            assertSame(open.toAggregate(names), expected);
            ByteBuffer out = ByteBuffer.allocate(open.encodedBytes(names));
            open.encode(out, names);
            assertThat(out.hasRemaining()).as("encodedBytes is what encode writes").isFalse();
            DayAggregate decoded = DayAggregate.decode(out.flip());
            assertSame(decoded, expected);
            if (round % 3 == 0) {
                open = OpenDay.of(decoded, names); // a start from the checkpoint, then more visits
                for (int i = 0; i < 10; i++) {
                    expected.add(false, "h0", "b0", "o0");
                    open.total++;
                    open.count(OpenDay.HOSTS, names.idOf(OpenDay.HOSTS, "h0"), "h0", names);
                    open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, "b0"), "b0", names);
                    open.count(OpenDay.SYSTEMS, names.idOf(OpenDay.SYSTEMS, "o0"), "o0", names);
                }
                assertSame(open.toAggregate(names), expected);
            }
            open.reset();
            names.clear();
            open.day++;
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
        OpenDay open = OpenDay.of(checkpointed, names);
        for (int i = 0; i < 3; i++) {
            open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, "Firefox"), "Firefox", names);
        }
        open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, "Chrome"), "Chrome", names);
        open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, "Edge"), "Edge", names);
        DayAggregate counted = open.toAggregate(names);
        assertThat(counted.browsers.get("Firefox")[0]).isEqualTo(0xFFFF_FFFEL + 3);
        assertThat(counted.browsers.get("Chrome")[0]).isEqualTo((5L << 32) + 8);
        assertThat(counted.browsers.get("Edge")[0]).isEqualTo(1);
        assertThat(counted.referrerHosts.get("")[0]).isEqualTo((5L << 32) + 40);
        ByteBuffer out = ByteBuffer.allocate(open.encodedBytes(names));
        open.encode(out, names);
        assertSame(DayAggregate.decode(out.flip()), counted);
        open.reset();
        open.count(OpenDay.BROWSERS, names.idOf(OpenDay.BROWSERS, "Firefox"), "Firefox", names);
        assertThat(open.toAggregate(names).browsers.get("Firefox")[0]).as("a reset forgets what was carried").isEqualTo(1);
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
}
