package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.NotFoundRedirects;
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
 * The not-found redirects on PostgreSQL, two nodes on one database: what one node sets, the other
 * follows within the feed's interval, and a node started later (a restart) reads them.
 */
class PgNotFoundRedirectsTest {
    private static final NotFoundRedirects FIRST = new NotFoundRedirects("https://example.com/home", null, "https://example.com/no-such");
    private static final NotFoundRedirects SECOND = new NotFoundRedirects(null, "https://example.com/404", null);

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
    void whatOneNodeSetsTheOtherFollowsAndALaterNodeReads() throws Exception {
        PgLinkStore one = node();
        PgLinkStore two = node();
        assertThat(one.notFoundRedirects()).isEqualTo(NotFoundRedirects.NONE);

        assertThat(done(one.setNotFoundRedirects(FIRST))).isEqualTo(FIRST);
        assertThat(one.notFoundRedirects()).as("published before the answer").isEqualTo(FIRST);
        PgNodesTest.await("the other node follows", () -> FIRST.equals(two.notFoundRedirects()));

        done(two.setNotFoundRedirects(SECOND));
        PgNodesTest.await("and back", () -> SECOND.equals(one.notFoundRedirects()));

        assertThat(node().notFoundRedirects()).as("a node started now").isEqualTo(SECOND);
        done(one.setNotFoundRedirects(NotFoundRedirects.NONE));
        PgNodesTest.await("cleared everywhere", () -> NotFoundRedirects.NONE.equals(two.notFoundRedirects()));
    }
}
