package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.KeyHash;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.store.LinksQuery;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index image: a start from it holds exactly what a replay of the whole data file holds, the
 * records written after it are replayed, and an image that does not match the file as it is now
 * (damaged, cut short, of another file, from before a compaction, half-written) is ignored for
 * a full replay. Real files throughout.
 */
class IndexImageTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private Path image() {
        return IndexImage.path(file());
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /**
     * {@link #done} of the change {@code call} makes, made again while the store answers that its
     * write queue is full: a store without durable adds acknowledges at the queue, so a loop of
     * them can outrun its writer on a busy machine, and the store then refuses, as it should.
     */
    private static <T> T retried(java.util.function.Supplier<CompletableFuture<T>> call) throws Exception {
        while (true) {
            try {
                return done(call.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof gotourl.store.StoreBusyException)) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private static LogLinkStore.Options options() {
        return LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE);
    }

    /** Opens the file for one look and closes it without writing an image, so the image on disk stays as it is. */
    private Seen look(LogLinkStore.Options options) throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options.withIndexImage(false))) {
            return Seen.of(store);
        }
    }

    /**
     * Opens a copy of the file and its image (and of an unfinished image, if there is one) with
     * the image if one matches, and looks: the file and image here stay as they are.
     */
    private Seen lookWithImage() throws Exception {
        Path copy = copy();
        try (LogLinkStore store = LogLinkStore.open(copy, options())) {
            return Seen.of(store);
        }
    }

    private Path copy() throws Exception {
        Path copies = Files.createTempDirectory(dir, "copy");
        Path copy = copies.resolve("goto.data");
        Files.copy(file(), copy);
        if (Files.exists(image())) {
            Files.copy(image(), IndexImage.path(copy));
        }
        if (Files.exists(IndexImage.temporary(file()))) {
            Files.copy(IndexImage.temporary(file()), IndexImage.temporary(copy));
        }
        return copy;
    }

    /**
     * What a store shows: every link by code, where each redirects, the find-if-exists answers, the API keys, the visit
     * counts, every link listed (as a sorted list: links of one second may be listed in another
     * order, as after a compaction), the live bytes; and how much of the file an image covered.
     */
    private record Seen(Map<String, Link> links, Map<String, String> redirects, Map<String, List<String>> byUrl,
                        List<ApiKeyRecord> apiKeys, Map<String, Long> visits, List<String> listed, long imageEnd, long liveBytes) {
        static Seen of(LogLinkStore store) {
            Map<String, Link> links = new HashMap<>();
            store.forEach(link -> links.put(link.shortCode(), link));
            // Where each code redirects, as the redirect path reads it: a plain entry's URL from
            // its page without building the link, any other through a lookup.
            Map<String, String> redirects = new HashMap<>();
            for (String code : links.keySet()) {
                long entry = store.redirectIndex().plainEntry(code);
                redirects.put(code, entry > 0 ? "plain " + store.redirectIndex().plainUrl(entry) + " "
                        + store.redirectIndex().plainCreatedMillis(entry) : "looked up " + store.lookup(code));
            }
            Map<String, List<String>> byUrl = new HashMap<>();
            for (Link link : links.values()) {
                byUrl.computeIfAbsent(link.longUrl(), url -> store.linksTo(url).stream().map(Link::shortCode).sorted().toList());
            }
            Map<String, Long> visits = new HashMap<>();
            for (Link link : links.values()) {
                if (link.maxVisits() != null) {
                    visits.put(link.shortCode(), store.visitsCounted(link));
                }
            }
            List<String> listed = store.list(LinksQuery.all(Instant.parse("2030-01-01T00:00:00Z"))).links().stream()
                    .map(Link::shortCode).sorted().toList();
            return new Seen(links, redirects, byUrl, store.apiKeyTable().all(), visits, listed, store.replay().imageEnd(),
                    store.liveBytes());
        }

        Seen withoutImageEnd() {
            return new Seen(links, redirects, byUrl, apiKeys, visits, listed, 0, liveBytes);
        }
    }

    /** Plain links, rich ones, slugs, authored links, edits, deletes, freed codes, API keys, counted visits. */
    private static void churn(LogLinkStore store, int links, String tag) throws Exception {
        for (int step = 0; step < links; step++) {
            int i = step;
            String key = retried(() -> store.add("https://example.com/" + tag + "/" + i));
            if (i % 7 == 6) {
                Link authored = retried(() -> store.create(LinkDraft.of("https://example.com/by/" + tag + "/" + i).withAuthor("k-" + i % 3)));
                if (i % 21 == 6) {
                    retried(() -> store.delete(authored.shortCode()));
                }
            } else if (i % 7 == 1) {
                retried(() -> store.edit(key, LinkEdit.none().longUrl("https://example.com/" + tag + "/" + i + "/edited")));
            } else if (i % 7 == 2) {
                retried(() -> store.edit(key, LinkEdit.none().title("Title " + i).tags(List.of("t" + i % 3))));
            } else if (i % 7 == 3) {
                retried(() -> store.delete(key));
            } else if (i % 7 == 4) {
                retried(() -> store.add("https://example.com/" + tag + "/" + (i - 4))); // a second link to one URL
            }
        }
        retried(() -> store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("slug-" + tag).withCrawlable(true)));
        retried(() -> store.create(LinkDraft.of("https://example.com/freed").withCustomSlug("freed-" + tag)));
        retried(() -> store.delete("freed-" + tag));
        Link random = retried(() -> store.create(LinkDraft.of("https://example.com/random").withShortCodeLength(6)));
        retried(() -> store.delete(random.shortCode()));
        Link limited = retried(() -> store.create(LinkDraft.of("https://example.com/limited/" + tag).withMaxVisits(5)));
        assertThat(retried(() -> store.reserveVisit(limited))).isTrue();
        assertThat(retried(() -> store.reserveVisit(limited))).isTrue();
        retried(() -> store.createApiKey(new ApiKeyRecord("id-" + tag, "key " + tag, ApiKey.Role.ADMIN, Instant.parse("2026-12-01T00:00:00Z"),
                null, true, KeyHash.of("secret-" + tag))));
    }

    @Test
    void aStartFromTheImageHoldsWhatAFullReplayHolds() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 3_000, "a");
        }
        assertThat(image()).as("a clean close writes the image").exists();
        Seen replayed = look(options());
        Seen fromImage = lookWithImage();
        assertThat(replayed.imageEnd()).isEqualTo(-1);
        assertThat(fromImage.imageEnd()).as("the image was used and covers the whole file").isEqualTo(Files.size(file()));
        assertThat(fromImage.links()).hasSizeGreaterThan(3_000);
        assertThat(fromImage.withoutImageEnd()).isEqualTo(replayed.withoutImageEnd());
        assertThat(nextKey(true)).as("the key counter resumes where the full replay's does").isEqualTo(nextKeyAfterFullReplay());
    }

    /** The key the next add gets, in a copy of the file (so the file and image stay as they are). */
    private String nextKey(boolean withImage) throws Exception {
        Path copy = copy();
        try (LogLinkStore store = LogLinkStore.open(copy, options().withIndexImage(withImage))) {
            assertThat(store.replay().imageEnd() >= 0).isEqualTo(withImage && Files.exists(image()));
            return done(store.add("https://example.com/next"));
        }
    }

    private String nextKeyAfterFullReplay() throws Exception {
        return nextKey(false);
    }

    @Test
    void recordsWrittenAfterTheImageAreReplayedAfterIt() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 1_000, "a");
        }
        long covered = Files.size(file());
        // A run that writes no image (as after a crash): its records follow the image's part of the file.
        try (LogLinkStore store = LogLinkStore.open(file(), options().withIndexImage(false))) {
            churn(store, 500, "b");
            done(store.edit(store.lookup("slug-a").shortCode(), LinkEdit.none().longUrl("https://example.com/slug/moved")));
            done(store.delete("b"));
        }
        assertThat(Files.size(file())).isGreaterThan(covered);
        Seen fromImage = lookWithImage();
        assertThat(fromImage.imageEnd()).as("the old image, then the tail").isEqualTo(covered);
        assertThat(fromImage.withoutImageEnd()).isEqualTo(look(options()).withoutImageEnd());
        assertThat(fromImage.links().get("slug-a").longUrl()).isEqualTo("https://example.com/slug/moved");
        assertThat(fromImage.links()).doesNotContainKey("b");
        assertThat(nextKey(true)).isEqualTo(nextKeyAfterFullReplay());

        // The next clean close writes an image of the whole file.
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(covered);
        }
        assertThat(lookWithImage().imageEnd()).isEqualTo(Files.size(file()));
    }

    @Test
    void aTornTailAfterTheImageIsDroppedAsWithoutOne() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 300, "a");
        }
        long covered = Files.size(file());
        byte[] torn = DataFiles.link("zz", "https://example.com/torn");
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(torn, 0, torn.length - 3));
        }
        Seen fromImage = lookWithImage();
        assertThat(fromImage.imageEnd()).isEqualTo(covered);
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().droppedBytes()).isEqualTo(torn.length - 3);
        }
        assertThat(Files.size(file())).as("the torn record cut off").isEqualTo(covered);
        assertThat(fromImage.withoutImageEnd()).isEqualTo(look(options()).withoutImageEnd());
    }

    @Test
    void aDamagedImageIsIgnoredForAFullReplay() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 2_000, "a");
        }
        Seen expected = look(options());
        byte[] good = Files.readAllBytes(image());
        // A byte in the header, in the first page, in the middle (a chunk or a page), at the end (records).
        for (long offset : new long[] {20, IndexImage.HEADER_BYTES + 8 + 100, good.length / 2, good.length - 10}) {
            Files.write(image(), good);
            DataFiles.flipByte(image(), offset);
            Seen seen = lookWithImage();
            assertThat(seen.imageEnd()).as("byte " + offset + " flipped: the image is not used").isEqualTo(-1);
            assertThat(seen).as("byte " + offset + " flipped").isEqualTo(expected);
        }
        for (int cut : new int[] {1, 1000, good.length - IndexImage.HEADER_BYTES, good.length - 5}) {
            Files.write(image(), java.util.Arrays.copyOf(good, good.length - cut));
            Seen seen = lookWithImage();
            assertThat(seen.imageEnd()).as(cut + " bytes cut off: the image is not used").isEqualTo(-1);
            assertThat(seen).isEqualTo(expected);
        }
        Files.write(image(), new byte[0]);
        assertThat(lookWithImage()).isEqualTo(expected);
        Files.write(image(), good);
        assertThat(lookWithImage().imageEnd()).as("the intact image is used").isEqualTo(Files.size(file()));
    }

    @Test
    void theImageOfAnotherFileOrOfAnEarlierVersionOfThisOneIsIgnored() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 500, "a");
        }
        byte[] first = Files.readAllBytes(image());
        byte[] firstFile = Files.readAllBytes(file());
        // Another file: the same links written in another order, so the same size but other bytes.
        Path other = dir.resolve("other.data");
        try (LogLinkStore store = LogLinkStore.open(other, options())) {
            churn(store, 500, "c");
        }
        Files.copy(IndexImage.path(other), image(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Seen seen = lookWithImage();
        assertThat(seen.imageEnd()).isEqualTo(-1);
        assertThat(seen.links()).containsKey("slug-a").doesNotContainKey("slug-c");

        // An image that covers more than the file holds: the file was replaced by an older one.
        Files.write(image(), first);
        try (LogLinkStore store = LogLinkStore.open(file(), options().withIndexImage(false))) {
            churn(store, 100, "d");
        }
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(firstFile.length);
        }
        byte[] newer = Files.readAllBytes(image());
        Files.write(file(), firstFile);
        Files.write(image(), newer);
        seen = lookWithImage();
        assertThat(seen.imageEnd()).as("an image of more than the file holds").isEqualTo(-1);
        assertThat(seen.links()).containsKey("slug-a").doesNotContainKey("slug-d");
    }

    @Test
    void aCompactionRemovesTheImageAndAnImageOfTheFileBeforeItIsIgnored() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 1_000, "a");
        }
        byte[] beforeCompaction = Files.readAllBytes(image());
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isPositive();
            done(store.compact());
            assertThat(image()).as("removed at the compaction's rename").doesNotExist();
            done(store.add("https://example.com/after-compaction"));
        }
        assertThat(image()).as("written again at the close").exists();
        Seen expected = look(options());
        Seen fromImage = lookWithImage();
        assertThat(fromImage.imageEnd()).isEqualTo(Files.size(file()));
        assertThat(fromImage.withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
        // The image of the file as it was before the compaction: its bytes are not those of the new file.
        Files.write(image(), beforeCompaction);
        Seen seen = lookWithImage();
        assertThat(seen.imageEnd()).isEqualTo(-1);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void aCrashBetweenWritingTheImageAndRenamingItLeavesTheOldImageInUse() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 500, "a");
        }
        long covered = Files.size(file());
        byte[] old = Files.readAllBytes(image());
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 200, "b");
        }
        byte[] written = Files.readAllBytes(image());
        // As if the second close had crashed before its rename: the new image, whole or in part, under the temporary name.
        for (int length : new int[] {written.length, written.length / 2, 0}) {
            Files.write(image(), old);
            Files.write(IndexImage.temporary(file()), java.util.Arrays.copyOf(written, length));
            Seen expected = look(options());
            Seen seen;
            try (LogLinkStore store = LogLinkStore.open(file(), options())) {
                assertThat(IndexImage.temporary(file())).as("the unfinished image is deleted").doesNotExist();
                seen = Seen.of(store);
            }
            assertThat(seen.imageEnd()).as("the old image, then the records after it").isEqualTo(covered);
            assertThat(seen.withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
        }
    }

    @Test
    void aWriteWhoseDeadlinePassesGivesUpAtEachStepLeavingTheOldImageAndNoTemporaryFile() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 500, "a");
        }
        long covered = Files.size(file());
        byte[] oldImage = Files.readAllBytes(image());
        try (LogLinkStore store = LogLinkStore.open(file(), options().withIndexImage(false).withDurable(false))) {
            churn(store, 15_000, "b"); // a data file of a few MiB: several reads for its checksum, several pages
        }
        assertThat(Files.readAllBytes(image())).as("the old image, not rewritten by a store without images").isEqualTo(oldImage);
        byte[] data = Files.readAllBytes(file());
        assertThat(data.length).isGreaterThan(1 << 20);
        Seen expected = look(options());
        // The deadline passes at the first check, the second, ... : reading the data file for its
        // checksum (on its own thread, meanwhile), between the image's blocks, before the rename;
        // then not at all.
        int checks = 0;
        while (true) {
            int allowed = checks;
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            IndexImage.Deadline deadline = () -> asked.getAndIncrement() >= allowed;
            LogFile log = LogFile.open(file());
            boolean gaveUp;
            try {
                Replay replay = Replay.run(log, false);
                IndexImage.write(log, Files.size(file()), replay.state(), replay.apiKeys(), replay.state().counter(),
                        Instant.parse("2026-12-01T12:00:00Z").toEpochMilli(), deadline);
                gaveUp = false;
            } catch (IndexImage.DeadlinePassed e) {
                gaveUp = true;
                // Each of the two threads stops at its first check past the deadline.
                assertThat(asked.get()).as("it gives up at the first check past the deadline").isBetween(allowed + 1, allowed + 2);
            } finally {
                log.close();
            }
            assertThat(IndexImage.temporary(file())).as("after " + allowed + " checks").doesNotExist();
            assertThat(Files.readAllBytes(file())).as("the data file is never touched").isEqualTo(data);
            if (!gaveUp) {
                assertThat(Files.readAllBytes(image())).isNotEqualTo(oldImage);
                Seen seen = lookWithImage();
                assertThat(seen.imageEnd()).as("the new image covers the whole file").isEqualTo(data.length);
                assertThat(seen.withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
                break;
            }
            assertThat(Files.readAllBytes(image())).as("the old image stays, after " + allowed + " checks").isEqualTo(oldImage);
            if (allowed == 0) {
                // The same files after every give-up (checked above, byte for byte): one start tells for all.
                Seen seen = lookWithImage();
                assertThat(seen.imageEnd()).as("the old image, then the records after it").isEqualTo(covered);
                assertThat(seen.withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
            }
            checks++;
        }
        assertThat(checks).as("checks while reading the data file (%d bytes), between blocks, before renaming",
                data.length).isGreaterThan(8);
    }

    @Test
    void aCloseWhoseDeadlinePassesDuringTheImagesWriteEndsItAndTheNextStartReplays() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 300, "a");
        }
        byte[] oldImage = Files.readAllBytes(image());
        // A clock that takes 600 ms when the image's write asks it the time (its creation time,
        // read once the close has decided to write it): the close's deadline of 300 ms passes
        // during the write, as a large image's would.
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public long millis() {
                if (java.util.Arrays.stream(Thread.currentThread().getStackTrace()).anyMatch(f -> f.getMethodName().equals("writeImage"))
                        && stalled.compareAndSet(false, true)) {
                    try {
                        Thread.sleep(600);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return System.currentTimeMillis();
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(millis());
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        LogLinkStore store = LogLinkStore.open(file(), options().withClock(clock));
        churn(store, 300, "b");
        long started = System.nanoTime();
        assertThat(store.close(java.time.Duration.ofMillis(300))).isZero();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(stalled).as("the close went on to write the image").isTrue();
        assertThat(tookMillis).as("ended at the first check past the deadline, not after the whole image").isLessThan(2_000);
        assertThat(IndexImage.temporary(file())).doesNotExist();
        assertThat(Files.readAllBytes(image())).as("the image there was, untouched").isEqualTo(oldImage);
        Seen expected = look(options());
        Seen seen = lookWithImage();
        assertThat(seen.imageEnd()).as("the old image, then the records after it").isGreaterThan(0).isLessThan(Files.size(file()));
        assertThat(seen.withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
    }

    @Test
    void noImageIsWrittenThatWouldSaveNothingAndOneOfEarlierLinksIsDeleted() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(-1);
        }
        assertThat(image()).as("an empty file's image: ~135 KB to save replaying its header").doesNotExist();
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            done(store.createApiKey(new ApiKeyRecord("k-1", "ops", ApiKey.Role.ADMIN, Instant.parse("2026-12-01T00:00:00Z"),
                    null, true, KeyHash.of("secret"))));
        }
        assertThat(image()).as("API keys but no links").doesNotExist();
        try (BulkImport bulk = BulkImport.open(file())) {
            bulk.finish();
        }
        assertThat(image()).as("an import of nothing").doesNotExist();

        String key;
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            key = done(store.add("https://example.com/one"));
        }
        assertThat(image()).as("one link").exists();
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(Files.size(file()));
            done(store.delete(key));
        }
        assertThat(image()).as("the image of the link since deleted").doesNotExist();
        Seen seen = look(options());
        assertThat(seen.links()).isEmpty();
        assertThat(seen.apiKeys()).hasSize(1);
    }

    @Test
    void anImportOfSeveralChunksAndPagesLoadsFromItsImage() throws Exception {
        // An import (it writes the image when it ends): past one chunk of slots and into a sixth page.
        List<String> keys = new ArrayList<>();
        try (BulkImport bulk = BulkImport.open(file())) {
            for (int i = 0; i < 70_000; i++) {
                keys.add(gotourl.link.Keys.encode(bulk.createPlain("https://example.com/a-longer-path-so-that-the-pages-fill/" + i,
                        Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i))));
            }
            bulk.finish();
        }
        assertThat(image()).as("written by the import").exists();
        Seen seen = lookWithImage();
        assertThat(seen.imageEnd()).isEqualTo(Files.size(file()));
        assertThat(seen.links()).hasSize(70_000);
        for (int i = 0; i < keys.size(); i += 997) {
            assertThat(seen.links().get(keys.get(i)).longUrl()).isEqualTo("https://example.com/a-longer-path-so-that-the-pages-fill/" + i);
        }
        assertThat(seen.byUrl().get("https://example.com/a-longer-path-so-that-the-pages-fill/69999")).containsExactly(keys.getLast());

        // An import that does not finish (it failed) leaves the image as it was.
        byte[] before = Files.readAllBytes(image());
        try (BulkImport bulk = BulkImport.open(file())) {
            bulk.createPlain("https://example.com/unfinished", Instant.parse("2026-12-01T00:00:00Z"));
        }
        assertThat(Files.readAllBytes(image())).isEqualTo(before);
        assertThat(lookWithImage().withoutImageEnd()).isEqualTo(look(options()).withoutImageEnd());
    }

    /** Every link listed newest first, as the listing gives them (not sorted again here). */
    private static List<String> listedInOrder(LogLinkStore store) {
        return store.list(LinksQuery.all(Instant.parse("2030-01-01T00:00:00Z"))).links().stream().map(Link::shortCode).toList();
    }

    @Test
    void theCreationOrderComesFromTheImageAsAReplayBuildsIt() throws Exception {
        // Links whose creation seconds go back and forth: a listing must still be by creation.
        try (BulkImport bulk = BulkImport.open(file())) {
            for (int i = 0; i < 40_000; i++) {
                long second = i % 5 == 4 ? 100_000 - i : 200_000 + i / 3;
                bulk.createPlain("https://example.com/o/" + i, Instant.ofEpochSecond(second));
            }
            bulk.finish();
        }
        List<String> replayed;
        try (LogLinkStore store = LogLinkStore.open(file(), options().withIndexImage(false))) {
            replayed = listedInOrder(store);
        }
        Path copy = copy();
        try (LogLinkStore store = LogLinkStore.open(copy, options())) {
            assertThat(store.replay().imageEnd()).as("the image was used").isEqualTo(Files.size(file()));
            List<String> listed = listedInOrder(store);
            assertThat(listed).hasSize(40_000).isEqualTo(replayed);
            List<Instant> created = store.list(LinksQuery.all(Instant.parse("2030-01-01T00:00:00Z"))).links().stream()
                    .map(Link::dateCreated).toList();
            assertThat(created).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(created.getLast()).isEqualTo(Instant.ofEpochSecond(100_000 - 39_999));
            // Links added after the load go after those of the image.
            String added = done(store.add("https://example.com/o/added"));
            assertThat(listedInOrder(store).getFirst()).isEqualTo(added);
        }

        // In order of creation throughout (as an import of one moment's links): the same, without a rebuild.
        Files.delete(file());
        Files.delete(image());
        try (BulkImport bulk = BulkImport.open(file())) {
            for (int i = 0; i < 20_000; i++) {
                bulk.createPlain("https://example.com/s/" + i, Instant.ofEpochSecond(5_000 + i / 7));
            }
            bulk.finish();
        }
        try (LogLinkStore store = LogLinkStore.open(file(), options().withIndexImage(false))) {
            replayed = listedInOrder(store);
        }
        try (LogLinkStore store = LogLinkStore.open(copy(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(Files.size(file()));
            assertThat(listedInOrder(store)).isEqualTo(replayed);
        }
    }

    /**
     * {@code image}'s blocks (after the header) but those of {@code dropped}, under a header that
     * says {@code version}, with the content's length and checksum and the header's CRC made
     * right again: what goto of that version would have written, as far as the checks can tell.
     */
    private static byte[] rewritten(byte[] image, int version, int dropped) {
        ByteBuffer in = ByteBuffer.wrap(image);
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        int at = IndexImage.HEADER_BYTES;
        while (at < image.length) {
            int tag = in.getInt(at);
            int length = in.getInt(at + 4);
            if (tag != dropped) {
                content.write(image, at, 8 + length);
            }
            at += 8 + length;
        }
        byte[] blocks = content.toByteArray();
        IndexImage.Sum sum = new IndexImage.Sum();
        sum.update(blocks, 0, blocks.length);
        ByteBuffer header = ByteBuffer.wrap(java.util.Arrays.copyOf(image, IndexImage.HEADER_BYTES));
        header.putInt(8, version).putLong(64, blocks.length).putLong(72, sum.value());
        if (version == 1) {
            header.putInt(84, 0); // version 1 had no sorted flag there
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header.array(), 0, 100);
        header.putInt(100, (int) crc.getValue());
        byte[] out = new byte[IndexImage.HEADER_BYTES + blocks.length];
        System.arraycopy(header.array(), 0, out, 0, IndexImage.HEADER_BYTES);
        System.arraycopy(blocks, 0, out, IndexImage.HEADER_BYTES, blocks.length);
        return out;
    }

    @Test
    void anImageOfTheVersionBeforeTheCreationOrderIsReplayedOverAndWrittenAnew() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            churn(store, 1_500, "a");
        }
        Seen expected = look(options());
        byte[] current = Files.readAllBytes(image());
        // The forging itself is right: unchanged, the image is used.
        Files.write(image(), rewritten(current, IndexImage.VERSION, 0));
        assertThat(lookWithImage().imageEnd()).isEqualTo(Files.size(file()));

        // Version 1: the same layout without the order's blocks, as goto before it wrote it.
        Files.write(image(), rewritten(current, 1, IndexImage.ORDER));
        Seen seen = lookWithImage();
        assertThat(seen.imageEnd()).as("an image of version 1 is not used").isEqualTo(-1);
        assertThat(seen).isEqualTo(expected);
        // A start replays the whole file, and its clean close writes an image of this version.
        try (LogLinkStore store = LogLinkStore.open(file(), options())) {
            assertThat(store.replay().imageEnd()).isEqualTo(-1);
            assertThat(Seen.of(store).withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
        }
        assertThat(ByteBuffer.wrap(Files.readAllBytes(image())).getInt(8)).isEqualTo(IndexImage.VERSION);
        assertThat(lookWithImage().withoutImageEnd()).isEqualTo(expected.withoutImageEnd());
        assertThat(lookWithImage().imageEnd()).isEqualTo(Files.size(file()));

        // This version's number on an image without its order (its checksums right): not used either.
        Files.write(image(), rewritten(current, IndexImage.VERSION, IndexImage.ORDER));
        seen = lookWithImage();
        assertThat(seen.imageEnd()).as("an image without its order").isEqualTo(-1);
        assertThat(seen).isEqualTo(expected);
    }
}
