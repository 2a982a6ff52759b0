package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.ShortCodes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LinkIndexTest {
    private static final int SLOTS_PER_CHUNK = 1 << 16;
    private static final int PAGE_BYTES = 1 << 20;
    private static final Instant CREATED = Instant.parse("2026-11-30T10:00:00Z");

    private final LinkIndex index = new LinkIndex();

    /** A URL for {@code counter} whose length varies, so entries straddle page ends at odd places. */
    private static String urlOf(long counter, int extra) {
        String head = "https://example.com/" + counter + "/";
        return head + "x".repeat((int) (counter * 7919 % extra));
    }

    private void put(long counter, String url) {
        index.set(counter, Link.plain(Keys.encode(counter), url, CREATED));
    }

    private String url(long counter) {
        Link link = index.get(counter);
        return link == null ? null : link.longUrl();
    }

    @Test
    void getsWhatWasPutWithItsCodeAndCreationTime() {
        put(0, "https://example.com/a");
        put(1, "http://example.org/");
        assertThat(index.get("a")).isEqualTo(Link.plain("a", "https://example.com/a", CREATED));
        assertThat(url(1)).isEqualTo("http://example.org/");
        assertThat(index.get(2)).isNull();
        assertThat(index.get(-1)).isNull();
        assertThat(index.get("")).isNull();
        assertThat(index.get("a-b")).isNull();
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
            put(c, url);
        }
        assertThat(bytes).isGreaterThan(10L * PAGE_BYTES);
        for (int c = 0; c < count; c++) {
            assertThat(url(c)).isEqualTo(urlOf(c, 60_000));
        }
    }

    @Test
    void theLongestUrlFitsAndOneByteMoreIsRefused() {
        String longest = "https://example.com/" + "y".repeat(LinkIndex.MAX_URL_BYTES - 20);
        assertThat(longest).hasSize(LinkIndex.MAX_URL_BYTES);
        for (int c = 0; c < 40; c++) { // 40 of them cannot share one page
            put(c, longest);
        }
        for (int c = 0; c < 40; c++) {
            assertThat(url(c)).isEqualTo(longest);
        }
        assertThatThrownBy(() -> put(40, longest + "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(LinkIndex.MAX_URL_BYTES + 1));
        assertThat(index.get(40)).isNull();
    }

    @Test
    void countersOnBothSidesOfChunkBoundaries() {
        long[] counters = {SLOTS_PER_CHUNK - 1, SLOTS_PER_CHUNK, 2L * SLOTS_PER_CHUNK - 1, 2L * SLOTS_PER_CHUNK, 10L * SLOTS_PER_CHUNK + 3};
        for (long c : counters) {
            put(c, urlOf(c, 50));
        }
        java.util.Set<Long> stored = new java.util.HashSet<>();
        for (long c : counters) {
            stored.add(c);
        }
        for (long c : counters) {
            assertThat(url(c)).isEqualTo(urlOf(c, 50));
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
        put(large, "https://example.com/large");
        assertThat(url(large)).isEqualTo("https://example.com/large");
        assertThat(index.get(large - 1)).isNull();
        assertThat(index.get(Long.MAX_VALUE)).isNull();
        assertThat(index.get(ShortCodes.MAX_COUNTER)).isNull();

        assertThatThrownBy(() -> put(ShortCodes.MAX_COUNTER, "https://example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(ShortCodes.MAX_COUNTER));
    }

    @Test
    void aReplayedSlotIsWrittenOnce() {
        byte[] first = "https://example.com/first".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "https://example.com/second".getBytes(StandardCharsets.US_ASCII);
        assertThat(index.putPlain(5, first, 0, first.length, CREATED.getEpochSecond())).isTrue();
        assertThat(index.putPlain(5, second, 0, second.length, CREATED.getEpochSecond())).isFalse();
        assertThat(url(5)).isEqualTo("https://example.com/first");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aPlainLinkFromAStringTakesOnlyAnEmptySlotBelowOrPastTheHighestCounter() {
        long seconds = CREATED.getEpochSecond();
        assertThat(index.putPlain(SLOTS_PER_CHUNK + 3, "https://example.com/high", seconds)).as("a slot in a chunk not made yet").isTrue();
        assertThat(index.putPlain(SLOTS_PER_CHUNK + 3, "https://example.com/again", seconds)).as("the same slot").isFalse();
        assertThat(index.putPlain(7, "https://example.com/low", seconds)).as("an empty slot below the highest").isTrue();
        assertThat(index.putPlain(7, "https://example.com/again", seconds)).isFalse();
        put(20, "https://example.com/set");
        assertThat(index.putPlain(20, "https://example.com/again", seconds)).as("a slot set another way").isFalse();
        assertThat(index.putPlain(3 * SLOTS_PER_CHUNK, "https://example.com/past", seconds)).isTrue();
        assertThat(url(SLOTS_PER_CHUNK + 3)).isEqualTo("https://example.com/high");
        assertThat(url(7)).isEqualTo("https://example.com/low");
        assertThat(url(20)).isEqualTo("https://example.com/set");
        assertThat(url(3 * SLOTS_PER_CHUNK)).isEqualTo("https://example.com/past");
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void nonAsciiIsRefusedAndLeavesNoTrace() {
        put(0, "https://example.com/0");
        assertThatThrownBy(() -> put(1, "https://example.com/caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
        assertThat(index.get(1)).isNull();
        assertThat(index.size()).isEqualTo(1);
        put(1, "https://example.com/1");
        assertThat(url(0)).isEqualTo("https://example.com/0");
        assertThat(url(1)).isEqualTo("https://example.com/1");
    }

    @Test
    void putsFromBytesAsAReplayDoes() {
        byte[] record = "....https://example.com/replayed....".getBytes(StandardCharsets.US_ASCII);
        assertThat(index.putPlain(3, record, 4, record.length - 8, CREATED.getEpochSecond())).isTrue();
        assertThat(index.get(3)).isEqualTo(Link.plain("d", "https://example.com/replayed", CREATED));
    }

    @Test
    void creationTimesKeepTheirSecondsUntil2106() {
        Instant late = Instant.parse("2106-02-07T06:28:15Z"); // 2^32 - 1 seconds
        index.set(0, Link.plain("a", "https://example.com/late", late));
        assertThat(index.get("a").dateCreated()).isEqualTo(late);
    }

    @Test
    void aRichLinkIsKeptWholeAndItsSlotIsTaken() {
        Link rich = LinkDraft.of("https://example.com/rich").withTitle("Rich").withTags(List.of("a", "b")).toLink("b", CREATED);
        index.set(1, rich);
        assertThat(index.get("b")).isSameAs(rich);
        assertThat(index.slot(1)).isEqualTo(LinkIndex.RICH);
        assertThat(index.size()).isEqualTo(1);
    }

    private static Link authored(String code, String url, String author) {
        return LinkDraft.of(url).withAuthor(author).toLink(code, CREATED);
    }

    @Test
    void aLinkPlainButForItsAuthorIsKeptInThePagesAndReadBackWithItsAuthor() {
        Link alice = authored("a", "https://example.com/alice", "k-alice");
        Link bob = authored("b", "https://example.com/bob", "k-bob");
        index.set(0, alice);
        index.set(1, bob);
        put(2, "https://example.com/plain");
        index.set(3, authored("d", "https://example.com/alice-again", "k-alice"));
        assertThat(index.get("a")).isEqualTo(alice);
        assertThat(index.get("b")).isEqualTo(bob);
        assertThat(index.get("c").author()).isNull();
        assertThat(index.get("d").author()).isEqualTo("k-alice");
        assertThat(index.slot(0)).as("in the pages, not the map of whole links").isPositive();
        assertThat(index.size()).isEqualTo(4);
        // The redirect's fast path reads it as a plain link: the author changes nothing about a redirect.
        long entry = index.plainEntry("a");
        assertThat(entry).isPositive();
        assertThat(index.plainUrl(entry)).isEqualTo("https://example.com/alice");
        assertThat(index.plainCreatedMillis(entry)).isEqualTo(CREATED.toEpochMilli());
        assertThat(index.plainUrlEquals(1, "https://example.com/bob")).isTrue();
        assertThat(index.plainContains(1, "bob".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1);
    }

    @Test
    void visitorsGetAnAuthoredLinkWholeSoThatNoPlainRecordDropsItsAuthor() {
        index.set(0, authored("a", "https://example.com/alice", "k-alice"));
        put(1, "https://example.com/plain");
        Map<String, Link> rich = new HashMap<>();
        Map<String, String> plain = new HashMap<>();
        LinkIndex.Visitor collect = new LinkIndex.Visitor() {
            @Override
            public void plain(long counter, byte[] page, int offset, int length, long createdSeconds) {
                plain.put(Keys.encode(counter), new String(page, offset, length, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void rich(long counter, Link link) {
                assertThat(counter).as("its generated code's counter").isEqualTo(ShortCodes.counterOf(link.shortCode()));
                rich.put(link.shortCode(), link);
            }
        };
        index.forEach(collect);
        assertThat(rich).containsOnlyKeys("a");
        assertThat(rich.get("a").author()).isEqualTo("k-alice");
        assertThat(plain).containsOnlyKeys("b");
        rich.clear();
        plain.clear();
        LinkIndex.Snapshot snapshot = index.beginSnapshot();
        index.remove(0, "a");
        index.snapshot(snapshot, collect);
        index.endSnapshot();
        assertThat(rich.get("a").author()).as("as it was when the snapshot began").isEqualTo("k-alice");
        assertThat(plain).containsOnlyKeys("b");
    }

    @Test
    void anAuthoredLinkTurnsRichAndBackAndKeepsItsAuthor() {
        Link alice = authored("a", "https://example.com/alice", "k-alice");
        index.set(0, alice);
        Link titled = LinkEdit.none().title("Titled").applyTo(alice);
        index.set(0, titled);
        assertThat(index.slot(0)).isEqualTo(LinkIndex.RICH);
        assertThat(index.get("a")).isEqualTo(titled);
        Link untitled = LinkEdit.none().title(null).longUrl("https://example.com/moved").applyTo(titled);
        index.set(0, untitled);
        assertThat(index.slot(0)).isPositive();
        assertThat(index.get("a")).isEqualTo(untitled);
        assertThat(index.get("a").author()).isEqualTo("k-alice");
        assertThat(index.size()).isEqualTo(1);
        index.remove(0, "a");
        assertThat(index.get("a")).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void pastTheLastAuthorNumberLinksAreKeptWholeWithTheirAuthor() {
        for (int i = 0; i < LinkIndex.MAX_AUTHORS; i++) {
            index.set(i, authored(Keys.encode(i), "https://example.com/" + i, "k-" + i));
        }
        long last = LinkIndex.MAX_AUTHORS;
        index.set(last, authored(Keys.encode(last), "https://example.com/last", "k-one-too-many"));
        assertThat(index.slot(last)).isEqualTo(LinkIndex.RICH);
        assertThat(index.get(last).author()).isEqualTo("k-one-too-many");
        assertThat(index.slot(last + 1)).isEqualTo(LinkIndex.EMPTY);
        index.set(last + 1, authored(Keys.encode(last + 1), "https://example.com/known", "k-7"));
        assertThat(index.slot(last + 1)).as("an author already numbered").isPositive();
        for (int i = 0; i < LinkIndex.MAX_AUTHORS; i += 997) {
            assertThat(index.get(i).author()).isEqualTo("k-" + i);
        }
        assertThat(index.get(last + 1).author()).isEqualTo("k-7");
    }

    @Test
    void aCustomSlugHasNoSlotEvenWhenItLooksLikeAKey() {
        Link slug = LinkDraft.of("https://example.com/slug").withCustomSlug("ba").toLink("ba", CREATED);
        index.set(-1, slug);
        assertThat(index.get("ba")).isSameAs(slug);
        assertThat(index.slot(62)).as("the counter's slot stays free: the store's counter skips it").isEqualTo(LinkIndex.EMPTY);
        index.set(-1, LinkDraft.of("https://example.com/dash").withCustomSlug("my-link").toLink("my-link", CREATED));
        assertThat(index.get("my-link").longUrl()).isEqualTo("https://example.com/dash");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void aLinkTurnsRichPlainAndDeletedAndEachReadSeesTheLatest() {
        put(0, "https://example.com/plain");
        Link rich = LinkEdit.none().title("now rich").applyTo(index.get("a"));
        index.set(0, rich);
        assertThat(index.get("a")).isEqualTo(rich);
        Link plainAgain = LinkEdit.none().title(null).longUrl("https://example.com/moved").applyTo(rich);
        assertThat(plainAgain.isPlain()).isTrue();
        index.set(0, plainAgain);
        assertThat(index.get("a")).isEqualTo(plainAgain);
        assertThat(index.slot(0)).isPositive();
        assertThat(index.size()).isEqualTo(1);
        index.remove(0, "a");
        assertThat(index.get("a")).isNull();
        assertThat(index.size()).isZero();
        index.remove(0, "a");
        assertThat(index.size()).as("removing twice changes nothing").isZero();
    }

    @Test
    void aSnapshotSeesTheLinksAsTheyWereWhenItBegan() {
        put(0, "https://example.com/a");
        put(1, "https://example.com/b");
        Link slug = LinkDraft.of("https://example.com/slug").withCustomSlug("docs").toLink("docs", CREATED);
        index.set(-1, slug);
        index.set(2, LinkDraft.of("https://example.com/c").withTitle("C").toLink("c", CREATED));

        LinkIndex.Snapshot snapshot = index.beginSnapshot();
        index.set(0, LinkEdit.none().longUrl("https://example.com/a2").applyTo(index.get("a")));
        index.remove(1, "b");
        index.remove(-1, "docs");
        index.set(2, LinkEdit.none().title(null).applyTo(index.get("c")));
        put(3, "https://example.com/d");
        index.set(-1, LinkDraft.of("https://example.com/new").withCustomSlug("new").toLink("new", CREATED));

        Map<String, String> seen = new HashMap<>();
        index.snapshot(snapshot, visitor(seen));
        assertThat(seen).containsOnly(Map.entry("a", "https://example.com/a"), Map.entry("b", "https://example.com/b"),
                Map.entry("docs", "https://example.com/slug"), Map.entry("c", "https://example.com/c (C)"));
        assertThat(index.get("docs")).as("deleted while the snapshot runs, and gone for readers").isNull();
        index.endSnapshot();

        Map<String, String> now = new HashMap<>();
        index.forEach(visitor(now));
        assertThat(now).containsOnly(Map.entry("a", "https://example.com/a2"), Map.entry("c", "https://example.com/c"),
                Map.entry("d", "https://example.com/d"), Map.entry("new", "https://example.com/new"));
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void walksOverLinksAtFarCountersSkipTheChunksNeverMade() {
        long far = (1L << 40) - 2; // a key of seven characters; every walk once went through each counter below it
        put(0, "https://example.com/0");
        put(5L * SLOTS_PER_CHUNK + 1, "https://example.com/mid");
        put(far, "https://example.com/far");
        LinkIndex.Snapshot snapshot = index.beginSnapshot();
        put(3L * SLOTS_PER_CHUNK, "https://example.com/after"); // a chunk made once the snapshot began
        Map<String, String> seen = new HashMap<>();
        index.snapshot(snapshot, visitor(seen));
        index.endSnapshot();
        assertThat(seen).containsOnly(Map.entry(Keys.encode(0), "https://example.com/0"),
                Map.entry(Keys.encode(5L * SLOTS_PER_CHUNK + 1), "https://example.com/mid"),
                Map.entry(Keys.encode(far), "https://example.com/far"));
        Map<String, String> now = new HashMap<>();
        index.forEach(visitor(now));
        assertThat(now).hasSize(4).containsEntry(Keys.encode(3L * SLOTS_PER_CHUNK), "https://example.com/after")
                .containsEntry(Keys.encode(far), "https://example.com/far");
    }

    private static LinkIndex.Visitor visitor(Map<String, String> seen) {
        return new LinkIndex.Visitor() {
            @Override
            public void plain(long counter, byte[] page, int offset, int length, long createdSeconds) {
                assertThat(createdSeconds).isEqualTo(CREATED.getEpochSecond());
                String previous = seen.put(Keys.encode(counter), new String(page, offset, length, StandardCharsets.ISO_8859_1));
                assertThat(previous).as("visited twice").isNull();
            }

            @Override
            public void rich(long counter, Link link) {
                String previous = seen.put(link.shortCode(), link.longUrl() + (link.title() == null ? "" : " (" + link.title() + ")"));
                assertThat(previous).as("visited twice").isNull();
            }
        };
    }

    /**
     * One writer appends while readers look up: a reader must never see a torn or wrong URL,
     * and once {@code size()} says n links are in, counters below n must all be readable.
     */
    @Test
    void readersNeverSeeAPartlyWrittenLinkWhileTheWriterAppends() throws Exception {
        int links = 70_000; // crosses 2 chunks and a dozen pages
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
                                String url = url(c);
                                if (!urlOf(c, 400).equals(url)) {
                                    throw new AssertionError("counter " + c + " below size " + published + " read as " + url);
                                }
                            }
                        }
                        // The link being written right now: absent or whole, never partly there.
                        for (long ahead = published; ahead < published + 3; ahead++) {
                            String maybe = url(ahead);
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
                    put(c, urlOf(c, 400));
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
            if (!urlOf(c, 400).equals(url(c))) {
                throw new AssertionError("counter " + c + " reads " + url(c));
            }
        }
    }

    /**
     * Links keep turning plain, rich and plain again, with and without a snapshot running, while
     * readers look them up: a reader sees one of the link's states, whole, never nothing.
     */
    @Test
    void readersAlwaysFindALinkThatTurnsRichAndPlainAgain() throws Exception {
        int links = 64;
        for (int c = 0; c < links; c++) {
            put(c, "https://example.com/" + c);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                try {
                    start.await();
                    while (writing.get() && failure.get() == null) {
                        for (int c = 0; c < links; c++) {
                            Link link = index.get(Keys.encode(c));
                            if (link == null || !link.longUrl().equals("https://example.com/" + c)) {
                                throw new AssertionError("link " + Keys.encode(c) + " read as " + link);
                            }
                            reads.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            try {
                start.await();
                for (int round = 0; round < 2_000 && failure.get() == null; round++) {
                    boolean snapshotting = round % 3 == 0;
                    if (snapshotting) {
                        index.beginSnapshot();
                    }
                    for (int c = 0; c < links; c++) {
                        Link current = index.get(Keys.encode(c));
                        index.set(c, LinkEdit.none().title(current.title() == null ? "rich " + round : null).applyTo(current));
                    }
                    if (snapshotting) {
                        index.endSnapshot();
                    }
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
        assertThat(reads.get()).isPositive();
        assertThat(index.size()).isEqualTo(links);
    }

    // ---- rich links by a hash of the code's characters ----

    @Test
    void generatedCodesOfRichLinksSpreadOverTheMapWhereStringHashCodesCollide() {
        java.util.Set<Integer> stringHashes = new java.util.HashSet<>();
        java.util.Set<Integer> keyHashes = new java.util.HashSet<>();
        for (int n = 0; n < 100_000; n++) {
            String code = Keys.encode(n);
            stringHashes.add(code.hashCode());
            keyHashes.add(LinkIndex.richKey(n, code).hashCode());
        }
        assertThat(stringHashes).as("why the map is not keyed by the String").hasSizeLessThan(25_000);
        assertThat(keyHashes).as("the keys of 100,000 rich links with generated codes").hasSize(100_000);
        assertThat(LinkIndex.richKey(-1, "ba")).as("a custom slug that looks like a code").isEqualTo("ba");
    }

    private static Link richLink(long counter, String title) {
        return new Link(Keys.encode(counter), "https://example.com/r/" + counter, CREATED, title, java.util.Set.of(),
                null, null, null, false, true, null, Link.CodeOrigin.COUNTER);
    }

    /** A custom slug that no counter decodes to, whose String hashes collide as generated codes' do. */
    private static Link slugLink(long n, String url) {
        String slug = "x-" + Keys.encode(n);
        return LinkDraft.of(url).withCustomSlug(slug).toLink(slug, CREATED);
    }

    /** Every link a walk visits, by code, made whole. */
    private static LinkIndex.Visitor collect(Map<String, Link> into) {
        return new LinkIndex.Visitor() {
            @Override
            public void plain(long counter, byte[] page, int offset, int length, long createdSeconds) {
                Link link = LinkIndex.plainLink(counter, page, offset, length, createdSeconds);
                assertThat(into.put(link.shortCode(), link)).as("visited twice: " + link).isNull();
            }

            @Override
            public void rich(long counter, Link link) {
                assertThat(counter).isEqualTo(ShortCodes.counterOf(link.shortCode()) >= 0
                        && link.origin() == Link.CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : -1);
                assertThat(into.put(link.shortCode(), link)).as("visited twice: " + link).isNull();
            }
        };
    }

    @Test
    void aRunOfRandomChangesOverCollidingCodesReadsAsAPlainMapDoes() {
        // Plain, rich and slug links over codes whose String hashes collide, changed at random,
        // snapshots taken and walked meanwhile: every read, walk and size must be the map's.
        Map<String, Link> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        int codes = 30_000;
        Map<String, Link> atSnapshot = null;
        LinkIndex.Snapshot snapshot = null;
        for (int step = 0; step < 200_000; step++) {
            long n = random.nextInt(codes);
            int op = random.nextInt(10);
            if (op < 3) {
                Link link = Link.plain(Keys.encode(n), "https://example.com/p/" + n + "/" + step, CREATED);
                index.set(n, link);
                expected.put(link.shortCode(), link);
            } else if (op < 6) {
                Link link = richLink(n, "t" + step);
                index.set(n, link);
                expected.put(link.shortCode(), link);
            } else if (op < 8) {
                Link link = slugLink(n, "https://example.com/s/" + step);
                index.set(-1, link);
                expected.put(link.shortCode(), link);
            } else if (op < 9) {
                index.remove(n, Keys.encode(n));
                expected.remove(Keys.encode(n));
            } else {
                String slug = slugLink(n, "https://example.com/").shortCode();
                index.remove(-1, slug);
                expected.remove(slug);
            }
            if (step % 40_000 == 10_000) {
                snapshot = index.beginSnapshot();
                atSnapshot = new HashMap<>(expected);
            } else if (step % 40_000 == 30_000) {
                Map<String, Link> seen = new HashMap<>();
                index.snapshot(snapshot, collect(seen));
                assertThat(seen).as("the snapshot of step " + (step - 20_000)).isEqualTo(atSnapshot);
                index.endSnapshot();
            }
        }
        assertThat(index.size()).isEqualTo(expected.size());
        for (long n = 0; n < codes; n++) {
            String code = Keys.encode(n);
            assertThat(index.get(code)).as(code).isEqualTo(expected.get(code));
            String slug = slugLink(n, "https://example.com/").shortCode();
            assertThat(index.get(new String(slug))).as(slug).isEqualTo(expected.get(slug));
        }
        Map<String, Link> walked = new HashMap<>();
        index.forEach(collect(walked));
        assertThat(walked).isEqualTo(expected);
    }

    @Test
    void readersFindEveryRichLinkThatStaysWhileTheWriterChurnsCollidingCodes() throws Exception {
        // Rich links 0..stay-1 stay; the writer adds and deletes rich links and slugs past them
        // (codes whose String hashes collide with theirs), growing and shrinking the map.
        int stay = 5_000;
        for (int c = 0; c < stay; c++) {
            index.set(c, richLink(c, "stays"));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int first = r;
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                try {
                    start.await();
                    while (writing.get() && failure.get() == null) {
                        for (int c = first; c < stay; c += 2) {
                            Link link = index.get(new String(Keys.encode(c)));
                            if (link == null || !link.longUrl().equals("https://example.com/r/" + c) || !"stays".equals(link.title())) {
                                throw new AssertionError("link " + Keys.encode(c) + " read as " + link);
                            }
                            reads.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            try {
                start.await();
                for (int round = 0; round < 6 && failure.get() == null; round++) {
                    int churn = 60_000;
                    for (int c = stay; c < stay + churn; c++) {
                        index.set(c, richLink(c, "churn " + round));
                        index.set(-1, slugLink(c, "https://example.com/churn"));
                    }
                    for (int c = stay; c < stay + churn; c++) {
                        index.remove(c, Keys.encode(c));
                        index.remove(-1, slugLink(c, "https://example.com/").shortCode());
                    }
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
        assertThat(reads.get()).isPositive();
        assertThat(index.size()).isEqualTo(stay);
    }
}
