package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LivesByCodeTest {

    @Test
    void findsReplacesAndRemovesLivesByCode() {
        LivesByCode lives = new LivesByCode();
        Scope a1 = Scope.of(1, "a", 1);
        lives.put(a1);
        lives.put(Scope.of(2, "b", 1));
        assertThat(lives.get("a")).isSameAs(a1);
        assertThat(lives.get("c")).isNull();
        Scope a2 = Scope.of(3, "a", 2); // the slug claimed again
        lives.put(a2);
        assertThat(lives.get("a")).isSameAs(a2);
        assertThat(lives.size()).isEqualTo(2);
        lives.remove(a1); // no longer a's life: kept
        assertThat(lives.get("a")).isSameAs(a2);
        lives.remove(a2);
        assertThat(lives.get("a")).isNull();
        assertThat(lives.get("b").id).isEqualTo(2);
        assertThat(lives.size()).isEqualTo(1);
    }

    @Test
    void agreesWithAMapThroughRandomPutsRemovalsAndGrowth() {
        LivesByCode lives = new LivesByCode();
        Map<String, Scope> expected = new HashMap<>();
        Random random = new Random(7);
        int id = 1;
        for (int step = 0; step < 200_000; step++) {
            String code = Keys.encode(random.nextInt(20_000));
            if (random.nextInt(3) == 0 && expected.containsKey(code)) {
                lives.remove(expected.remove(code));
            } else {
                Scope life = Scope.of(id++, code, step);
                lives.put(life);
                expected.put(code, life);
            }
            if (step % 10_000 == 0) {
                for (int n = 0; n < 20_000; n++) {
                    String c = Keys.encode(n);
                    assertThat(lives.get(c)).as(c).isSameAs(expected.get(c));
                }
            }
        }
        assertThat(lives.size()).isEqualTo(expected.size());
        for (Map.Entry<String, Scope> e : expected.entrySet()) {
            assertThat(lives.get(e.getKey())).isSameAs(e.getValue());
        }
    }

    @Test
    void codesPackedIntoALongAndCodesKeptAsStringsAreFoundAlike() {
        // Packed: 1 to 8 characters of 1-255. Kept as a String: longer, empty, a NUL, beyond Latin-1.
        List<String> codes = List.of("a", "ab", "abcdefgh", "abcdefg", "abcdefghi", "ÿé", "ÿé\u0001", "a\u0000", "a\u0000b",
                "\u0000", "日本", "a日", "custom-slug-of-many-words", "A", "abcdefgH", "0", "00", "000000000");
        LivesByCode lives = new LivesByCode();
        int id = 1;
        for (String code : codes) {
            Scope life = Scope.of(id++, new String(code.toCharArray()), 1);
            boolean packs = !code.isEmpty() && code.length() <= 8 && code.chars().allMatch(c -> c >= 1 && c <= 0xFF);
            assertThat(life.packedCode != 0).as("%s packs", code).isEqualTo(packs);
            assertThat(life.longCode() == null).as("%s kept as a String only when it does not pack", code).isEqualTo(packs);
            assertThat(life instanceof Scope.LongCode).as("%s in a life of its own kind only when it does not pack", code).isEqualTo(!packs);
            if (!packs) {
                assertThatThrownBy(() -> new Scope(1, code, 1)).as("a plain life has no field for %s", code)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(life.code()).isEqualTo(code);
            assertThat(LivesByCode.hash(life)).as("%s hashed from its life as from its String", code).isEqualTo(LivesByCode.hash(code));
            lives.put(life);
        }
        for (String code : codes) {
            Scope life = lives.get(new String(code.toCharArray()));
            assertThat(life).as(code).isNotNull();
            assertThat(life.code()).isEqualTo(code);
        }
        for (String absent : List.of("abcdefgh\u0000", "abcdef", "ÿ", "é", "a\u0001", "日", "custom-slug-of-many-word", "b")) {
            assertThat(lives.get(absent)).as(absent).isNull();
        }
        assertThat(lives.size()).isEqualTo(codes.size());
    }

    @Test
    void generatedCodesSpreadOverTheTableWhereStringHashCodesCollide() {
        // The reason for this table: 100,000 generated codes have 21,985 String hash codes.
        Set<Integer> stringHashes = new HashSet<>();
        Set<Integer> slots = new HashSet<>();
        int mask = (1 << 18) - 1; // the table's size for 100,000 lives, half full or less
        for (int n = 0; n < 100_000; n++) {
            String code = Keys.encode(n);
            stringHashes.add(code.hashCode());
            slots.add(LivesByCode.hash(code) & mask);
        }
        assertThat(stringHashes.size()).isLessThan(25_000);
        // Random placement of 100,000 keys into 262,144 slots leaves ~82,600 distinct slots.
        assertThat(slots.size()).isGreaterThan(80_000);
    }

    @Test
    void readersFindEveryLifeThatStaysWhileTheWriterAddsRemovesAndRebuilds() throws Exception {
        LivesByCode lives = new LivesByCode();
        List<Scope> stay = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) {
            Scope life = Scope.of(n + 1, "stay" + n, 0);
            lives.put(life);
            stay.add(life);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> broken = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            int seed = r;
            readers.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                Random random = new Random(seed);
                while (!done.get() && broken.get() == null) {
                    Scope life = stay.get(random.nextInt(stay.size()));
                    if (lives.get(life.code()) != life) {
                        broken.set("lost " + life.code());
                    }
                    String other = "churn" + random.nextInt(50_000);
                    Scope found = lives.get(other);
                    if (found != null && !found.code().equals(other)) {
                        broken.set("asked " + other + ", got " + found.code());
                    }
                    reads.incrementAndGet();
                }
            }));
        }
        // The writer: lives come and go, the table grows and is rebuilt over its tombstones.
        List<Scope> churn = new ArrayList<>();
        Random random = new Random(1);
        int id = 10_000;
        for (int step = 0; step < 300_000 && broken.get() == null; step++) {
            if (churn.size() > 30_000 || (!churn.isEmpty() && random.nextBoolean())) {
                lives.remove(churn.remove(random.nextInt(churn.size())));
            } else {
                Scope life = Scope.of(id++, "churn" + random.nextInt(50_000), step);
                lives.put(life);
                churn.add(life);
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(broken.get()).isNull();
        assertThat(reads.get()).isPositive();
        for (Scope life : stay) {
            assertThat(lives.get(life.code())).isSameAs(life);
        }
    }

    @Test
    void aLookUpWithItsHashGivenAndTheFirstSlotFindTheCodesLife() {
        // The visits worker hashes a batch's codes once, reads each first slot to bring its line
        // in, then looks up with the hash it kept: both must land on the code's own life.
        LivesByCode lives = new LivesByCode();
        int codes = 100_000;
        for (int n = 0; n < codes; n++) {
            lives.put(Scope.of(n + 1, Keys.encode(n), 1));
        }
        int inFirstSlot = 0;
        for (int n = 0; n < codes; n++) {
            String code = Keys.encode(n);
            int hash = LivesByCode.hash(code);
            assertThat(lives.get(code, hash)).as(code).isSameAs(lives.get(code)).isNotNull();
            if (lives.firstSlot(hash) == lives.get(code)) {
                inFirstSlot++;
            }
        }
        // At most half full, probed linearly: most lives sit in their first slot.
        assertThat(inFirstSlot).isGreaterThan(codes * 2 / 3);
    }
}
