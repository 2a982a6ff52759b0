package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LifeIdsTest {

    @Test
    void findsEachLifeByIdThroughGrowthAndForgetsRetiredOnes() {
        LifeIds ids = new LifeIds();
        for (int id = 1; id <= 5_000; id++) {
            ids.put(Scope.of(id, "c" + id, id));
        }
        Scope replaced = ids.get(7);
        ids.remove(Scope.of(7, "c7", 7)); // not the one under 7: kept
        assertThat(ids.get(7)).isSameAs(replaced);
        for (int id = 2; id <= 5_000; id += 2) {
            ids.remove(ids.get(id));
        }
        for (int id = 1; id <= 5_000; id++) {
            Scope life = ids.get(id);
            if (id % 2 == 0) {
                assertThat(life).isNull();
            } else {
                assertThat(life.id).isEqualTo(id);
                assertThat(life.code()).isEqualTo("c" + id);
            }
        }
        assertThat(ids.get(0)).isNull();
        assertThat(ids.get(-1)).isNull();
        assertThat(ids.get(ids.limit())).isNull();
        assertThat(ids.get(Integer.MAX_VALUE)).isNull();
        ids.put(Scope.of(100_000, "far", 0)); // a start may read ids with gaps
        assertThat(ids.get(100_000).code()).isEqualTo("far");
        assertThatThrownBy(() -> ids.put(Scope.of(0, "all", 0))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Readers on other threads, while the writer adds lives and grows the array, see each whole or not at all. */
    @Test
    void readersOnOtherThreadsSeeEachLifeWholeWhileTheArrayGrows() throws Exception {
        LifeIds ids = new LifeIds();
        int lives = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                try {
                    start.await();
                    int seen = 0;
                    while (seen < lives) {
                        Scope life = ids.get(seen + 1);
                        if (life != null) {
                            if (life.id != seen + 1 || !life.code().equals("c" + life.id)) {
                                throw new AssertionError("life " + (seen + 1) + " read as " + life.id + " " + life.code());
                            }
                            seen++;
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            readers[r].start();
        }
        start.countDown();
        for (int id = 1; id <= lives; id++) {
            ids.put(Scope.of(id, "c" + id, id));
        }
        for (Thread reader : readers) {
            reader.join(60_000);
            assertThat(reader.isAlive()).as("a reader never saw every life").isFalse();
        }
        assertThat(failure.get()).isNull();
    }
}
