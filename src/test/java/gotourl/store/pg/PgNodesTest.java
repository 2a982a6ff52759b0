package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.store.LinkConflictException;
import gotourl.store.LinkNotFoundException;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two PostgreSQL stores on one database in one JVM, as two goto nodes: what one node does, the
 * other honours, keys are never handed out twice across nodes and restarts, and a restart keeps
 * every field, edit and delete.
 */
class PgNodesTest {
    private PgSettings settings;
    private final List<LinkStore> opened = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        settings = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
    }

    @AfterEach
    void closeAll() {
        for (LinkStore store : opened) {
            store.close(Duration.ofSeconds(10));
        }
    }

    private PgLinkStore node() {
        PgLinkStore store = PgLinkStore.open(settings, PgLinkStore.Options.defaults());
        opened.add(store);
        return store;
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable refusal(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a refusal, got " + future.join());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void concurrentAddsOnTwoNodesAndARestartNeverHandOutAKeyTwice() throws Exception {
        PgLinkStore a = node();
        PgLinkStore b = node();
        Map<String, String> keys = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            LinkStore store = t % 2 == 0 ? a : b;
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 300; i++) {
                        String url = "https://example.com/" + thread + "/" + i;
                        String before = keys.putIfAbsent(done(store.add(url)), url);
                        if (before != null) {
                            throw new AssertionError("a key was handed out for " + before + " and for " + url);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(keys).hasSize(1200);
        a.close(Duration.ofSeconds(10));
        PgLinkStore restarted = node();
        for (int i = 0; i < 50; i++) {
            String key = done(restarted.add("https://example.com/after/" + i));
            assertThat(keys.put(key, "after")).as("key %s after a restart", key).isNull();
        }
        for (Map.Entry<String, String> link : keys.entrySet()) {
            if (!link.getValue().equals("after")) {
                assertThat(restarted.longUrlOf(link.getKey())).isEqualTo(link.getValue());
            }
        }
    }

    @Test
    void aSlugTakenOnOneNodeIsRefusedOnTheOtherAndAnEditAndADeleteReachIt() throws Exception {
        PgLinkStore a = node();
        PgLinkStore b = node();
        Link promo = done(a.create(LinkDraft.of("https://example.com/a").withCustomSlug("promo")));
        assertThat(refusal(b.create(LinkDraft.of("https://example.com/b").withCustomSlug("promo"))))
                .isInstanceOf(LinkConflictException.class).hasMessageContaining("'promo' is in use");
        await("b sees a's slug", () -> promo.equals(b.lookup("promo")));

        Link edited = done(a.edit("promo", LinkEdit.none().longUrl("https://example.com/edited").title("Edited")));
        await("b sees a's edit", () -> edited.equals(b.lookup("promo")));
        assertThat(b.linksTo("https://example.com/edited")).containsExactly(edited);
        assertThat(b.linksTo("https://example.com/a")).isEmpty();

        done(b.delete("promo"));
        await("a sees b's delete", () -> a.lookup("promo") == null);
        assertThat(refusal(a.edit("promo", LinkEdit.none().title("late")))).isInstanceOf(LinkNotFoundException.class);
        Link again = done(a.create(LinkDraft.of("https://example.com/again").withCustomSlug("promo")));
        await("b sees the slug claimed again", () -> again.equals(b.lookup("promo")));
    }

    @Test
    void aKeyOneNodeHandedOutNeverBecomesASlugOnTheOtherEvenAfterItsDelete() throws Exception {
        PgLinkStore a = node();
        PgLinkStore b = node();
        String key = done(a.add("https://example.com/key"));
        done(a.delete(key));
        Link random = done(a.create(LinkDraft.of("https://example.com/random").withShortCodeLength(9)));
        done(a.delete(random.shortCode()));
        // Asked at once, before b may have heard of them: the database refuses.
        assertThat(refusal(b.create(LinkDraft.of("https://example.com/x").withCustomSlug(key)))).isInstanceOf(LinkConflictException.class);
        assertThat(refusal(b.create(LinkDraft.of("https://example.com/x").withCustomSlug(random.shortCode()))))
                .isInstanceOf(LinkConflictException.class);
    }

    @Test
    void aRestartedNodeFindsEveryPlainLinkByItsUrl() throws Exception {
        // A node builds its long-URL index once, after loading every row: plain links, some
        // deleted, some moved to another URL, several to one URL.
        PgLinkStore store = node();
        java.util.Map<String, List<String>> expected = new java.util.HashMap<>();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String url = "https://example.com/page/" + (i % 400);
            String key = done(store.add(url));
            keys.add(key);
            expected.computeIfAbsent(url, u -> new java.util.ArrayList<>()).add(key);
        }
        for (int i = 0; i < 600; i += 7) {
            done(store.delete(keys.get(i)));
            expected.get("https://example.com/page/" + (i % 400)).remove(keys.get(i));
        }
        for (int i = 3; i < 600; i += 11) {
            if (i % 7 != 0) {
                done(store.edit(keys.get(i), LinkEdit.none().longUrl("https://example.com/moved/" + i)));
                expected.get("https://example.com/page/" + (i % 400)).remove(keys.get(i));
                expected.put("https://example.com/moved/" + i, List.of(keys.get(i)));
            }
        }
        store.close(Duration.ofSeconds(10));

        PgLinkStore restarted = node();
        for (var entry : expected.entrySet()) {
            assertThat(restarted.linksTo(entry.getKey())).as(entry.getKey()).extracting(Link::shortCode)
                    .containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
        String again = done(restarted.add("https://example.com/page/5"));
        assertThat(restarted.linksTo("https://example.com/page/5")).extracting(Link::shortCode).contains(again);
    }

    @Test
    void aRestartKeepsEveryFieldEditAndDelete() throws Exception {
        PgLinkStore store = node();
        Link rich = done(store.create(LinkDraft.of("https://example.com/rich").withTitle("Tïtle ✓").withTags(List.of("ä", "b c"))
                .withValidSince(java.time.Instant.parse("2026-01-01T00:00:00Z")).withValidUntil(java.time.Instant.parse("2027-01-01T00:00:00.5Z"))
                .withMaxVisits(3).withCrawlable(true).withForwardQuery(false).withAuthor("key-1")));
        Link slug = done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("my-slug")));
        String plain = done(store.add("https://example.com/plain"));
        String deleted = done(store.add("https://example.com/deleted"));
        Link edited = done(store.edit(plain, LinkEdit.none().longUrl("https://example.com/edited").tags(List.of("t"))));
        done(store.delete(deleted));
        done(store.create(LinkDraft.of("https://example.com/freed").withCustomSlug("freed")));
        done(store.delete("freed"));
        store.close(Duration.ofSeconds(10));

        PgLinkStore restarted = node();
        assertThat(restarted.lookup(rich.shortCode())).isEqualTo(rich);
        assertThat(restarted.lookup("my-slug")).isEqualTo(slug);
        assertThat(restarted.lookup(plain)).isEqualTo(edited);
        assertThat(restarted.lookup(deleted)).isNull();
        assertThat(restarted.size()).isEqualTo(3);
        assertThat(restarted.crawlableShortCodes()).containsExactly(rich.shortCode());
        assertThat(restarted.linksTo("https://example.com/edited")).containsExactly(edited);
        assertThat(refusal(restarted.create(LinkDraft.of("https://example.com/x").withCustomSlug(deleted))))
                .isInstanceOf(LinkConflictException.class);
        assertThat(done(restarted.create(LinkDraft.of("https://example.com/again").withCustomSlug("freed"))).shortCode()).isEqualTo("freed");
        Set<String> codes = new HashSet<>();
        restarted.forEach(link -> codes.add(link.shortCode()));
        assertThat(codes).containsExactlyInAnyOrder(rich.shortCode(), "my-slug", plain, "freed");
    }

    @Test
    void aPasswordSetOnOneNodeReachesTheOtherItsRemovalToo_andARestartKeepsItButADeleteForgetsIt() throws Exception {
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaDFoYXNoMWhhc2gxaGFzaDFoYXNoMWhhc2gxaGE";
        PgLinkStore one = node();
        PgLinkStore two = node();
        Link locked = done(one.create(LinkDraft.of("https://example.com/locked").withCustomSlug("locked").withPasswordHash(hash)));
        Link other = done(one.create(LinkDraft.of("https://example.com/other").withPasswordHash(hash)));
        await("the other node learns the password", () -> two.lookup("locked") != null && two.lookup("locked").passwordProtected());
        // Each change reaches the other node on its own (docs/POSTGRESQL.md: within a second):
        // knowing the first link does not mean knowing the second yet.
        await("the other node learns the second link", () -> two.lookup(other.shortCode()) != null);
        assertThat(two.lookup("locked")).isEqualTo(locked);
        done(two.edit(other.shortCode(), LinkEdit.none().passwordHash(null)));
        await("the first node learns the removal", () -> !one.lookup(other.shortCode()).passwordProtected());
        done(one.delete("locked"));
        one.close(Duration.ofSeconds(10));
        two.close(Duration.ofSeconds(10));

        PgLinkStore restarted = node();
        assertThat(restarted.lookup(other.shortCode()).passwordProtected()).isFalse();
        assertThat(restarted.lookup("locked")).isNull();
        Link again = done(restarted.create(LinkDraft.of("https://example.com/locked-again").withCustomSlug("locked")));
        assertThat(again.passwordProtected()).isFalse();
        Link kept = done(restarted.create(LinkDraft.of("https://example.com/kept").withPasswordHash(hash)));
        restarted.close(Duration.ofSeconds(10));
        assertThat(node().lookup(kept.shortCode()).passwordHash()).as("a restart keeps the hash").isEqualTo(hash);
    }

    @Test
    void whileTheDatabaseIsDownWritesAreRefusedAtOnceReadsGoOnAndItRecoversByItself() throws Exception {
        try (TestPostgres own = TestPostgres.start()) {
            settings = PgSettings.parse(own.newDatabase(), null, Map.of());
            PgLinkStore store = node();
            PgLinkStore other = node();
            String key = done(store.add("https://example.com/before"));
            own.stopServer("fast");
            await("the store says the database is down", () -> store.failure() != null);
            assertThat(store.failure()).contains("database");
            long started = System.nanoTime();
            assertThat(refusal(store.add("https://example.com/during"))).isInstanceOf(StoreBusyException.class)
                    .hasMessageContaining("database");
            assertThat(System.nanoTime() - started).as("a refusal while down takes no connection attempt").isLessThan(1_000_000_000L);
            assertThat(store.longUrlOf(key)).isEqualTo("https://example.com/before");

            own.startServer();
            await("the store recovers", () -> store.failure() == null);
            String after = done(store.add("https://example.com/after"));
            await("the other node recovers and sees the add", () -> other.failure() == null
                    && "https://example.com/after".equals(other.longUrlOf(after)));
            assertThat(store.longUrlOf(key)).isEqualTo("https://example.com/before");
        }
    }
}
