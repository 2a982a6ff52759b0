package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkDraftTest {
    private static final String URL = "https://example.com/page";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aDraftOfAUrlHasShlinksDefaultsAndMakesAPlainLink() {
        LinkDraft draft = LinkDraft.of(URL);
        assertThat(draft.forwardQuery()).isTrue();
        assertThat(draft.crawlable()).isFalse();
        Link link = draft.toLink("a", NOW);
        assertThat(link).isEqualTo(Link.plain("a", URL, NOW));
        assertThat(link.isPlain()).isTrue();
    }

    @Test
    void anyFieldBeyondTheDefaultsMakesALinkRich() {
        LinkDraft draft = LinkDraft.of(URL);
        assertThat(draft.withTitle("T").toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withTags(List.of("t")).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withValidSince(NOW).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withValidUntil(NOW).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withMaxVisits(3).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withCrawlable(true).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withForwardQuery(false).toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withAuthor("key-1").toLink("a", NOW).isPlain()).isFalse();
        assertThat(draft.withCustomSlug("docs").toLink("docs", NOW).isPlain()).isFalse();
    }

    @Test
    void badFieldsAreRefusedNamingTheField() {
        LinkDraft draft = LinkDraft.of(URL);
        assertThatThrownBy(() -> LinkDraft.of("")).hasMessageContaining("missing");
        assertThatThrownBy(() -> LinkDraft.of("https://example.com/ü")).hasMessageContaining("ASCII");
        assertThatThrownBy(() -> draft.withCustomSlug("a b")).hasMessageContaining("custom slug");
        assertThatThrownBy(() -> draft.withCustomSlug("add")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> draft.withShortCodeLength(3)).hasMessageContaining("shortCodeLength");
        assertThatThrownBy(() -> draft.withCustomSlug("docs").withShortCodeLength(6)).hasMessageContaining("not both");
        assertThatThrownBy(() -> draft.withMaxVisits(0)).hasMessageContaining("maxVisits");
        assertThatThrownBy(() -> draft.withTitle("x".repeat(513))).hasMessageContaining("title").hasMessageContaining("512");
        assertThatThrownBy(() -> draft.withTitle("half \uD83D")).hasMessageContaining("surrogate").hasMessageContaining("position 6");
        assertThatThrownBy(() -> draft.withTitle("\uDE00 and \uD83D")).hasMessageContaining("surrogate");
        assertThat(draft.withTitle("\uD83D\uDE00").title()).isEqualTo("\uD83D\uDE00");
        assertThatThrownBy(() -> draft.withValidSince(NOW).withValidUntil(NOW.minusSeconds(1)))
                .hasMessageContaining("validUntil").hasMessageContaining("before validSince");
        assertThatThrownBy(() -> draft.withAuthor("a key")).hasMessageContaining("author");
    }

    @Test
    void anEmptyTitleIsNoTitle() {
        assertThat(LinkDraft.of(URL).withTitle("  ").title()).isNull();
    }

    @Test
    void findIfExistsMatchesOnTheFieldsTheDraftGivesAsShlinkDoes() {
        Link existing = LinkDraft.of(URL).withTags(List.of("a", "b")).withMaxVisits(5).toLink("x", NOW);
        assertThat(LinkDraft.of(URL).matches(existing)).isTrue();
        assertThat(LinkDraft.of(URL).withTags(List.of("B", "a")).matches(existing)).as("tags as a set, normalized").isTrue();
        assertThat(LinkDraft.of(URL).withTags(List.of("a")).matches(existing)).as("a subset of the tags").isFalse();
        assertThat(LinkDraft.of(URL).withMaxVisits(5).matches(existing)).isTrue();
        assertThat(LinkDraft.of(URL).withMaxVisits(6).matches(existing)).isFalse();
        assertThat(LinkDraft.of(URL).withCustomSlug("x").matches(existing)).isTrue();
        assertThat(LinkDraft.of(URL).withCustomSlug("y").matches(existing)).isFalse();
        assertThat(LinkDraft.of(URL + "/other").matches(existing)).isFalse();
        assertThat(LinkDraft.of(URL).withAuthor("k").matches(existing)).isFalse();
    }

    @Test
    void aLinkIsActiveFromValidSinceToValidUntilBothIncluded() {
        Link link = LinkDraft.of(URL).withValidSince(NOW).withValidUntil(NOW.plusSeconds(60)).toLink("a", NOW);
        assertThat(link.activeAt(NOW.toEpochMilli() - 1)).isFalse();
        assertThat(link.activeAt(NOW.toEpochMilli())).isTrue();
        assertThat(link.activeAt(NOW.plusSeconds(60).toEpochMilli())).isTrue();
        assertThat(link.activeAt(NOW.plusSeconds(60).toEpochMilli() + 1)).isFalse();
        assertThat(Link.plain("a", URL, NOW).activeAt(0)).isTrue();
    }
}
