package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.store.LinkConflictException;
import gotourl.store.LinkStore;
import gotourl.store.LinkStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract for the durable log store, in a real file, and what a restart keeps of each operation. */
class LogLinkStoreContractTest extends LinkStoreContract {
    @TempDir
    Path dir;
    private Clock clock;

    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        this.clock = clock;
        return LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(clock));
    }

    private void restart() throws Exception {
        store.close(Duration.ofSeconds(10));
        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(clock));
    }

    @Test
    void acknowledgedLinksAreThereAfterReopeningAndKeysGoOn() throws Exception {
        String first = keyOf(store.add("https://example.com/kept"));
        String second = keyOf(store.add("https://example.com/also-kept"));
        restart();
        assertThat(store.longUrlOf(first)).isEqualTo("https://example.com/kept");
        assertThat(store.longUrlOf(second)).isEqualTo("https://example.com/also-kept");
        assertThat(keyOf(store.add("https://example.com/next"))).isEqualTo("c");
    }

    @Test
    void everyFieldEditAndDeleteIsThereAfterReopening() throws Exception {
        Link rich = done(store.create(LinkDraft.of("https://example.com/rich").withTitle("Tïtle ✓").withTags(List.of("ä", "b c"))
                .withValidSince(NOW).withValidUntil(NOW.plusSeconds(3600)).withMaxVisits(3).withCrawlable(true)
                .withForwardQuery(false).withAuthor("key-1")));
        Link slug = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("my-slug")));
        Link random = done(store.create(LinkDraft.of("https://example.com/random").withShortCodeLength(8)));
        String plain = keyOf(store.add("https://example.com/plain"));
        String deleted = keyOf(store.add("https://example.com/deleted"));
        Link edited = done(store.edit(plain, LinkEdit.none().longUrl("https://example.com/edited").tags(List.of("t"))));
        done(store.delete(deleted));
        done(store.delete(random.shortCode()));
        done(store.create(LinkDraft.of("https://example.com/freed").withCustomSlug("freed")));
        done(store.delete("freed"));

        restart();
        assertThat(store.lookup(rich.shortCode())).isEqualTo(rich);
        assertThat(store.lookup("my-slug")).isEqualTo(slug);
        assertThat(store.lookup(plain)).isEqualTo(edited);
        assertThat(store.lookup(deleted)).isNull();
        assertThat(store.lookup(random.shortCode())).isNull();
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.crawlableShortCodes()).containsExactly(rich.shortCode());
        assertThat(store.linksTo("https://example.com/edited")).containsExactly(edited);
        assertThat(keyOf(store.add("https://example.com/next"))).as("a deleted last key is not handed out again").isEqualTo("d");
        assertThat(refusal(store.create(LinkDraft.of("https://example.com/x").withCustomSlug(random.shortCode()))))
                .isInstanceOf(LinkConflictException.class);
        assertThat(done(store.create(LinkDraft.of("https://example.com/again").withCustomSlug("freed"))).shortCode()).isEqualTo("freed");
    }

    @Test
    void everyPlainLinkIsFoundByItsUrlAfterARestartAndTheIndexKeepsWorkingAfterIt() throws Exception {
        // A replay builds the URL index at once at its end: enough links that every segment holds
        // many, URLs shared by several links, edits and deletes that happened before the restart.
        java.util.Map<String, List<String>> expected = new java.util.HashMap<>();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            String url = "https://example.com/page/" + (i % 4_000);
            String key = keyOf(store.add(url));
            keys.add(key);
            expected.computeIfAbsent(url, u -> new java.util.ArrayList<>()).add(key);
        }
        for (int i = 0; i < 6_000; i += 7) {
            String url = "https://example.com/page/" + (i % 4_000);
            done(store.delete(keys.get(i)));
            expected.get(url).remove(keys.get(i));
        }
        for (int i = 3; i < 6_000; i += 11) {
            if (i % 7 == 0) {
                continue;
            }
            done(store.edit(keys.get(i), LinkEdit.none().longUrl("https://example.com/moved/" + i)));
            expected.get("https://example.com/page/" + (i % 4_000)).remove(keys.get(i));
            expected.put("https://example.com/moved/" + i, new java.util.ArrayList<>(List.of(keys.get(i))));
        }

        restart();
        for (var entry : expected.entrySet()) {
            assertThat(store.linksTo(entry.getKey())).as(entry.getKey()).extracting(Link::shortCode)
                    .containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
        // After the bulk build, links come and go one by one again.
        String fresh = keyOf(store.add("https://example.com/page/1"));
        done(store.delete(expected.get("https://example.com/page/1").getFirst()));
        List<String> now = new java.util.ArrayList<>(expected.get("https://example.com/page/1"));
        now.removeFirst();
        now.add(fresh);
        assertThat(store.linksTo("https://example.com/page/1")).extracting(Link::shortCode).containsExactlyInAnyOrderElementsOf(now);
        for (int i = 0; i < 4_000; i += 97) {
            String url = "https://example.com/page/" + i;
            assertThat(store.linksTo(url)).as(url).extracting(Link::shortCode)
                    .containsExactlyInAnyOrderElementsOf(i == 1 ? now : expected.get(url));
        }
    }

    @Test
    void aPasswordHashItsChangeAndItsRemovalAreThereAfterReopeningAndAfterACompaction() throws Exception {
        Link locked = done(store.create(LinkDraft.of("https://example.com/locked").withPasswordHash(HASH_1)));
        Link unlocked = done(store.create(LinkDraft.of("https://example.com/unlocked").withCustomSlug("was-locked")
                .withPasswordHash(HASH_1)));
        Link changed = done(store.create(LinkDraft.of("https://example.com/changed").withShortCodeLength(6).withPasswordHash(HASH_1)));
        done(store.edit("was-locked", LinkEdit.none().passwordHash(null)));
        done(store.edit(changed.shortCode(), LinkEdit.none().passwordHash(HASH_2)));

        restart();
        assertThat(store.lookup(locked.shortCode())).isEqualTo(locked);
        assertThat(store.lookup("was-locked")).isEqualTo(unlocked.withPasswordHash(null));
        assertThat(store.lookup(changed.shortCode()).passwordHash()).isEqualTo(HASH_2);

        done(((LogLinkStore) store).compact());
        restart();
        assertThat(store.lookup(locked.shortCode())).as("compaction writes the hash back").isEqualTo(locked);
        assertThat(store.lookup("was-locked").passwordProtected()).isFalse();
        assertThat(store.lookup(changed.shortCode()).passwordHash()).isEqualTo(HASH_2);
        String records = String.join("\n", LogDump.records(dir.resolve("links.data")));
        assertThat(records).contains(HASH_2).doesNotContain("DAMAGED");
    }

    @Test
    void aDeletedSlugAheadOfTheCounterStaysSkippedAfterARestart() throws Exception {
        done(store.create(LinkDraft.of("https://example.com/c").withCustomSlug("c")));
        done(store.delete("c"));
        restart();
        assertThat(keyOf(store.add("https://example.com/1"))).isEqualTo("a");
        assertThat(keyOf(store.add("https://example.com/2"))).isEqualTo("b");
        assertThat(keyOf(store.add("https://example.com/3"))).isEqualTo("d");
    }

    @Test
    void visitCountsSurviveARestartAndACompaction() throws Exception {
        Link link = done(store.create(LinkDraft.of("https://example.com/limited").withCustomSlug("lim").withMaxVisits(5)));
        Link other = done(store.create(LinkDraft.of("https://example.com/other").withMaxVisits(9)));
        Link gone = done(store.create(LinkDraft.of("https://example.com/gone").withCustomSlug("gone").withMaxVisits(9)));
        for (int i = 0; i < 3; i++) {
            assertThat(done(store.reserveVisit(link))).isTrue();
        }
        assertThat(done(store.reserveVisit(other))).isTrue();
        assertThat(done(store.reserveVisit(gone))).isTrue();
        done(store.delete("gone"));
        restart();
        assertThat(store.visitsCounted(link)).as("after a restart").isEqualTo(3);
        assertThat(store.visitsCounted(other)).isEqualTo(1);

        ((LogLinkStore) store).compact().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done(store.reserveVisit(link))).isTrue();
        restart();
        assertThat(store.visitsCounted(link)).as("after a compaction, then a visit, then a restart").isEqualTo(4);
        assertThat(store.visitsCounted(other)).isEqualTo(1);
        assertThat(done(store.reserveVisit(link))).isTrue();
        assertThat(done(store.reserveVisit(link))).as("the sixth visit of maxVisits 5").isFalse();
        Link reborn = done(store.create(LinkDraft.of("https://example.com/reborn").withCustomSlug("gone").withMaxVisits(9)));
        assertThat(store.visitsCounted(reborn)).isZero();
    }

    @Test
    void aCountedVisitIsForcedBeforeItIsAnsweredEvenInAsyncMode() throws Exception {
        store.close(Duration.ofSeconds(10));
        HookedChannel[] channel = new HookedChannel[1];
        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(clock).withDurable(false)
                .withWriteChannel(real -> channel[0] = new HookedChannel(real)));
        Link link = done(store.create(LinkDraft.of("https://example.com/async").withMaxVisits(3)));
        int forcesBefore = channel[0].forces.get();
        assertThat(done(store.reserveVisit(link))).isTrue();
        assertThat(channel[0].forces.get() - forcesBefore).as("forces before the visit was answered").isEqualTo(1);
    }

    @Test
    void aBatchIsOneWriteAndOneForce() throws Exception {
        store.close(Duration.ofSeconds(10));
        HookedChannel[] channel = new HookedChannel[1];
        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(clock)
                .withWriteChannel(real -> channel[0] = new HookedChannel(real)));
        List<gotourl.store.LinkChange> thousand = new java.util.ArrayList<>();
        for (int i = 0; i < LinkStore.MAX_BATCH; i++) {
            thousand.add(new gotourl.store.LinkChange.Create(LinkDraft.of("https://example.com/" + i).withTags(List.of("batch"))));
        }
        int forcesBefore = channel[0].forces.get();
        done(store.apply(thousand));
        assertThat(channel[0].forces.get() - forcesBefore).as("forces for a batch of a thousand").isEqualTo(1);
        restart();
        assertThat(store.size()).isEqualTo(LinkStore.MAX_BATCH);
    }

    @Test
    void theListIsNewestFirstAfterACompactionAndRestartThatReplayedSlugsAfterKeys() throws Exception {
        Clock ticking = new gotourl.TestClock(NOW);
        store.close(Duration.ofSeconds(10));
        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(ticking));
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ((gotourl.TestClock) ticking).advance(Duration.ofSeconds(1));
            created.add(i % 2 == 0 ? keyOf(store.add("https://example.com/" + i))
                    : done(store.create(LinkDraft.of("https://example.com/" + i).withCustomSlug("slug-" + i))).shortCode());
        }
        done(((LogLinkStore) store).compact());
        store.close(Duration.ofSeconds(10));
        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults().withClock(ticking));
        List<String> listed = store.list(gotourl.store.LinksQuery.all(NOW)).links().stream().map(Link::shortCode).toList();
        assertThat(listed).isEqualTo(created.reversed());
    }
}
