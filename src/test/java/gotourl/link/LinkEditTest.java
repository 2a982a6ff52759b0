package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkEditTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final Link link = LinkDraft.of("https://example.com/a").withTitle("A").withTags(List.of("x"))
            .withAuthor("key-1").withCustomSlug("docs").toLink("docs", NOW);

    @Test
    void fieldsNotNamedKeepTheirValues() {
        Link edited = LinkEdit.none().longUrl("https://example.com/b").applyTo(link);
        assertThat(edited.longUrl()).isEqualTo("https://example.com/b");
        assertThat(edited.title()).isEqualTo("A");
        assertThat(edited.tags()).containsExactly("x");
        assertThat(edited.shortCode()).isEqualTo("docs");
        assertThat(edited.dateCreated()).isEqualTo(NOW);
        assertThat(edited.author()).isEqualTo("key-1");
        assertThat(edited.customSlug()).isTrue();
    }

    @Test
    void aFieldNamedWithNullIsCleared() {
        Link edited = LinkEdit.none().title(null).tags(List.of()).applyTo(link);
        assertThat(edited.title()).isNull();
        assertThat(edited.tags()).isEmpty();
    }

    @Test
    void noEditChangesNothing() {
        assertThat(LinkEdit.none().applyTo(link)).isEqualTo(link);
        assertThat(LinkEdit.none().fields()).isEmpty();
        assertThat(LinkEdit.none().title("B").maxVisits(3).fields()).containsExactlyInAnyOrder(LinkEdit.Field.TITLE, LinkEdit.Field.MAX_VISITS);
    }

    @Test
    void anEditThatWouldLeaveTheLinkInvalidIsRefused() {
        Link windowed = LinkEdit.none().validSince(NOW).applyTo(link);
        assertThatThrownBy(() -> LinkEdit.none().validUntil(NOW.minusSeconds(5)).applyTo(windowed)).hasMessageContaining("validUntil");
        assertThatThrownBy(() -> LinkEdit.none().maxVisits(0)).hasMessageContaining("maxVisits");
        assertThatThrownBy(() -> LinkEdit.none().longUrl("")).hasMessageContaining("missing");
    }
}
