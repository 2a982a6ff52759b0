package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LifeTableTest {

    @Test
    void codesPackToDistinctKeysAndOthersDoNotPack() {
        assertThat(LifeTable.pack("a")).isNotEqualTo(LifeTable.pack("aa")).isNotZero();
        assertThat(LifeTable.pack("ab")).isNotEqualTo(LifeTable.pack("ba"));
        assertThat(LifeTable.pack("abcdefgh")).isNotZero();
        assertThat(LifeTable.pack(Keys.encode((1L << 40) - 1))).isNotZero(); // the longest generated code
        assertThat(LifeTable.pack("abcdefghi")).isZero();
        assertThat(LifeTable.pack("")).isZero();
        assertThat(LifeTable.pack("caf\u00e9")).isNotZero(); // Latin-1
        assertThat(LifeTable.pack("\u0101")).isZero();
        assertThat(LifeTable.pack("a\u0000")).isZero();
    }

    /** Adds, replaces and removes lives at random, checked against a HashMap after every step. */
    @Test
    void findsWhatAMapWouldThroughGrowthReplacementsAndRemovals() {
        LifeTable table = new LifeTable();
        Map<String, Scope> expected = new HashMap<>();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            // Generated codes, custom slugs of up to 8 characters, and longer ones (not packed).
            codes.add(i % 3 == 0 ? Keys.encode(i * 7919L) : i % 3 == 1 ? "s" + i : "a-long-custom-slug-" + i);
        }
        SplittableRandom random = new SplittableRandom(7);
        int id = 1;
        for (int step = 0; step < 60_000; step++) {
            String code = codes.get(random.nextInt(codes.size()));
            Scope current = expected.get(code);
            if (current != null && random.nextInt(3) == 0) {
                table.remove(new Scope(id++, code, 0)); // not the current life: nothing happens
                table.remove(current);
                expected.remove(code);
            } else {
                Scope life = new Scope(id++, code, step);
                table.put(life);
                expected.put(code, life);
            }
            if (step % 1000 == 0 || step > 59_000) {
                assertThat(table.size()).isEqualTo(expected.size());
                for (String c : codes) {
                    assertThat(table.get(c)).as(c).isSameAs(expected.get(c));
                }
            }
        }
        assertThat(table.get("never-seen")).isNull();
        assertThat(table.get("zz")).isNull();
    }

    /** Removal shifts back the entries after a hole, wrapping past the end of the slots. */
    @Test
    void removingFromTheMiddleOfARunKeepsTheRestFindable() {
        LifeTable table = new LifeTable();
        List<Scope> lives = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // below the first growth: one table of 1,024 slots with runs
            Scope life = new Scope(i + 1, Keys.encode(i), 0);
            lives.add(life);
            table.put(life);
        }
        for (int i = 0; i < lives.size(); i += 2) {
            table.remove(lives.get(i));
        }
        for (int i = 0; i < lives.size(); i++) {
            assertThat(table.get(lives.get(i).code)).isSameAs(i % 2 == 0 ? null : lives.get(i));
        }
        assertThat(table.size()).isEqualTo(300);
    }
}
