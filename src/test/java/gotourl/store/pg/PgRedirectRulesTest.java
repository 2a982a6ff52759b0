package gotourl.store.pg;

import static gotourl.store.RedirectRulesFixture.ANDROID;
import static gotourl.store.RedirectRulesFixture.FOUR;
import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.RedirectRules;
import gotourl.store.LinkStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redirect rules on PostgreSQL ({@code short_urls.redirect_rules}, V9): what one node sets, the
 * other follows and a node started later (a restart) reads; an edit keeps them, a delete drops
 * them, and a link with rules is never a plain entry of a node's index.
 */
class PgRedirectRulesTest {
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

    @Test
    void whatOneNodeSetsTheOtherFollowsALaterNodeReadsAndAnEditKeeps() throws Exception {
        PgLinkStore one = node();
        PgLinkStore two = node();
        String code = done(one.add("https://example.com/app"));
        assertThat(one.redirectIndex().plainEntry(code)).isNotZero();

        Link set = done(one.setRedirectRules(code, FOUR));
        assertThat(set.redirectRules()).isEqualTo(FOUR);
        assertThat(one.lookup(code).redirectRules()).as("published before the answer").isEqualTo(FOUR);
        assertThat(one.redirectIndex().plainEntry(code)).isZero();
        PgNodesTest.await("the other node follows", () -> two.lookup(code) != null && FOUR.equals(two.lookup(code).redirectRules()));
        assertThat(two.redirectIndex().plainEntry(code)).isZero();

        done(two.edit(code, LinkEdit.none().longUrl("https://example.com/app-2")));
        PgNodesTest.await("the edit arrives", () -> "https://example.com/app-2".equals(one.lookup(code).longUrl()));
        assertThat(one.lookup(code).redirectRules()).as("an edit keeps the rules").isEqualTo(FOUR);

        PgLinkStore later = node();
        assertThat(later.lookup(code).redirectRules()).as("a node started now").isEqualTo(FOUR);
        assertThat(later.lookup(code).longUrl()).isEqualTo("https://example.com/app-2");

        done(one.setRedirectRules(code, RedirectRules.NONE));
        PgNodesTest.await("removed everywhere", () -> two.lookup(code).redirectRules().isEmpty());
        assertThat(node().lookup(code).redirectRules()).isEqualTo(RedirectRules.NONE);
        assertThat(node().redirectIndex().plainEntry(code)).as("plain again").isNotZero();
    }

    @Test
    void aDeleteDropsThemAndAClaimedSlugStartsWithout() throws Exception {
        PgLinkStore one = node();
        done(one.create(LinkDraft.of("https://example.com/slug").withCustomSlug("my-app")));
        done(one.setRedirectRules("my-app", ANDROID));
        assertThat(node().lookup("my-app").redirectRules()).isEqualTo(ANDROID);
        done(one.delete("my-app"));
        Link again = done(one.create(LinkDraft.of("https://example.com/slug-2").withCustomSlug("my-app")));
        assertThat(again.redirectRules()).isEqualTo(RedirectRules.NONE);
        assertThat(node().lookup("my-app").redirectRules()).as("read back from the row").isEqualTo(RedirectRules.NONE);
    }
}
