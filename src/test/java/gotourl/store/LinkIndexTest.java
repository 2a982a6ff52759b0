package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LinkIndexTest {
    private static final int SLOTS_PER_CHUNK = 1 << 16;
    private static final int PAGE_BYTES = 1 << 20;

    private final LinkIndex index = new LinkIndex();

    /** A URL for {@code counter} whose length varies, so entries straddle page ends at odd places. */
    private static String urlOf(long counter, int extra) {
        String head = "https://example.com/" + counter + "/";
        return head + "x".repeat((int) (counter * 7919 % extra));
    }

    @Test
    void getsWhatWasPut() {
        assertThat(index.put(0, "https://example.com/a")).isTrue();
        assertThat(index.put(1, "http://example.org/")).isTrue();
        assertThat(index.get(0)).isEqualTo("https://example.com/a");
        assertThat(index.get(1)).isEqualTo("http://example.org/");
        assertThat(index.get(2)).isNull();
        assertThat(index.get(-1)).isNull();
        assertThat(index.contains(1)).isTrue();
        assertThat(index.contains(2)).isFalse();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void keepsEveryUrlIntactAcrossManyPages() {
        // ~30 KB per URL on average: about 35 entries per 1 MiB page, 20 pages in all.
        int count = 700;
        long bytes = 0;
        for (int c = 0; c < count; c++) {
            String url = urlOf(c, 60_000);
            bytes += url.length();
            assertThat(index.put(c, url)).isTrue();
        }
        assertThat(bytes).isGreaterThan(10L * PAGE_BYTES);
        for (int c = 0; c < count; c++) {
            assertThat(index.get(c)).isEqualTo(urlOf(c, 60_000));
        }
    }

    @Test
    void theLongestUrlFitsAndOneByteMoreIsRefused() {
        String longest = "https://example.com/" + "y".repeat(LinkIndex.MAX_URL_BYTES - 20);
        assertThat(longest).hasSize(LinkIndex.MAX_URL_BYTES);
        for (int c = 0; c < 40; c++) { // 40 of them cannot share one page
            assertThat(index.put(c, longest)).isTrue();
        }
        for (int c = 0; c < 40; c++) {
            assertThat(index.get(c)).isEqualTo(longest);
        }
        assertThatThrownBy(() -> index.put(40, longest + "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(LinkIndex.MAX_URL_BYTES + 1));
        assertThat(index.get(40)).isNull();
    }

    @Test
    void countersOnBothSidesOfChunkBoundaries() {
        long[] counters = {SLOTS_PER_CHUNK - 1, SLOTS_PER_CHUNK, 2L * SLOTS_PER_CHUNK - 1, 2L * SLOTS_PER_CHUNK, 10L * SLOTS_PER_CHUNK + 3};
        for (long c : counters) {
            assertThat(index.put(c, urlOf(c, 50))).isTrue();
        }
        java.util.Set<Long> stored = new java.util.HashSet<>();
        for (long c : counters) {
            stored.add(c);
        }
        for (long c : counters) {
            assertThat(index.get(c)).isEqualTo(urlOf(c, 50));
            for (long neighbour : new long[] {c - 1, c + 1}) {
                if (!stored.contains(neighbour)) {
                    assertThat(index.get(neighbour)).as("counter %d", neighbour).isNull();
                }
            }
        }
        assertThat(index.size()).isEqualTo(counters.length);
    }

    @Test
    void largeCountersWorkAndTheLimitIsEnforced() {
        long large = 1L << 36; // a million chunks away from the first
        assertThat(index.put(large, "https://example.com/large")).isTrue();
        assertThat(index.get(large)).isEqualTo("https://example.com/large");
        assertThat(index.get(large - 1)).isNull();
        assertThat(index.get(Long.MAX_VALUE)).isNull();
        assertThat(index.get(LinkIndex.MAX_COUNTER)).isNull();

        assertThatThrownBy(() -> index.put(LinkIndex.MAX_COUNTER, "https://example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(LinkIndex.MAX_COUNTER));
        assertThatThrownBy(() -> index.put(-1, "https://example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void aSlotIsWrittenOnce() {
        assertThat(index.put(5, "https://example.com/first")).isTrue();
        assertThat(index.put(5, "https://example.com/second")).isFalse();
        assertThat(index.get(5)).isEqualTo("https://example.com/first");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void nonAsciiIsRefusedAndLeavesNoTrace() {
        assertThat(index.put(0, "https://example.com/0")).isTrue();
        assertThatThrownBy(() -> index.put(1, "https://example.com/caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
        assertThat(index.get(1)).isNull();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.put(1, "https://example.com/1")).isTrue();
        assertThat(index.get(0)).isEqualTo("https://example.com/0");
        assertThat(index.get(1)).isEqualTo("https://example.com/1");
    }

    @Test
    void putsFromBytesAsAReplayDoes() {
        byte[] record = "....https://example.com/replayed....".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(record);
        assertThat(index.put(3, buffer, 4, record.length - 8)).isTrue();
        assertThat(index.put(3, buffer, 0, 4)).isFalse();
        assertThat(index.get(3)).isEqualTo("https://example.com/replayed");
        assertThat(buffer.position()).isZero();
    }

    /**
     * One writer appends while readers look up: a reader must never see a torn or wrong URL,
     * and once {@code size()} says n links are in, counters below n must all be readable.
     */
    @Test
    void readersNeverSeeAPartlyWrittenLinkWhileTheWriterAppends() throws Exception {
        int links = 150_000; // crosses 3 chunks and several pages
        int readers = 3;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong checks = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            long seed = r;
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    start.await();
                    while (writing.get() && failure.get() == null) {
                        long published = index.size();
                        if (published > 0) {
                            // The newest link is where a publication race would show; an older one as well.
                            for (long c : new long[] {published - 1, random.nextLong(published)}) {
                                String url = index.get(c);
                                if (!urlOf(c, 400).equals(url)) {
                                    throw new AssertionError("counter " + c + " below size " + published + " read as " + url);
                                }
                            }
                        }
                        // The link being written right now: absent or whole, never partly there.
                        for (long ahead = published; ahead < published + 3; ahead++) {
                            String maybe = index.get(ahead);
                            if (maybe != null && !maybe.equals(urlOf(ahead, 400))) {
                                throw new AssertionError("counter " + ahead + " read as " + maybe);
                            }
                        }
                        checks.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            try {
                start.await();
                for (int c = 0; c < links && failure.get() == null; c++) {
                    index.put(c, urlOf(c, 400));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                writing.set(false);
            }
        });
        start.countDown();
        writer.join();
        for (Thread reader : threads) {
            reader.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(checks.get()).isPositive();
        assertThat(index.size()).isEqualTo(links);
        for (int c = 0; c < links; c++) {
            if (!urlOf(c, 400).equals(index.get(c))) {
                throw new AssertionError("counter " + c + " reads " + index.get(c));
            }
        }
    }
}
