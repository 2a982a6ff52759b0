package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagsTest {

    @Test
    void tagsAreTrimmedLowerCasedAndTheirSpacesBecomeDashesAsShlinkDoes() {
        assertThat(Tags.normalize(List.of(" Summer Sale ", "NEWS", "summer-sale"))).containsExactly("news", "summer-sale");
    }

    @Test
    void aNormalizedSetIsSortedAndEqualToAnyPlainSetOfTheSameTags() {
        Set<String> tags = Tags.normalize(List.of("b", "a", "c"));
        assertThat(tags).containsExactly("a", "b", "c");
        assertThat(tags).isEqualTo(Set.of("c", "b", "a")).hasSameHashCodeAs(Set.of("a", "b", "c"));
        assertThat(tags.contains("b")).isTrue();
        assertThat(tags.contains("B")).isFalse();
        assertThatThrownBy(() -> tags.add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badTagsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> Tags.normalize(List.of("ok", "  "))).hasMessageContaining("empty");
        assertThatThrownBy(() -> Tags.normalize(Arrays.asList("ok", null))).hasMessageContaining("null");
        assertThatThrownBy(() -> Tags.normalize(List.of("x".repeat(101)))).hasMessageContaining("longer than 100");
        assertThatThrownBy(() -> Tags.normalize(List.of("bell\u0007"))).hasMessageContaining("control character");
        assertThatThrownBy(() -> Tags.normalize(List.of("half\uD83D"))).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> Tags.normalize(List.of("\uDE00half"))).hasMessageContaining("surrogate");
        assertThat(Tags.normalize(List.of("\uD83D\uDE00"))).containsExactly("\uD83D\uDE00");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("t" + i);
        }
        assertThatThrownBy(() -> Tags.normalize(many)).hasMessageContaining("101 tags").hasMessageContaining("100");
    }
}
