package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkState#OLDEST_FIRST}, the order find-if-exists, listings by date and
 * {@code linksTo} rest on: the older link first; among links of the same instant, the shorter
 * code (the key counter's earlier one), then the code itself.
 */
class OldestFirstTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void olderFirstThenShorterCodeThenCode() {
        Link older = Link.plain("zzzzzz", "https://example.com/1", T0.minusSeconds(1));
        Link shortCode = Link.plain("zz", "https://example.com/2", T0);
        Link lowCode = Link.plain("aaa", "https://example.com/3", T0);
        Link highCode = Link.plain("aab", "https://example.com/4", T0);
        Link newer = Link.plain("a", "https://example.com/5", T0.plusMillis(1));
        List<Link> links = new ArrayList<>(List.of(newer, highCode, lowCode, shortCode, older));
        links.sort(LinkState.OLDEST_FIRST);
        assertThat(links).containsExactly(older, shortCode, lowCode, highCode, newer);
    }

    @Test
    void equalOnlyForTheSameInstantAndCode() {
        Link a = Link.plain("abc", "https://example.com/1", T0);
        Link b = Link.plain("abc", "https://example.com/2", T0);
        assertThat(LinkState.OLDEST_FIRST.compare(a, b)).isZero();
        assertThat(LinkState.OLDEST_FIRST.compare(a, Link.plain("abd", "https://example.com/1", T0))).isNegative();
        assertThat(LinkState.OLDEST_FIRST.compare(Link.plain("abd", "https://example.com/1", T0), a)).isPositive();
    }
}
