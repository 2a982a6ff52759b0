package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk path's plain links ({@link BulkImport#createPlain}): records encoded straight from the
 * counter and the URL, and links published without building them, must be exactly what a create
 * through a plan wrote and published: the same keys, URLs and times in the file (read back record
 * by record, checksums included), and the same links for lookups, then and after a replay.
 */
class BulkImportTest {
    private static final Instant CREATED = Instant.parse("2026-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static String url(int i) {
        return "https://example.com/articles/" + i + "/some-page-name?ref=import";
    }

    /** A data file whose goto handed out 'a' and 'b', then deleted 'b': its counter stands at 'c'. */
    private Path fileWithKeyBDeleted() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            store.add(url(0)).join(); // a
            store.add(url(1)).join(); // b
            store.delete("b").join();
        }
        return file;
    }

    /** Past 62 and 3,844 links (two- and three-character keys) and past a megabyte of records (one write). */
    @Test
    void plainLinksAreTheRecordsAndLinksOfTheCounterKeys() throws Exception {
        Path file = dir.resolve("goto.data");
        int links = 20_000;
        try (BulkImport bulk = BulkImport.open(file)) {
            bulk.expect(links);
            for (int i = 0; i < links; i++) {
                long counter = i % 2 == 0 ? bulk.createPlain(url(i), CREATED)
                        : Keys.decode(bulk.create(LinkDraft.of(url(i)), CREATED)); // the same path, through create
                assertThat(counter).isEqualTo(i);
            }
            // Published as they are written, before finish: the import's own idempotency check needs them.
            assertThat(bulk.size()).isEqualTo(links);
            assertThat(bulk.lookup("baa")).isEqualTo(Link.plain("baa", url(3844), CREATED));
            assertThat(bulk.linksTo(url(61))).containsExactly(Link.plain("9", url(61), CREATED));
            bulk.finish();
        }
        List<LogFramesTest.Read> expected = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            expected.add(new LogFramesTest.Read(Keys.encode(i), url(i), CREATED.toEpochMilli()));
        }
        assertThat(LogFramesTest.readLinks(file)).isEqualTo(expected);
        try (BulkImport replayed = BulkImport.open(file)) {
            assertThat(replayed.size()).isEqualTo(links);
            for (int i = 0; i < links; i += 997) {
                assertThat(replayed.lookup(Keys.encode(i))).isEqualTo(Link.plain(Keys.encode(i), url(i), CREATED));
                assertThat(replayed.linksTo(url(i))).extracting(Link::shortCode).containsExactly(Keys.encode(i));
            }
            assertThat(replayed.createPlain(url(links), CREATED)).as("the counter goes on after the file's keys").isEqualTo(links);
        }
    }

    /**
     * An import past twice {@link BulkImport#FORCE_BYTES} forces in the background while it goes on
     * writing, and every link is in the file, in order, after its finish; a close joins the last
     * force, so no force thread outlives the import.
     */
    @Test
    void forcesInTheBackgroundLoseNothing() throws Exception {
        Path file = dir.resolve("goto.data");
        String padding = "x".repeat(1900);
        int links = (int) (2 * BulkImport.FORCE_BYTES / 1900) + 1000;
        try (BulkImport bulk = BulkImport.open(file)) {
            for (int i = 0; i < links; i++) {
                bulk.createPlain(url(i) + padding, CREATED);
            }
            assertThat(bulk.backgroundForces()).isGreaterThanOrEqualTo(2);
            bulk.finish();
            assertThat(bulk.forcing()).as("finish waits for the force in the background").isFalse();
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("goto-import-force");
        List<LogFramesTest.Read> read = LogFramesTest.readLinks(file);
        assertThat(read).hasSize(links);
        for (int i = 0; i < links; i += 1009) {
            assertThat(read.get(i)).isEqualTo(new LogFramesTest.Read(Keys.encode(i), url(i) + padding, CREATED.toEpochMilli()));
        }
        try (BulkImport replayed = BulkImport.open(file)) {
            assertThat(replayed.size()).isEqualTo(links);
        }
    }

    /**
     * Keys the counter passed during an import were passed for the import's own links and given to
     * no one: the input's keys and custom slugs take them in any order (an export lists a slug
     * claimed again after newer keys after those keys). A key below the counter at open may have
     * been handed out by the file's goto: refused, as a key or as a slug, its link deleted or not.
     */
    @Test
    void keysTheCounterPassedForTheImportAreFreeToItsLinksInAnyOrder() throws Exception {
        Path file = fileWithKeyBDeleted();
        try (BulkImport bulk = BulkImport.open(file)) {
            bulk.put(Link.plain("f", url(5), CREATED)); // the counter moves past f
            bulk.put(Link.plain("d", url(3), CREATED));
            bulk.put(LinkDraft.of(url(2)).withCustomSlug("c").toLink("c", CREATED));
            assertThatThrownBy(() -> bulk.put(Link.plain("b", url(9), CREATED)))
                    .isInstanceOf(gotourl.store.LinkConflictException.class).hasMessageContaining("already handed out");
            assertThatThrownBy(() -> bulk.put(LinkDraft.of(url(9)).withCustomSlug("b").toLink("b", CREATED)))
                    .isInstanceOf(gotourl.store.LinkConflictException.class).hasMessageContaining("already handed out");
            assertThatThrownBy(() -> bulk.put(Link.plain("d", url(9), CREATED)))
                    .isInstanceOf(gotourl.store.LinkConflictException.class).hasMessageContaining("in use");
            assertThat(bulk.createPlain(url(6), CREATED)).as("the counter goes on past f, never back").isEqualTo(6);
            bulk.finish();
        }
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("c").origin()).isEqualTo(Link.CodeOrigin.CUSTOM_SLUG);
            assertThat(store.lookup("d")).isEqualTo(Link.plain("d", url(3), CREATED));
            assertThat(store.longUrlOf("b")).isNull();
            assertThat(store.add(url(7)).join()).isEqualTo("h");
        }
    }

    /**
     * An export's counter position ({@link BulkImport#reserveThrough}): the counter moves there,
     * never back, and stays there for the file's goto (replayed, or loaded from the index image);
     * the keys it passes stay free to the import's own links, before or after it, and only the
     * keys below the counter at open are refused.
     */
    @Test
    void theCounterMovesToAReservationNeverBackAndKeepsItOnDisk() throws Exception {
        Path file = fileWithKeyBDeleted();
        try (BulkImport bulk = BulkImport.open(file)) {
            bulk.reserveThrough(10); // 'k'
            assertThat(bulk.nextCounter()).isEqualTo(10);
            bulk.reserveThrough(4);
            assertThat(bulk.nextCounter()).as("never back").isEqualTo(10);
            bulk.put(Link.plain("e", url(4), CREATED));
            assertThatThrownBy(() -> bulk.put(Link.plain("b", url(9), CREATED)))
                    .isInstanceOf(gotourl.store.LinkConflictException.class).hasMessageContaining("already handed out");
            bulk.put(Link.plain("m", url(12), CREATED));
            assertThat(bulk.nextCounter()).as("past the imported keys").isEqualTo(13);
            bulk.reserveThrough(20); // 'u'
            assertThatThrownBy(() -> bulk.reserveThrough(gotourl.link.ShortCodes.MAX_COUNTER + 1))
                    .isInstanceOf(IllegalArgumentException.class);
            bulk.finish();
        }
        assertThat(java.nio.file.Files.exists(IndexImage.path(file))).as("written at close").isTrue();
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults())) {
            assertThat(store.replay().imageEnd()).as("the image was used").isPositive();
            assertThat(store.replay().records()).as("and nothing after it replayed").isZero();
            assertThat(store.nextCounter()).as("from the index image").isEqualTo(20);
        }
        try (LogLinkStore store = LogLinkStore.open(file, LogLinkStore.Options.defaults().withIndexImage(false))) {
            assertThat(store.nextCounter()).as("replayed from the records").isEqualTo(20);
            assertThat(store.add(url(20)).join()).isEqualTo("u");
        }
    }

    /** A URL no record holds is refused whole: no half record is left in the buffer for the next link to follow. */
    @Test
    void aUrlNoRecordHoldsLeavesNothingBehind() throws Exception {
        Path file = dir.resolve("goto.data");
        try (BulkImport bulk = BulkImport.open(file)) {
            bulk.createPlain(url(0), CREATED);
            assertThatThrownBy(() -> bulk.createPlain("https://example.com/caf\u00e9", CREATED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
            // A character whose low byte is ASCII ('A' is 0x41): refused, not written as its low byte.
            assertThatThrownBy(() -> bulk.createPlain("https://example.com/\u0141", CREATED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
            long next = bulk.createPlain(url(2), CREATED);
            assertThat(bulk.lookup(Keys.encode(next))).isEqualTo(Link.plain(Keys.encode(next), url(2), CREATED));
            assertThat(bulk.size()).isEqualTo(2);
            bulk.finish();
        }
        List<LogFramesTest.Read> read = LogFramesTest.readLinks(file);
        assertThat(read).extracting(LogFramesTest.Read::url).containsExactly(url(0), url(2));
        try (BulkImport replayed = BulkImport.open(file)) {
            assertThat(replayed.size()).isEqualTo(2);
            assertThat(replayed.linksTo("https://example.com/caf\u00e9")).isEmpty();
        }
    }
}
