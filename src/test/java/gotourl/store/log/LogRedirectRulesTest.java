package gotourl.store.log;

import static gotourl.store.RedirectRulesFixture.ANDROID;
import static gotourl.store.RedirectRulesFixture.FOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.RedirectRules;
import gotourl.store.LinkNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirect rules in the data file (type 11): a link's rules survive a replay, the index image and
 * a compaction; an edit of the link keeps them, a delete drops them; removing them makes the link
 * plain again; a torn rules record at the tail is cut off like any torn tail; repair keeps them.
 */
class LogRedirectRulesTest {
    @TempDir
    Path dir;
    private LogLinkStore store;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private LogLinkStore open(LogLinkStore.Options options) throws Exception {
        store = LogLinkStore.open(file(), options);
        return store;
    }

    private LogLinkStore reopen(boolean image) throws Exception {
        close();
        return open(LogLinkStore.Options.defaults().withIndexImage(image));
    }

    private void close() {
        store.close(Duration.ofSeconds(10));
        store = null;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            close();
        }
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPlainLinkWithRulesIsNoPlainEntryAndKeepsThemAfterAReplayAndAnIndexImage() throws Exception {
        open(LogLinkStore.Options.defaults());
        String code = done(store.add("https://example.com/app"));
        String other = done(store.add("https://example.com/other"));
        // Plain but for its author: kept in the index's pages (and the image's) until it has rules.
        String authored = done(store.create(LinkDraft.of("https://example.com/authored").withAuthor("k-alice"))).shortCode();
        assertThat(store.redirectIndex().plainEntry(code)).isNotZero();
        assertThat(store.redirectIndex().plainEntry(authored)).isNotZero();
        done(store.setRedirectRules(authored, ANDROID));
        assertThat(store.redirectIndex().plainEntry(authored)).isZero();

        Link set = done(store.setRedirectRules(code, FOUR));
        assertThat(set.redirectRules()).isEqualTo(FOUR);
        assertThat(set.longUrl()).isEqualTo("https://example.com/app");
        assertThat(store.lookup(code).redirectRules()).isEqualTo(FOUR);
        assertThat(store.redirectIndex().plainEntry(code)).as("a link with rules leaves the redirect's fast path").isZero();
        assertThat(store.redirectIndex().plainEntry(other)).isNotZero();

        reopen(false);
        assertThat(store.lookup(code).redirectRules()).as("replayed from the records").isEqualTo(FOUR);
        assertThat(store.redirectIndex().plainEntry(code)).isZero();
        assertThat(store.lookup(other).redirectRules()).isEqualTo(RedirectRules.NONE);
        reopen(true);
        close(); // writes the index image at this clean close
        open(LogLinkStore.Options.defaults());
        assertThat(store.replay().imageEnd()).as("started from the image").isPositive();
        assertThat(store.lookup(code).redirectRules()).isEqualTo(FOUR);
        assertThat(store.redirectIndex().plainEntry(code)).isZero();
        assertThat(store.lookup(authored).redirectRules()).isEqualTo(ANDROID);
        assertThat(store.lookup(authored).author()).isEqualTo("k-alice");
        assertThat(store.redirectIndex().plainEntry(authored)).isZero();
    }

    @Test
    void anEditKeepsThemADeleteDropsThemAndRemovingThemMakesTheLinkPlainAgain() throws Exception {
        open(LogLinkStore.Options.defaults());
        String code = done(store.add("https://example.com/app"));
        done(store.setRedirectRules(code, FOUR));
        Link edited = done(store.edit(code, LinkEdit.none().longUrl("https://example.com/app-2").title("The app")));
        assertThat(edited.redirectRules()).isEqualTo(FOUR);
        Link slug = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("my-app")));
        done(store.setRedirectRules(slug.shortCode(), ANDROID));
        done(store.delete(slug.shortCode()));

        reopen(false);
        assertThat(store.lookup(code).longUrl()).isEqualTo("https://example.com/app-2");
        assertThat(store.lookup(code).redirectRules()).as("the edit record kept the rules").isEqualTo(FOUR);
        Link again = done(store.create(LinkDraft.of("https://example.com/slug-2").withCustomSlug("my-app")));
        assertThat(again.redirectRules()).as("a new life of the slug starts without rules").isEqualTo(RedirectRules.NONE);
        done(store.edit(code, LinkEdit.none().title(null)));
        done(store.setRedirectRules(code, RedirectRules.NONE));
        assertThat(store.redirectIndex().plainEntry(code)).as("no rules, no fields: plain again").isNotZero();

        reopen(false);
        assertThat(store.lookup("my-app").redirectRules()).isEqualTo(RedirectRules.NONE);
        assertThat(store.lookup(code).redirectRules()).isEqualTo(RedirectRules.NONE);
        assertThat(store.redirectIndex().plainEntry(code)).isNotZero();
    }

    @Test
    void rulesOfNoLinkAreRefusedAndNothingIsWritten() throws Exception {
        open(LogLinkStore.Options.defaults());
        long before = store.fileBytes();
        assertThatThrownBy(() -> done(store.setRedirectRules("nope", FOUR))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LinkNotFoundException.class);
        assertThat(store.fileBytes()).isEqualTo(before);
    }

    @Test
    void aCompactionKeepsThemAfterTheirLinkAndCountsThemLive() throws Exception {
        open(LogLinkStore.Options.defaults());
        String code = done(store.add("https://example.com/app"));
        Link slug = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("rules")));
        for (int i = 0; i < 10; i++) {
            done(store.setRedirectRules(code, i % 2 == 0 ? ANDROID : FOUR));
            done(store.setRedirectRules(slug.shortCode(), i % 2 == 0 ? FOUR : ANDROID));
        }
        long live = store.liveBytes();
        done(store.compact());
        assertThat(store.fileBytes()).as("the compacted file: header, two links and their rules, a reservation")
                .isEqualTo(live + LogFormat.HEADER_BYTES + LogFormat.FRAME_BYTES + LogFormat.RESERVATION_BYTES);
        reopen(false);
        assertThat(store.lookup(code).redirectRules()).isEqualTo(FOUR);
        assertThat(store.lookup("rules").redirectRules()).isEqualTo(ANDROID);
        assertThat(store.liveBytes()).as("replay counts what compaction wrote").isEqualTo(live);
    }

    @Test
    void aTornRulesRecordAtTheTailIsCutOffAndTheRulesBeforeItKept() throws Exception {
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        String code = done(store.add("https://example.com/app"));
        done(store.setRedirectRules(code, ANDROID));
        long intactEnd = store.fileBytes();
        done(store.setRedirectRules(code, FOUR));
        close();
        byte[] whole = Files.readAllBytes(file());
        List<Long> starts = DataFiles.recordOffsets(file());
        assertThat(starts.getLast()).isEqualTo(intactEnd);
        for (int cut = (int) intactEnd + 1; cut < whole.length; cut++) {
            Files.write(file(), Arrays.copyOf(whole, cut));
            open(LogLinkStore.Options.defaults().withIndexImage(false));
            String at = "cut at byte " + cut + " of " + whole.length;
            // A tail of zeros only (the cut fell where the frame's first bytes are zeros) is
            // preallocated space to goto: kept, not reported, written over by the next record.
            boolean zerosOnly = true;
            for (int i = (int) intactEnd; i < cut; i++) {
                zerosOnly &= whole[i] == 0;
            }
            assertThat(store.lookup(code).redirectRules()).as(at).isEqualTo(ANDROID);
            assertThat(store.replay().droppedBytes()).as(at).isEqualTo(zerosOnly ? 0 : cut - intactEnd);
            assertThat(store.fileBytes()).as(at + ": the writer resumes after the intact record").isEqualTo(intactEnd);
            close();
            assertThat(Files.size(file())).as(at).isEqualTo(zerosOnly ? cut : intactEnd);
        }
    }

    @Test
    void repairKeepsThemAndDropsThoseOfALinkItLost() throws Exception {
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        String code = done(store.add("https://example.com/app"));
        done(store.setRedirectRules(code, FOUR));
        long lost = store.fileBytes();
        String gone = done(store.add("https://example.com/damaged"));
        done(store.setRedirectRules(gone, ANDROID));
        done(store.add("https://example.com/after"));
        close();
        DataFiles.flipByte(file(), lost + 12); // the link 'gone': its rules then name no link
        LogRepair.Report report = LogRepair.repair(file());
        assertThat(report.changed()).isTrue();
        assertThat(report.unknownRecordsKept()).as("the rules record is known to repair").isZero();
        assertThat(report.malformedDropped()).as("the rules of the lost link, which replay would refuse").isEqualTo(1);
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        assertThat(store.lookup(code).redirectRules()).isEqualTo(FOUR);
        assertThat(store.lookup(gone)).isNull();
    }
}
