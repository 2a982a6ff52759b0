package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The links' redirect URLs kept for the open segment only ({@link SegmentUrls}), where each life
 * kept a String of its own before: every visit must read back the URL it was sent to, and a
 * segment must hold each life's URL once per change, as when each life kept its String.
 */
class SegmentUrlsTest {
    private static final Instant DAY1 = Instant.parse("2026-03-10T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aUrlMatchesItsOwnBytesAndNoOther() {
        SegmentUrls urls = new SegmentUrls();
        String[] kept = {"https://example.com/a1", "", "https://例え.jp/ü", "https://x.example/\uD83D\uDE00", "https://x.example/\uD800"};
        int[] at = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            at[i] = urls.add(kept[i].getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < kept.length; i++) {
            for (int j = 0; j < kept.length; j++) {
                assertThat(urls.matches(at[i], new String(kept[j].toCharArray()))).as("%s against %s", kept[i], kept[j])
                        .isEqualTo(i == j);
            }
        }
        assertThat(urls.matches(at[0], "https://example.com/a2")).as("same length, one char apart").isFalse();
        assertThat(urls.matches(at[0], "https://example.com/a")).isFalse();
        assertThat(urls.matches(at[0], "https://example.com/a12")).isFalse();
        assertThat(urls.matches(at[2], "https://例え.jp/u")).isFalse();
        assertThat(urls.matches(at[2], "https://例え.jp/üü")).isFalse();
        // A lone surrogate is written as '?': the same bytes in the segment's strings, so the same URL there.
        assertThat(urls.matches(at[4], "https://x.example/?")).isTrue();
    }

    /** The batch's early read of a life's URL ({@link LogVisitStore}) must land on that URL's own bytes, in any chunk. */
    @Test
    void touchReadsTheFirstByteKeptAtAPlaceInEveryChunk() {
        SegmentUrls urls = new SegmentUrls();
        List<Integer> places = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; places.size() < 3 * SegmentUrls.CHUNK_BYTES / 800; i++) {
            int length = 256 * (1 + i % 7) + i % 97; // the first byte kept is the length's high byte: 1 to 7
            places.add(urls.add(("https://example.com/" + "x".repeat(length - 20)).getBytes(StandardCharsets.UTF_8)));
            lengths.add(length);
        }
        assertThat(places.get(places.size() - 1) >>> 18).as("the URLs reach a third chunk").isGreaterThanOrEqualTo(2);
        for (int i = 0; i < places.size(); i++) {
            assertThat(urls.touch(places.get(i))).as("URL %d", i).isEqualTo(lengths.get(i) >>> 8);
        }
    }

    @Test
    void urlsFillChunkAfterChunkAndAClearKeepsWhatTheLastSegmentFilled() {
        SegmentUrls urls = new SegmentUrls();
        List<String> kept = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (int i = 0; places.size() < 7 * SegmentUrls.CHUNK_BYTES / 4000; i++) {
            String url = "https://example.com/" + "x".repeat(1900 + i % 77) + i;
            kept.add(url);
            places.add(urls.add(url.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < kept.size(); i++) {
            assertThat(urls.matches(places.get(i), kept.get(i))).as("url %d", i).isTrue();
            assertThat(urls.matches(places.get(i), kept.get((i + 1) % kept.size()))).isFalse();
        }
        assertThat(urls.bytesHeld()).isEqualTo(4L * SegmentUrls.CHUNK_BYTES);
        urls.clear();
        assertThat(urls.bytesHeld()).as("the chunks filled, kept for the next segment").isEqualTo(4L * SegmentUrls.CHUNK_BYTES);
        int again = urls.add("https://example.com/again".getBytes(StandardCharsets.UTF_8));
        assertThat(again).isZero();
        assertThat(urls.matches(again, "https://example.com/again")).isTrue();
        int second = urls.add("https://example.com/second".getBytes(StandardCharsets.UTF_8));
        assertThat(urls.matches(second, "https://example.com/second")).isTrue();
        assertThat(urls.matches(again, "https://example.com/again")).isTrue();
        urls.clear();
        assertThat(urls.bytesHeld()).as("a segment that filled one chunk leaves one").isEqualTo(SegmentUrls.CHUNK_BYTES);
    }

    /**
     * Random visits of 30 links over five days (a segment each), their URLs changed now and then
     * (ASCII of the same length, longer, non-ASCII, a lone surrogate, empty), lives ended and
     * started again, the store closed and opened between days: each visit reads back its URL, and
     * the segments' strings hold what a model of the memo the lives kept as Strings writes (a
     * life's URL once a segment, again after each change of its bytes).
     */
    @Test
    void everyVisitReadsBackItsUrlAndEachSegmentHoldsALifesUrlOncePerChange() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        String[] pool = {"https://example.com/a1", "https://example.com/a2", "https://example.com/a-longer-one", "",
            "https://例え.jp/ü", "https://例え.jp/ü/", "https://x.example/\uD800", "https://x.example/\uD83D\uDE00"};
        Map<String, List<String>> expected = new HashMap<>();
        Map<String, String> urlOf = new HashMap<>();
        Map<String, byte[]> memo = new HashMap<>(); // code -> the URL bytes its life wrote in this segment
        long stringBytes = 0;
        LogVisitStore store = LogVisitStore.open(dir);
        try {
            for (int day = 0; day < 5; day++) {
                if (day == 2 || day == 4) {
                    store.close();
                    store = LogVisitStore.open(dir);
                }
                memo.clear(); // a new segment, or lives read back without their memos
                for (int i = 0; i < 2_000; i++) {
                    String code = "k" + random.nextInt(30);
                    if (random.nextInt(200) == 0) {
                        store.deleteVisits(code);
                        expected.remove(code);
                        memo.remove(code);
                    }
                    if (!urlOf.containsKey(code) || random.nextInt(50) == 0) {
                        urlOf.put(code, pool[random.nextInt(pool.length)]);
                    }
                    String url = new String(urlOf.get(code).toCharArray()); // each redirect builds its URL afresh
                    Instant at = DAY1.plus(Duration.ofDays(day)).plusMillis(i);
                    store.append(List.of(new Visit(VisitType.VALID_SHORT_URL, code, 1, at, "", "", false, "/" + code, url,
                            "", "", "")));
                    byte[] utf8 = url.getBytes(StandardCharsets.UTF_8);
                    if (!Arrays.equals(memo.get(code), utf8)) {
                        memo.put(code, utf8);
                        stringBytes += utf8.length == 0 ? 0 : 4 + utf8.length;
                    }
                    // No URL reads back as null, as a tracking pixel's visit (with none) shows in Shlink.
                    expected.computeIfAbsent(code, c -> new ArrayList<>())
                            .add(utf8.length == 0 ? null : new String(utf8, StandardCharsets.UTF_8));
                }
                assertThat(store.segments).as("one segment a day").hasSize(day + 1);
            }
            for (Map.Entry<String, List<String>> link : expected.entrySet()) {
                List<Visit> read = store.linkVisits(link.getKey(), VisitsQuery.all().page(1, 10_000)).data().reversed();
                assertThat(read).extracting(Visit::redirectUrl).as(link.getKey()).containsExactlyElementsOf(link.getValue());
            }
        } finally {
            store.close();
        }
        assertThat(stringsBytes()).isEqualTo(stringBytes);
    }

    @Test
    void aLifeVisitedOftenWritesItsUrlOncePerSegment() throws Exception {
        try (LogVisitStore store = LogVisitStore.open(dir)) {
            for (int i = 0; i < 1_000; i++) {
                store.append(List.of(new Visit(VisitType.VALID_SHORT_URL, "a", 1, DAY1.plusMillis(i), "", "", false, "/a",
                        new String("https://example.com/a".toCharArray()), "", "", "")));
            }
            assertThat(store.byCode.get("a").lastUrlAt).isZero();
        }
        assertThat(stringsBytes()).isEqualTo(4 + "https://example.com/a".length());
    }

    private long stringsBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long bytes = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".strings")).toList()) {
                bytes += Files.size(file);
            }
            return bytes;
        }
    }
}
