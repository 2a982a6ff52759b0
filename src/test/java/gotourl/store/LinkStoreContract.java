package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.SeedKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LinkStore} promises, run against each implementation by a subclass that
 * says how to open one. The seed's add and lookup come first, then each operation of the link
 * model: create (custom slugs, random codes, find-if-exists), edit, delete, batches, and reads.
 * {@link LinkStoreStressContract} checks the same under many threads.
 */
public abstract class LinkStoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final Instant NOW = Instant.parse("2026-11-30T12:34:56.789Z");
    protected static final Instant NOW_SECONDS = Instant.parse("2026-11-30T12:34:56Z");

    protected LinkStore store;

    /** A new, empty store whose links are created at {@code clock}'s time. */
    protected abstract LinkStore openEmptyStore(Clock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmptyStore(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void closeStore() {
        store.close(WAIT);
    }

    protected static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    protected static String keyOf(CompletableFuture<String> add) throws Exception {
        return done(add);
    }

    /** The exception a refused change completed with. */
    protected static Throwable refusal(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a refusal, got " + future.join());
    }

    private Link create(LinkDraft draft) throws Exception {
        return done(store.create(draft));
    }

    // ---- the seed's add ----

    @Test
    void addsGetTheSeedsKeysInCounterOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            keys.add(keyOf(store.add("https://example.com/" + i)));
        }
        assertThat(keys).startsWith("a", "b", "c");
        assertThat(keys.get(25)).isEqualTo("z");
        assertThat(keys.get(61)).isEqualTo("9");
        assertThat(keys.get(62)).isEqualTo("ba");
        for (int i = 0; i < keys.size(); i++) {
            assertThat(keys.get(i)).isEqualTo(SeedKeys.genKey(i));
        }
    }

    @Test
    void looksUpWhatWasAddedWithShlinksDefaults() throws Exception {
        String first = keyOf(store.add("https://example.com/first"));
        String second = keyOf(store.add("http://example.org:8080/second?q=1#top"));
        assertThat(store.lookup(first)).isEqualTo(Link.plain(first, "https://example.com/first", NOW_SECONDS));
        assertThat(store.longUrlOf(second)).isEqualTo("http://example.org:8080/second?q=1#top");
        Link link = store.lookup(second);
        assertThat(link.forwardQuery()).isTrue();
        assertThat(link.crawlable()).isFalse();
        assertThat(link.tags()).isEmpty();
        assertThat(link.title()).isNull();
        assertThat(link.author()).isNull();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void theSameUrlAddedTwiceGetsTwoKeys() throws Exception {
        String one = keyOf(store.add("https://example.com/same"));
        String two = keyOf(store.add("https://example.com/same"));
        assertThat(one).isNotEqualTo(two);
        assertThat(store.longUrlOf(one)).isEqualTo(store.longUrlOf(two)).isEqualTo("https://example.com/same");
    }

    @Test
    void unknownAndMalformedKeysLookUpNothing() throws Exception {
        keyOf(store.add("https://example.com/only"));
        for (String key : new String[] {"b", "ba", "9999999999", "", "aa", "a-b", "favicon.ico", "ünï", "99999999999", "a/b"}) {
            assertThat(store.lookup(key)).as("lookup of \"%s\"", key).isNull();
        }
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertThat(store.size()).isZero();
        assertThat(store.lookup("a")).isNull();
        assertThat(store.failure()).isNull();
        assertThat(store.linksTo("https://example.com/")).isEmpty();
        assertThat(store.crawlableShortCodes()).isEmpty();
    }

    @Test
    void aUrlNoStoreCanHoldIsRefusedAndNothingIsStored() throws Exception {
        assertThat(refusal(store.add("https://example.com/ü"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
        assertThat(store.size()).isZero();
        assertThat(keyOf(store.add("https://example.com/fine"))).isEqualTo("a");
    }

    @Test
    void concurrentAddsGetDistinctConsecutiveKeysAndKeepTheirOwnUrls() throws Exception {
        int threads = 8;
        int addsPerThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Map<String, String>> byThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Map<String, String> mine = new HashMap<>();
            byThread.add(mine);
            int thread = t;
            workers.add(Thread.ofPlatform().name("adder-" + t).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < addsPerThread; i++) {
                        String url = "https://example.com/" + thread + "/" + i;
                        mine.put(keyOf(store.add(url)), url);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(WAIT.toMillis());
        }
        assertThat(failure.get()).isNull();

        Map<String, String> all = new HashMap<>();
        for (Map<String, String> mine : byThread) {
            assertThat(mine).hasSize(addsPerThread);
            for (Map.Entry<String, String> link : mine.entrySet()) {
                assertThat(all.put(link.getKey(), link.getValue())).as("key %s handed out twice", link.getKey()).isNull();
            }
        }
        // No key twice and none skipped: exactly the first threads * addsPerThread counters.
        assertThat(all.keySet()).hasSize(threads * addsPerThread);
        for (long counter = 0; counter < threads * addsPerThread; counter++) {
            assertThat(all).containsKey(Keys.encode(counter));
        }
        for (Map.Entry<String, String> link : all.entrySet()) {
            assertThat(store.longUrlOf(link.getKey())).isEqualTo(link.getValue());
        }
        assertThat(store.size()).isEqualTo(threads * addsPerThread);
    }

    // ---- create ----

    @Test
    void aCreatedLinkKeepsEveryFieldAndIsCreatedToTheSecond() throws Exception {
        LinkDraft draft = LinkDraft.of("https://example.com/all").withTitle("Every field").withTags(List.of("b", "A"))
                .withValidSince(Instant.parse("2026-01-01T00:00:00Z")).withValidUntil(Instant.parse("2027-01-01T00:00:00.5Z"))
                .withMaxVisits(10).withCrawlable(true).withForwardQuery(false).withAuthor("key-7");
        Link link = create(draft);
        assertThat(link.shortCode()).isEqualTo("a");
        assertThat(link.dateCreated()).isEqualTo(NOW_SECONDS);
        assertThat(link).isEqualTo(draft.toLink("a", NOW_SECONDS));
        assertThat(store.lookup("a")).isEqualTo(link);
        assertThat(link.tags()).containsExactly("a", "b");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aCustomSlugIsTheCodeAndIsCaseSensitive() throws Exception {
        Link docs = create(LinkDraft.of("https://example.com/docs").withCustomSlug("Docs"));
        assertThat(docs.shortCode()).isEqualTo("Docs");
        assertThat(docs.customSlug()).isTrue();
        assertThat(store.lookup("Docs")).isEqualTo(docs);
        assertThat(store.lookup("docs")).isNull();
        Link lower = create(LinkDraft.of("https://example.com/lower").withCustomSlug("docs"));
        assertThat(store.longUrlOf("docs")).isEqualTo("https://example.com/lower");
        assertThat(lower.shortCode()).isEqualTo("docs");
    }

    @Test
    void aSlugInUseIsRefusedNamingItAndNothingChanges() throws Exception {
        create(LinkDraft.of("https://example.com/one").withCustomSlug("promo"));
        Throwable refused = refusal(store.create(LinkDraft.of("https://example.com/two").withCustomSlug("promo")));
        assertThat(refused).isInstanceOf(LinkConflictException.class).hasMessageContaining("'promo' is in use");
        assertThat(((LinkConflictException) refused).shortCode()).isEqualTo("promo");
        assertThat(store.longUrlOf("promo")).isEqualTo("https://example.com/one");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void theCounterSkipsKeysThatSlugsHoldAsTheSeedsPutLoopDoes() throws Exception {
        create(LinkDraft.of("https://example.com/slug-c").withCustomSlug("c"));
        create(LinkDraft.of("https://example.com/slug-e").withCustomSlug("e"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(keyOf(store.add("https://example.com/" + i)));
        }
        assertThat(keys).containsExactly("a", "b", "d", "f");
        assertThat(store.longUrlOf("c")).isEqualTo("https://example.com/slug-c");
        assertThat(store.longUrlOf("e")).isEqualTo("https://example.com/slug-e");
    }

    @Test
    void aKeyTheCounterHandedOutCannotBecomeASlugEvenAfterItsLinkIsDeleted() throws Exception {
        keyOf(store.add("https://example.com/a"));
        keyOf(store.add("https://example.com/b"));
        assertThat(refusal(store.create(LinkDraft.of("https://example.com/x").withCustomSlug("a"))))
                .isInstanceOf(LinkConflictException.class).hasMessageContaining("in use");
        done(store.delete("b"));
        assertThat(refusal(store.create(LinkDraft.of("https://example.com/x").withCustomSlug("b"))))
                .isInstanceOf(LinkConflictException.class).hasMessageContaining("never given again");
        assertThat(keyOf(store.add("https://example.com/c"))).as("a deleted key is never handed out again").isEqualTo("c");
    }

    @Test
    void aDeletedCustomSlugCanBeClaimedAgainButTheCounterNeverHandsItOut() throws Exception {
        create(LinkDraft.of("https://example.com/old").withCustomSlug("b"));
        done(store.delete("b"));
        assertThat(store.lookup("b")).isNull();
        assertThat(keyOf(store.add("https://example.com/1"))).isEqualTo("a");
        assertThat(keyOf(store.add("https://example.com/2"))).as("the freed slug is not handed out by the counter").isEqualTo("c");
        Link again = create(LinkDraft.of("https://example.com/new").withCustomSlug("b"));
        assertThat(store.lookup("b")).isEqualTo(again);
        done(store.delete("b"));
        Link third = create(LinkDraft.of("https://example.com/third").withCustomSlug("b"));
        assertThat(third.longUrl()).isEqualTo("https://example.com/third");
    }

    @Test
    void aRandomCodeHasTheAskedLengthAndIsNeverGivenAgain() throws Exception {
        Link random = create(LinkDraft.of("https://example.com/random").withShortCodeLength(7));
        assertThat(random.shortCode()).hasSize(7).matches("[A-Za-z0-9]{7}");
        assertThat(random.customSlug()).isFalse();
        assertThat(random.origin()).isEqualTo(Link.CodeOrigin.RANDOM);
        assertThat(store.lookup(random.shortCode())).isEqualTo(random);
        assertThat(keyOf(store.add("https://example.com/next"))).as("the counter is untouched").isEqualTo("a");
        done(store.delete(random.shortCode()));
        assertThat(refusal(store.create(LinkDraft.of("https://example.com/x").withCustomSlug(random.shortCode()))))
                .isInstanceOf(LinkConflictException.class).hasMessageContaining("never given again");
    }

    @Test
    void findIfExistsReturnsTheOldestMatchingLinkAndWritesNothing() throws Exception {
        String first = keyOf(store.add("https://example.com/same"));
        keyOf(store.add("https://example.com/same"));
        Link tagged = create(LinkDraft.of("https://example.com/same").withTags(List.of("x")));
        long size = store.size();

        Link found = create(LinkDraft.of("https://example.com/same").withFindIfExists(true));
        assertThat(found.shortCode()).isEqualTo(first);
        Link foundTagged = create(LinkDraft.of("https://example.com/same").withTags(List.of("X")).withFindIfExists(true));
        assertThat(foundTagged).isEqualTo(tagged);
        assertThat(store.size()).isEqualTo(size);

        Link other = create(LinkDraft.of("https://example.com/same").withTags(List.of("y")).withFindIfExists(true));
        assertThat(other.shortCode()).as("no link has that tag: a new one").isNotIn(first, tagged.shortCode());
        Link elsewhere = create(LinkDraft.of("https://example.com/elsewhere").withFindIfExists(true));
        assertThat(store.size()).isEqualTo(size + 2);
        assertThat(store.lookup(elsewhere.shortCode())).isEqualTo(elsewhere);
    }

    /**
     * A link an API key creates with Shlink's defaults carries only its author beyond a plain
     * link's fields (stores keep it as compactly as a plain one): the author is kept through
     * edits, found by its URL, matched by find-if-exists only for the same author, and listed in
     * that author's view.
     */
    @Test
    void aLinkCreatedByAnApiKeyKeepsItsAuthorAndIsFoundByItsUrl() throws Exception {
        String url = "https://example.com/by-key";
        String plain = keyOf(store.add(url));
        Link alice = create(LinkDraft.of(url).withAuthor("k-alice"));
        Link bob = create(LinkDraft.of(url).withAuthor("k-bob"));
        assertThat(store.lookup(alice.shortCode())).isEqualTo(alice);
        assertThat(store.lookup(alice.shortCode()).author()).isEqualTo("k-alice");
        assertThat(store.lookup(bob.shortCode()).author()).isEqualTo("k-bob");
        assertThat(store.lookup(plain).author()).isNull();
        assertThat(store.linksTo(url)).extracting(Link::author).containsExactly(null, "k-alice", "k-bob");

        long size = store.size();
        assertThat(create(LinkDraft.of(url).withAuthor("k-bob").withFindIfExists(true))).isEqualTo(bob);
        assertThat(create(LinkDraft.of(url).withFindIfExists(true)).shortCode()).as("no author asked: the oldest").isEqualTo(plain);
        assertThat(store.size()).isEqualTo(size);

        Link titled = done(store.edit(alice.shortCode(), LinkEdit.none().title("Titled")));
        assertThat(titled.author()).isEqualTo("k-alice");
        Link moved = done(store.edit(alice.shortCode(), LinkEdit.none().title(null).longUrl("https://example.com/moved")));
        assertThat(store.lookup(alice.shortCode())).isEqualTo(moved);
        assertThat(moved.author()).isEqualTo("k-alice");
        assertThat(store.linksTo("https://example.com/moved")).containsExactly(moved);
        assertThat(store.linksTo(url)).extracting(Link::shortCode).containsExactly(plain, bob.shortCode());
        assertThat(store.list(query().withAuthor("k-alice")).links()).containsExactly(moved);
        Map<String, String> authors = new HashMap<>();
        store.forEach(link -> authors.put(link.shortCode(), String.valueOf(link.author())));
        assertThat(authors).containsOnly(Map.entry(plain, "null"), Map.entry(alice.shortCode(), "k-alice"),
                Map.entry(bob.shortCode(), "k-bob"));
        done(store.delete(bob.shortCode()));
        assertThat(store.linksTo(url)).extracting(Link::shortCode).containsExactly(plain);
        assertThat(store.list(query().withAuthor("k-bob")).total()).isZero();
    }

    @Test
    void linksToFindsEveryLinkToAUrlOldestFirstAndFollowsEditsAndDeletes() throws Exception {
        String url = "https://example.com/target";
        String a = keyOf(store.add(url));
        Link slug = create(LinkDraft.of(url).withCustomSlug("target"));
        Link rich = create(LinkDraft.of(url).withTitle("rich"));
        keyOf(store.add("https://example.com/other"));
        assertThat(store.linksTo(url)).extracting(Link::shortCode).containsExactly(a, rich.shortCode(), "target");
        done(store.edit("target", LinkEdit.none().longUrl("https://example.com/moved")));
        done(store.delete(a));
        assertThat(store.linksTo(url)).containsExactly(rich);
        assertThat(store.linksTo("https://example.com/moved")).extracting(Link::shortCode).containsExactly("target");
        assertThat(slug.longUrl()).isEqualTo(url);
    }

    // ---- edit ----

    @Test
    void anEditChangesTheNamedFieldsAndIsSeenByTheNextLookup() throws Exception {
        String key = keyOf(store.add("https://example.com/before"));
        Link edited = done(store.edit(key, LinkEdit.none().longUrl("https://example.com/after").title("After")
                .tags(List.of("news"))));
        assertThat(edited.shortCode()).isEqualTo(key);
        assertThat(edited.dateCreated()).isEqualTo(NOW_SECONDS);
        assertThat(edited.title()).isEqualTo("After");
        assertThat(store.lookup(key)).isEqualTo(edited);

        Link plainAgain = done(store.edit(key, LinkEdit.none().title(null).tags(List.of())));
        assertThat(plainAgain.isPlain()).isTrue();
        assertThat(store.lookup(key)).isEqualTo(Link.plain(key, "https://example.com/after", NOW_SECONDS));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void anEditOfAnUnknownCodeIsRefused() {
        assertThat(refusal(store.edit("nope", LinkEdit.none().title("x")))).isInstanceOf(LinkNotFoundException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void anEditThatWouldMakeTheLinkInvalidIsRefusedAndChangesNothing() throws Exception {
        Link link = create(LinkDraft.of("https://example.com/w").withValidSince(NOW_SECONDS));
        assertThat(refusal(store.edit(link.shortCode(), LinkEdit.none().validUntil(NOW_SECONDS.minusSeconds(1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validUntil");
        assertThat(store.lookup(link.shortCode())).isEqualTo(link);
    }

    // ---- redirect rules ----

    @Test
    void redirectRulesMakeALinkRichAnEditKeepsThemAndRemovingThemMakesItPlainAgain() throws Exception {
        String key = keyOf(store.add("https://example.com/app"));
        Link set = done(store.setRedirectRules(key, RedirectRulesFixture.FOUR));
        assertThat(set).isEqualTo(Link.plain(key, "https://example.com/app", NOW_SECONDS).withRedirectRules(RedirectRulesFixture.FOUR));
        assertThat(set.isPlain()).isFalse();
        assertThat(store.lookup(key)).isEqualTo(set);
        assertThat(store.linksTo("https://example.com/app")).as("found by its URL, rules and all").containsExactly(set);
        if (store.redirectIndex() != null) {
            assertThat(store.redirectIndex().plainEntry(key)).as("no plain entry: the redirect must read the rules").isZero();
        }
        Link edited = done(store.edit(key, LinkEdit.none().longUrl("https://example.com/app-2").tags(List.of("apps"))));
        assertThat(edited.redirectRules()).isEqualTo(RedirectRulesFixture.FOUR);
        done(store.edit(key, LinkEdit.none().tags(List.of())));
        Link removed = done(store.setRedirectRules(key, gotourl.link.RedirectRules.NONE));
        assertThat(removed).isEqualTo(Link.plain(key, "https://example.com/app-2", NOW_SECONDS));
        if (store.redirectIndex() != null) {
            assertThat(store.redirectIndex().plainEntry(key)).isNotZero();
        }
    }

    @Test
    void redirectRulesOfAnUnknownCodeAreRefusedAndADeleteDropsThem() throws Exception {
        assertThat(refusal(store.setRedirectRules("nope", RedirectRulesFixture.ANDROID))).isInstanceOf(LinkNotFoundException.class)
                .hasMessageContaining("'nope'");
        Link link = create(LinkDraft.of("https://example.com/slug").withCustomSlug("rules-slug"));
        done(store.setRedirectRules(link.shortCode(), RedirectRulesFixture.ANDROID));
        done(store.delete(link.shortCode()));
        assertThat(create(LinkDraft.of("https://example.com/again").withCustomSlug("rules-slug")).redirectRules().isEmpty())
                .as("a new life of the slug").isTrue();
    }

    // ---- delete ----

    @Test
    void aDeleteAnswersTheLinkAsItWasAndTheNextLookupFindsNothing() throws Exception {
        Link link = create(LinkDraft.of("https://example.com/gone").withTitle("Gone"));
        keyOf(store.add("https://example.com/stays"));
        assertThat(done(store.delete(link.shortCode()))).isEqualTo(link);
        assertThat(store.lookup(link.shortCode())).isNull();
        assertThat(store.size()).isEqualTo(1);
        assertThat(refusal(store.delete(link.shortCode()))).isInstanceOf(LinkNotFoundException.class);
    }

    // ---- batches ----

    @Test
    void aBatchAppliesItsChangesInOrderAndAnswersOneLinkEach() throws Exception {
        String existing = keyOf(store.add("https://example.com/existing"));
        List<Link> results = done(store.apply(List.of(
                new LinkChange.Create(LinkDraft.of("https://example.com/1")),
                new LinkChange.Create(LinkDraft.of("https://example.com/2").withCustomSlug("two")),
                new LinkChange.Edit("two", LinkEdit.none().title("Two")),
                new LinkChange.Edit(existing, LinkEdit.none().tags(List.of("old"))),
                new LinkChange.Delete(existing))));
        assertThat(results).hasSize(5);
        assertThat(results.get(0).shortCode()).isEqualTo("b");
        assertThat(results.get(2).title()).isEqualTo("Two");
        assertThat(results.get(3).tags()).containsExactly("old");
        assertThat(results.get(4).tags()).as("the deleted link as the batch left it").containsExactly("old");
        assertThat(store.lookup("two").title()).isEqualTo("Two");
        assertThat(store.lookup(existing)).isNull();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void aBatchWithOneRefusedChangeKeepsNoneAndSaysWhichWasRefused() throws Exception {
        create(LinkDraft.of("https://example.com/taken").withCustomSlug("taken"));
        Throwable refused = refusal(store.apply(List.of(
                new LinkChange.Create(LinkDraft.of("https://example.com/1").withCustomSlug("fresh")),
                new LinkChange.Edit("taken", LinkEdit.none().title("changed")),
                new LinkChange.Create(LinkDraft.of("https://example.com/2").withCustomSlug("taken")))));
        assertThat(refused).isInstanceOf(LinkConflictException.class)
                .hasMessageContaining("change 3 of 3 (create of 'taken')").hasMessageContaining("in use");
        assertThat(store.lookup("fresh")).isNull();
        assertThat(store.lookup("taken").title()).isNull();
        assertThat(store.size()).isEqualTo(1);
        assertThat(done(store.create(LinkDraft.of("https://example.com/1").withCustomSlug("fresh"))).shortCode()).isEqualTo("fresh");
    }

    @Test
    void aBatchHoldsOneToAThousandChanges() throws Exception {
        assertThat(refusal(store.apply(List.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1000");
        List<LinkChange> tooMany = new ArrayList<>();
        for (int i = 0; i <= LinkStore.MAX_BATCH; i++) {
            tooMany.add(new LinkChange.Create(LinkDraft.of("https://example.com/" + i)));
        }
        assertThat(refusal(store.apply(tooMany))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001");
        List<Link> thousand = done(store.apply(tooMany.subList(0, LinkStore.MAX_BATCH)));
        assertThat(thousand).hasSize(LinkStore.MAX_BATCH);
        assertThat(store.size()).isEqualTo(LinkStore.MAX_BATCH);
    }

    @Test
    void renamingATagIsABatchOfEdits() throws Exception {
        for (int i = 0; i < 5; i++) {
            create(LinkDraft.of("https://example.com/" + i).withTags(List.of("old-name", "keep")));
        }
        List<LinkChange> rename = new ArrayList<>();
        store.forEach(link -> {
            if (link.tags().contains("old-name")) {
                List<String> tags = new ArrayList<>(link.tags());
                tags.set(tags.indexOf("old-name"), "new-name");
                rename.add(new LinkChange.Edit(link.shortCode(), LinkEdit.none().tags(tags)));
            }
        });
        done(store.apply(rename));
        List<Link> all = new ArrayList<>();
        store.forEach(all::add);
        assertThat(all).hasSize(5).allSatisfy(link -> assertThat(link.tags()).containsExactly("keep", "new-name"));
    }

    // ---- reads ----

    @Test
    void forEachVisitsEveryLinkOnceWithItsFields() throws Exception {
        keyOf(store.add("https://example.com/plain"));
        Link rich = create(LinkDraft.of("https://example.com/rich").withTitle("Rich"));
        Link slug = create(LinkDraft.of("https://example.com/slug").withCustomSlug("slug"));
        Link gone = create(LinkDraft.of("https://example.com/gone").withCustomSlug("gone"));
        done(store.delete(gone.shortCode()));
        Map<String, Link> seen = new HashMap<>();
        store.forEach(link -> assertThat(seen.put(link.shortCode(), link)).as("visited twice").isNull());
        assertThat(seen).containsOnly(Map.entry("a", Link.plain("a", "https://example.com/plain", NOW_SECONDS)),
                Map.entry(rich.shortCode(), rich), Map.entry("slug", slug));
    }

    @Test
    void crawlableShortCodesAreSortedAndFollowEditsAndDeletes() throws Exception {
        create(LinkDraft.of("https://example.com/z").withCustomSlug("zeta").withCrawlable(true));
        create(LinkDraft.of("https://example.com/a").withCustomSlug("alpha").withCrawlable(true));
        Link hidden = create(LinkDraft.of("https://example.com/h"));
        assertThat(store.crawlableShortCodes()).containsExactly("alpha", "zeta");
        done(store.edit(hidden.shortCode(), LinkEdit.none().crawlable(true)));
        done(store.edit("zeta", LinkEdit.none().crawlable(false)));
        done(store.delete("alpha"));
        assertThat(store.crawlableShortCodes()).containsExactly(hidden.shortCode());
    }

    // ---- maxVisits ----

    // ---- protected links ----

    /** Hashes of the shape a store keeps (stores never check them: gotourl.protect does). */
    protected static final String HASH_1 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaDFoYXNoMWhhc2gxaGFzaDFoYXNoMWhhc2gxaGE";
    protected static final String HASH_2 = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYQ$aGFzaDJoYXNoMmhhc2gyaGFzaDJoYXNoMmhhc2gyaGE";

    @Test
    void aPasswordHashIsKeptChangedByAnEditRemovedByNullAndForgottenByADelete() throws Exception {
        Link keyed = done(store.create(LinkDraft.of("https://example.com/secret").withPasswordHash(HASH_1)));
        Link slug = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("locked").withPasswordHash(HASH_1)));
        assertThat(store.lookup(keyed.shortCode()).passwordHash()).isEqualTo(HASH_1);
        assertThat(store.lookup(keyed.shortCode()).passwordProtected()).isTrue();
        assertThat(store.lookup(keyed.shortCode()).isPlain()).as("a protected link is never kept as a plain one").isFalse();

        done(store.edit(keyed.shortCode(), LinkEdit.none().title("still locked")));
        assertThat(store.lookup(keyed.shortCode()).passwordHash()).as("an edit of other fields keeps the password").isEqualTo(HASH_1);
        done(store.edit(keyed.shortCode(), LinkEdit.none().passwordHash(HASH_2)));
        assertThat(store.lookup(keyed.shortCode()).passwordHash()).isEqualTo(HASH_2);
        done(store.edit(keyed.shortCode(), LinkEdit.none().passwordHash(null)));
        assertThat(store.lookup(keyed.shortCode()).passwordProtected()).isFalse();
        assertThat(store.lookup(keyed.shortCode()).title()).isEqualTo("still locked");

        done(store.delete("locked"));
        Link again = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("locked")));
        assertThat(again.passwordProtected()).as("a slug claimed again starts without the old password").isFalse();
        assertThat(store.lookup("locked").passwordHash()).isNull();
        List<Link> all = new ArrayList<>();
        store.forEach(all::add);
        assertThat(all).extracting(Link::passwordHash).containsOnlyNulls();
        assertThat(slug.passwordHash()).isEqualTo(HASH_1);
    }

    @Test
    void findIfExistsNeverAnswersAProtectedLinkForADraftWithoutAPassword() throws Exception {
        Link locked = done(store.create(LinkDraft.of("https://example.com/found").withPasswordHash(HASH_1)));
        Link found = done(store.create(LinkDraft.of("https://example.com/found").withFindIfExists(true)));
        assertThat(found.shortCode()).isNotEqualTo(locked.shortCode());
        assertThat(found.passwordProtected()).isFalse();
        Link withPassword = done(store.create(LinkDraft.of("https://example.com/found").withFindIfExists(true).withPasswordHash(HASH_2)));
        assertThat(withPassword.shortCode()).isNotIn(locked.shortCode(), found.shortCode());
        assertThat(withPassword.passwordHash()).isEqualTo(HASH_2);
    }

    @Test
    void aLimitedLinkGetsExactlyMaxVisitsUnder64ConcurrentVisitorsThenIsExhausted() throws Exception {
        Link link = create(LinkDraft.of("https://example.com/limited").withCustomSlug("limited").withMaxVisits(50));
        int threads = 64;
        int attemptsEach = 4;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<CompletableFuture<Boolean>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> visitors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            visitors.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        answers.add(store.reserveVisit(link));
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        go.countDown();
        for (Thread visitor : visitors) {
            visitor.join();
        }
        assertThat(failed.get()).isNull();
        long granted = 0;
        for (CompletableFuture<Boolean> answer : answers) {
            granted += done(answer) ? 1 : 0;
        }
        assertThat(answers).hasSize(threads * attemptsEach);
        assertThat(granted).as("visits granted of 256 attempts at maxVisits 50").isEqualTo(50);
        assertThat(store.visitsCounted(link)).isEqualTo(50);
        assertThat(done(store.reserveVisit(link))).as("an exhausted link").isFalse();
        assertThat(store.visitsCounted(link)).isEqualTo(50);
    }

    @Test
    void anEditKeepsTheCountAndARaisedLimitAllowsMore() throws Exception {
        Link link = create(LinkDraft.of("https://example.com/raise").withMaxVisits(2));
        assertThat(done(store.reserveVisit(link))).isTrue();
        assertThat(done(store.reserveVisit(link))).isTrue();
        assertThat(done(store.reserveVisit(link))).isFalse();
        Link raised = done(store.edit(link.shortCode(), LinkEdit.none().maxVisits(3)));
        assertThat(store.visitsCounted(raised)).isEqualTo(2);
        assertThat(done(store.reserveVisit(raised))).isTrue();
        assertThat(done(store.reserveVisit(raised))).isFalse();
    }

    @Test
    void aDeletedSlugClaimedAgainStartsCountingFromZero() throws Exception {
        Link first = create(LinkDraft.of("https://example.com/one").withCustomSlug("again").withMaxVisits(1));
        assertThat(done(store.reserveVisit(first))).isTrue();
        assertThat(done(store.reserveVisit(first))).isFalse();
        done(store.delete("again"));
        Link second = create(LinkDraft.of("https://example.com/two").withCustomSlug("again").withMaxVisits(1));
        assertThat(store.visitsCounted(second)).isZero();
        assertThat(done(store.reserveVisit(second))).isTrue();
    }

    @Test
    void onlyLimitedLinksAreCounted() throws Exception {
        Link unlimited = create(LinkDraft.of("https://example.com/free").withCustomSlug("free"));
        assertThatThrownBy(() -> store.reserveVisit(unlimited)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxVisits");
        assertThat(store.visitsCounted(unlimited)).isZero();
    }

    @Test
    void aClosedStoreRefusesAVisitAndCountsNothing() throws Exception {
        Link link = create(LinkDraft.of("https://example.com/closing").withMaxVisits(5));
        assertThat(done(store.reserveVisit(link))).isTrue();
        store.close(WAIT);
        assertThat(refusal(store.reserveVisit(link))).isInstanceOf(StoreFailedException.class);
        assertThat(store.visitsCounted(link)).isEqualTo(1);
    }

    // ---- close ----

    @Test
    void closeFinishesTheAddsAlreadyTaken() throws Exception {
        List<CompletableFuture<String>> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(store.add("https://example.com/" + i));
        }
        assertThat(store.close(WAIT)).as("adds left unfinished").isZero();
        for (int i = 0; i < taken.size(); i++) {
            assertThat(taken.get(i)).isCompletedWithValue(Keys.encode(i));
        }
    }

    @Test
    void afterCloseEveryChangeIsRefusedAndFailureSaysWhy() throws Exception {
        String key = keyOf(store.add("https://example.com/before"));
        store.close(WAIT);

        for (CompletableFuture<?> late : List.of(store.add("https://example.com/after"),
                store.create(LinkDraft.of("https://example.com/after").withCustomSlug("late")),
                store.edit(key, LinkEdit.none().title("late")), store.delete(key))) {
            assertThatThrownBy(() -> late.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreFailedException.class);
        }
        assertThat(store.failure()).isNotBlank();
        assertThat(store.lookup("b")).isNull();
        assertThat(store.longUrlOf(key)).isEqualTo("https://example.com/before");
    }

    @Test
    void closingTwiceIsHarmless() {
        assertThat(store.close(WAIT)).isZero();
        assertThat(store.close(WAIT)).isZero();
    }

    /** For subclasses: the cause of a join's failure. */
    protected static Throwable causeOf(Runnable join) {
        try {
            join.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    // ---- listing (LinkStore#list, #tagCounts), as Shlink's GET /short-urls and /tags/stats ----

    /** Links created one second apart from {@code start}, so creation order is unambiguous. */
    protected List<Link> createSeconds(List<LinkDraft> drafts) throws Exception {
        List<Link> links = new ArrayList<>();
        for (LinkDraft draft : drafts) {
            links.add(done(store.create(draft)));
        }
        return links;
    }

    private static LinksQuery query() {
        return LinksQuery.all(NOW).withPage(0, 10);
    }

    private static List<String> codes(LinksPage page) {
        return page.links().stream().map(Link::shortCode).toList();
    }

    @Test
    void aListPageIsTheNewestFirstWithTheTotal() throws Exception {
        for (int i = 0; i < 25; i++) {
            done(store.add("https://example.com/" + i));
        }
        LinksPage first = store.list(query());
        assertThat(first.total()).isEqualTo(25);
        // One second for all: creation order within it is the order of the creates.
        assertThat(codes(first)).containsExactly("y", "x", "w", "v", "u", "t", "s", "r", "q", "p");
        assertThat(codes(store.list(query().withPage(20, 10)))).containsExactly("e", "d", "c", "b", "a");
        assertThat(codes(store.list(query().withPage(30, 10)))).isEmpty();
        assertThat(store.list(query().withPage(0, -1)).links()).hasSize(25);
        assertThat(codes(store.list(query().withOrder(LinksQuery.Order.DATE_CREATED, false).withPage(0, 3))))
                .containsExactly("a", "b", "c");
    }

    @Test
    void deletedLinksLeaveTheListAndARecreatedSlugIsListedOnce() throws Exception {
        done(store.create(LinkDraft.of("https://example.com/one").withCustomSlug("one")));
        String two = keyOf(store.add("https://example.com/two"));
        done(store.create(LinkDraft.of("https://example.com/three").withCustomSlug("three")));
        done(store.delete("one"));
        done(store.delete(two));
        done(store.create(LinkDraft.of("https://example.com/one-again").withCustomSlug("one")));
        LinksPage page = store.list(query());
        assertThat(codes(page)).containsExactly("one", "three");
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.links().getFirst().longUrl()).isEqualTo("https://example.com/one-again");
    }

    @Test
    void manyDeletesKeepTheOrderRight() throws Exception {
        List<String> kept = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            List<LinkChange> creates = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                creates.add(new LinkChange.Create(LinkDraft.of("https://example.com/" + batch + "/" + i)));
            }
            List<Link> created = done(store.apply(creates));
            List<LinkChange> deletes = new ArrayList<>();
            for (int i = 0; i < created.size(); i++) {
                if (i % 10 == 0) {
                    kept.add(created.get(i).shortCode());
                } else {
                    deletes.add(new LinkChange.Delete(created.get(i).shortCode()));
                }
            }
            done(store.apply(deletes));
        }
        LinksPage all = store.list(query().withOrder(LinksQuery.Order.DATE_CREATED, false).withPage(0, -1));
        assertThat(codes(all)).isEqualTo(kept);
        assertThat(all.total()).isEqualTo(500);
    }

    @Test
    void aSearchTermMatchesTheUrlCodeTitleAndTagsInAnyCase() throws Exception {
        done(store.create(LinkDraft.of("https://Example.com/Alpha").withCustomSlug("first")));
        done(store.create(LinkDraft.of("https://example.com/b").withCustomSlug("alphabet")));
        done(store.create(LinkDraft.of("https://example.com/c").withTitle("The ALPHA release")));
        done(store.create(LinkDraft.of("https://example.com/d").withTags(List.of("alpha-team"))));
        done(store.create(LinkDraft.of("https://example.com/e").withTitle("beta")));
        LinksPage found = store.list(query().withSearchTerm("aLpHa"));
        assertThat(found.total()).isEqualTo(4);
        assertThat(found.links()).extracting(Link::longUrl).doesNotContain("https://example.com/e");
        assertThat(store.list(query().withSearchTerm("nothing-like-it")).total()).isZero();
    }

    @Test
    void aSearchFindsPlainLinksByTheirUrlInAnyCaseAndByTheirCode() throws Exception {
        for (int i = 0; i < 64; i++) {
            done(store.add("https://x.test/" + i + (i == 5 ? "/Mixed-CASE" : "")));
        }
        assertThat(codes(store.list(query().withSearchTerm("mixed-case")))).containsExactly("f");
        assertThat(codes(store.list(query().withSearchTerm("MIXED")))).containsExactly("f");
        // "ba" is the 63rd key's code, and in no URL.
        assertThat(codes(store.list(query().withSearchTerm("Ba")))).containsExactly("ba");
        LinksPage paged = store.list(query().withSearchTerm("x.test/1").withPage(2, 3));
        assertThat(paged.total()).isEqualTo(11);
        assertThat(codes(paged)).hasSize(3);
        assertThat(store.list(query().withSearchTerm("ü")).total()).isZero();
    }

    /**
     * A URL is stored encoded (an IDNA host, percent-encoded UTF-8) while a person types it as
     * it reads: the term is found in either form, in a plain link (read from the index's bytes)
     * and in a rich one (read from its Link), and decoding makes no match of its own.
     */
    @Test
    void aSearchFindsAnInternationalUrlAsTypedAndAsStored() throws Exception {
        String plain = keyOf(store.add("https://xn--bcher-kva.de/caf%C3%A9?q=%C3%BC")); // https://bücher.de/café?q=ü
        done(store.create(LinkDraft.of("https://www.xn--fa-hia.example/stra%c3%9fe").withCustomSlug("rich").withTitle("R")));
        String ascii = keyOf(store.add("https://example.com/a%20b%2Fc"));
        for (String term : List.of("bücher", "BÜCHER", "xn--bcher", "cher.de/café", "café", "CAFÉ", "caf%C3%A9", "caf%c3%a9", "ü")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term).containsExactly(plain);
        }
        for (String term : List.of("faß", "straße", "STRAßE", "www.faß")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term).containsExactly("rich");
        }
        assertThat(codes(store.list(query().withSearchTerm("example")))).containsExactlyInAnyOrder("rich", ascii);
        // Encoded ASCII stays encoded: no term finds what the URL does not hold in one form or the other.
        assertThat(codes(store.list(query().withSearchTerm("a b")))).isEmpty();
        assertThat(codes(store.list(query().withSearchTerm("a%20b")))).containsExactly(ascii);
        assertThat(codes(store.list(query().withSearchTerm("%")))).containsExactlyInAnyOrder(plain, "rich", ascii);
        assertThat(codes(store.list(query().withSearchTerm("%2")))).containsExactly(ascii);
        assertThat(codes(store.list(query().withSearchTerm("%c")))).containsExactlyInAnyOrder(plain, "rich");
        assertThat(codes(store.list(query().withSearchTerm("\uFFFD")))).isEmpty();
        assertThat(codes(store.list(query().withSearchTerm("é?q=ü")))).containsExactly(plain);
    }

    /**
     * A term and a URL are compared composed (NFC): {@code bu\u0308cher} (u and a combining
     * diaeresis, as some keyboards and macOS file names give it) finds the host IDNA stored as
     * {@code xn--bcher-kva}, and {@code café} typed either way finds a path stored in either
     * form ({@code caf%C3%A9}, {@code cafe%CC%81}), a title and a tag too; a term that mixes
     * stored and shown forms ({@code xn--bcher-kva.de/café}) finds the URL.
     */
    @Test
    void aSearchComparesTermAndUrlComposed() throws Exception {
        String host = keyOf(store.add("https://xn--bcher-kva.de/caf%C3%A9")); // https://bücher.de/café
        String composed = keyOf(store.add("https://example.org/caf%C3%A9"));
        String decomposed = keyOf(store.add("https://example.org/cafe%CC%81"));
        done(store.create(LinkDraft.of("https://example.net/x").withCustomSlug("titled").withTitle("Cafe\u0301 de Flore")
                .withTags(List.of("cre\u0300me"))));
        for (String term : List.of("bu\u0308cher", "BU\u0308CHER", "bücher", "xn--bcher")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term).containsExactly(host);
        }
        for (String term : List.of("cafe\u0301", "CAFE\u0301", "café", "CAFÉ")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term)
                    .containsExactlyInAnyOrder(host, composed, decomposed, "titled");
        }
        for (String term : List.of("cre\u0300me", "crème")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term).containsExactly("titled");
        }
        // An ASCII term is matched as stored: each stored form finds its own bytes alone.
        assertThat(codes(store.list(query().withSearchTerm("org/caf%C3%A9")))).containsExactly(composed);
        assertThat(codes(store.list(query().withSearchTerm("org/cafe%CC%81")))).containsExactly(decomposed);
        assertThat(codes(store.list(query().withSearchTerm("e.org/cafe\u0301")))).containsExactlyInAnyOrder(composed, decomposed);
        // A term mixing the stored and the shown form is read as shown too.
        for (String term : List.of("xn--bcher-kva.de/café", "XN--BCHER-KVA.DE/cafe\u0301", "bücher.de/caf%C3%A9",
                "bu\u0308cher.de/caf%c3%a9", "//xn--bcher-kva.de/café")) {
            assertThat(codes(store.list(query().withSearchTerm(term)))).as(term).containsExactly(host);
        }
        assertThat(codes(store.list(query().withSearchTerm("xn--bcher-kva.de/café/")))).isEmpty();
        assertThat(codes(store.list(query().withSearchTerm("xn--bcher-kva.de/cafés")))).isEmpty();
    }

    @Test
    void tagFiltersTakeAnyOrAllAndExcludeTagsLeaveOut() throws Exception {
        done(store.create(LinkDraft.of("https://example.com/ab").withCustomSlug("ab").withTags(List.of("a", "b"))));
        done(store.create(LinkDraft.of("https://example.com/a").withCustomSlug("only-a").withTags(List.of("a"))));
        done(store.create(LinkDraft.of("https://example.com/c").withCustomSlug("only-c").withTags(List.of("c"))));
        done(store.add("https://example.com/none"));
        assertThat(codes(store.list(query().withTags(java.util.Set.of("a", "c"), false)))).containsExactly("only-c", "only-a", "ab");
        assertThat(codes(store.list(query().withTags(java.util.Set.of("a", "b"), true)))).containsExactly("ab");
        assertThat(codes(store.list(query().withExcludeTags(java.util.Set.of("a"), false)))).containsExactly("a", "only-c");
        assertThat(codes(store.list(query().withExcludeTags(java.util.Set.of("a", "b"), true))))
                .containsExactly("a", "only-c", "only-a");
        assertThat(store.tagCounts(null)).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L), Map.entry("c", 1L));
        done(store.edit("ab", LinkEdit.none().tags(List.of("c"))));
        assertThat(store.tagCounts(null)).containsExactly(Map.entry("a", 1L), Map.entry("c", 2L));
        done(store.delete("only-c"));
        assertThat(store.tagCounts(null)).containsExactly(Map.entry("a", 1L), Map.entry("c", 1L));
    }

    @Test
    void anAuthorSeesOnlyItsOwnLinksAndTags() throws Exception {
        done(store.create(LinkDraft.of("https://example.com/1").withAuthor("alice").withTags(List.of("x"))));
        done(store.create(LinkDraft.of("https://example.com/2").withAuthor("bob").withTags(List.of("y"))));
        done(store.create(LinkDraft.of("https://example.com/3").withAuthor("alice")));
        done(store.add("https://example.com/4"));
        LinksPage alice = store.list(query().withAuthor("alice"));
        assertThat(alice.links()).extracting(Link::longUrl).containsExactly("https://example.com/3", "https://example.com/1");
        assertThat(alice.total()).isEqualTo(2);
        assertThat(store.tagCounts("alice")).containsExactly(Map.entry("x", 1L));
        assertThat(store.list(query()).total()).isEqualTo(4);
        assertThat(store.list(query().withAuthor("carol")).total()).isZero();
    }

    @Test
    void datesAndExclusionsFilter() throws Exception {
        done(store.create(LinkDraft.of("https://example.com/past").withCustomSlug("past").withValidUntil(NOW.minusSeconds(60))));
        done(store.create(LinkDraft.of("https://example.com/limited").withCustomSlug("limited").withMaxVisits(2)));
        done(store.create(LinkDraft.of("https://example.com/plain").withCustomSlug("plain")));
        assertThat(store.list(query().withDates(NOW_SECONDS, NOW_SECONDS)).total()).isEqualTo(3);
        assertThat(store.list(query().withDates(NOW_SECONDS.plusSeconds(1), null)).total()).isZero();
        assertThat(store.list(query().withDates(null, NOW_SECONDS.minusSeconds(1))).total()).isZero();
        assertThat(codes(store.list(query().withExclusions(true, false)))).containsExactly("plain", "limited");
        LinksQuery.VisitCounts twoEach = new LinksQuery.VisitCounts() {
            @Override
            public long total(Link link) {
                return 2;
            }

            @Override
            public long nonBots(Link link) {
                return 1;
            }
        };
        assertThat(codes(store.list(query().withVisits(twoEach).withExclusions(false, true)))).containsExactly("plain", "past");
    }

    @Test
    void otherOrdersSortTheWholeMatchBeforePaging() throws Exception {
        for (String slug : List.of("m", "c-x", "z", "a-y", "k")) {
            done(store.create(LinkDraft.of("https://example.com/" + slug.toUpperCase(java.util.Locale.ROOT)).withCustomSlug(slug)
                    .withTitle(slug.equals("k") ? null : "t-" + slug)));
        }
        assertThat(codes(store.list(query().withOrder(LinksQuery.Order.SHORT_CODE, false).withPage(1, 2))))
                .containsExactly("c-x", "k");
        assertThat(codes(store.list(query().withOrder(LinksQuery.Order.SHORT_CODE, true).withPage(0, 2))))
                .containsExactly("z", "m");
        assertThat(codes(store.list(query().withOrder(LinksQuery.Order.TITLE, false).withPage(0, 2))))
                .containsExactly("k", "a-y");
        assertThat(store.list(query().withOrder(LinksQuery.Order.LONG_URL, true).withPage(0, 1)).total()).isEqualTo(5);
    }
}
