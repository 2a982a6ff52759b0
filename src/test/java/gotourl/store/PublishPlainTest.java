package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.Link;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bulk import's plain links ({@link LinkState#allocateCounter} then {@link LinkState#publishPlain})
 * leave the state exactly as {@link LinkState#planAdd}'s plans published one by one do: the same
 * links, keys, counter, listing, and links found by URL, though the index of long URLs takes them
 * in blocks ({@link LinksByUrl#PENDING_LINKS}) and only the reads put the held-back ones in.
 */
class PublishPlainTest {
    private static final Instant CREATED = Instant.parse("2026-03-04T05:06:07Z");

    private static String url(int i) {
        return "https://example.com/articles/" + i + "/page";
    }

    private static List<Link> links(LinkState state) {
        List<Link> all = new ArrayList<>();
        state.forEach(all::add);
        return all;
    }

    @Test
    void plainLinksPublishedWithoutPlansAreThoseOfPlans() {
        LinkState planned = new LinkState();
        LinkState bulk = new LinkState();
        int n = LinksByUrl.PENDING_LINKS + 40_000; // one full block put in the table, and some held back
        for (int i = 0; i < n; i++) {
            planned.publish(planned.planAdd(url(i), CREATED.plusSeconds(i / 100_000)));
            long counter = bulk.allocateCounter();
            bulk.publishPlain(counter, url(i), CREATED.plusSeconds(i / 100_000).getEpochSecond());
        }
        assertThat(bulk.size()).isEqualTo(n);
        assertThat(bulk.nextCounter()).isEqualTo(planned.nextCounter()).isEqualTo(n);
        assertThat(links(bulk)).isEqualTo(links(planned));
        assertThat(bulk.list(LinksQuery.all(CREATED).withPage(0, 20))).isEqualTo(planned.list(LinksQuery.all(CREATED).withPage(0, 20)));
        for (int i = 0; i < n; i += 4_999) {
            assertThat(bulk.committedLinksTo(url(i))).as("link %d by its URL", i)
                    .containsExactly(Link.plain(Keys.encode(i), url(i), CREATED.plusSeconds(i / 100_000)));
        }
        assertThat(bulk.committedLinksTo(url(n))).isEmpty();
    }

    @Test
    void aLinkHeldBackFromTheUrlIndexIsFoundAndCanBeDeleted() {
        LinkState state = new LinkState();
        for (int i = 0; i < 10; i++) {
            state.publishPlain(state.allocateCounter(), url(i), CREATED.getEpochSecond());
        }
        assertThat(state.committedLinksTo(url(3))).extracting(Link::shortCode).containsExactly("d");
        long again = state.allocateCounter();
        state.publishPlain(again, url(3), CREATED.getEpochSecond()); // held back once more, after a read
        assertThat(state.committedLinksTo(url(3))).extracting(Link::shortCode).containsExactly("d", Keys.encode(again));

        state.publishPlain(state.allocateCounter(), url(20), CREATED.getEpochSecond());
        Link held = state.index().get(Keys.encode(11));
        state.apply(new LinkState.Change(held, null, 11)); // deleted before any read put it in the table
        assertThat(state.committedLinksTo(url(20))).isEmpty();
        state.publishPlain(state.allocateCounter(), url(20), CREATED.getEpochSecond());
        assertThat(state.committedLinksTo(url(20))).extracting(Link::shortCode).containsExactly(Keys.encode(12));
    }

    @Test
    void aCounterThatHoldsALinkIsRefused() {
        LinkState state = new LinkState();
        long counter = state.allocateCounter();
        state.publishPlain(counter, url(0), CREATED.getEpochSecond());
        assertThatThrownBy(() -> state.publishPlain(counter, url(1), CREATED.getEpochSecond()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already holds a link");
        assertThat(state.committedLinksTo(url(1))).isEmpty();
        assertThat(state.index().get(Keys.encode(counter)).longUrl()).isEqualTo(url(0));
    }
}
