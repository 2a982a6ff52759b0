package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShortCodesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "ba", "docs", "Summer-Sale_2026", "9", "-", "_x_", "ABC"})
    void slugsOfLettersDigitsDashAndUnderscoreAreAllowed(String slug) {
        assertThat(ShortCodes.slugProblem(slug)).isNull();
    }

    @Test
    void aHundredCharactersFitAndOneMoreIsRefusedSayingTheLimit() {
        assertThat(ShortCodes.slugProblem("x".repeat(100))).isNull();
        assertThat(ShortCodes.slugProblem("x".repeat(101))).contains("101 characters").contains("100");
    }

    @Test
    void anEmptySlugIsRefusedSayingWhatASlugMayHold() {
        assertThat(ShortCodes.slugProblem("")).contains("empty").contains("A-Z a-z 0-9 - _");
        assertThat(ShortCodes.slugProblem(null)).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a.b", "ü", "a?", "a#", "a%20", "a\tb"})
    void otherCharactersAreRefusedNamingTheCharacterAndItsPosition(String slug) {
        assertThat(ShortCodes.slugProblem(slug)).contains("position").contains("A-Z a-z 0-9 - _");
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "ADD", "Add", "rest", "REST", "health", "metrics"})
    void reservedPathsAreRefusedWhateverTheirCase(String slug) {
        assertThat(ShortCodes.slugProblem(slug)).contains("reserved").contains("choose another");
    }

    @Test
    void robotsAndFaviconAreReservedThoughNoSlugCouldSpellThem() {
        assertThat(ShortCodes.isReserved("robots.txt")).isTrue();
        assertThat(ShortCodes.isReserved("favicon.ico")).isTrue();
        assertThat(ShortCodes.isReserved("adds")).isFalse();
    }

    @Test
    void aSlugCanLookLikeAGeneratedCode() {
        assertThat(ShortCodes.counterOf("ba")).isEqualTo(62);
        assertThat(ShortCodes.counterOf("docs")).isEqualTo(Keys.decode("docs"));
        assertThat(ShortCodes.counterOf("a-b")).isEqualTo(-1);
        assertThat(ShortCodes.counterOf("abc")).as("a leading zero digit: never generated").isEqualTo(-1);
        assertThat(ShortCodes.counterOf("9999999999")).as("beyond the generator's range").isEqualTo(-1);
    }

    @Test
    void aPathSegmentIsPercentDecodedAsUtf8AndLeftAloneWithoutAPercent() {
        String plain = "abc";
        assertThat(ShortCodes.fromPathSegment(plain)).isSameAs(plain);
        assertThat(ShortCodes.fromPathSegment("%61")).isEqualTo("a");
        assertThat(ShortCodes.fromPathSegment("%4a%4B-x")).isEqualTo("JK-x");
        assertThat(ShortCodes.fromPathSegment("caf%C3%A9")).isEqualTo("caf\u00e9");
        assertThat(ShortCodes.fromPathSegment("caf\u00e9%21")).as("a raw non-ASCII char is kept").isEqualTo("caf\u00e9!");
        assertThat(ShortCodes.fromPathSegment("a+b%20c")).as("+ is no space in a path").isEqualTo("a+b c");
        assertThat(ShortCodes.fromPathSegment("a%2Fb")).as("an encoded slash stays in the segment").isEqualTo("a/b");
        assertThat(ShortCodes.fromPathSegment("%FF%C3")).as("bad UTF-8 is replaced").isEqualTo("\uFFFD\uFFFD");
        assertThat(ShortCodes.fromPathSegment("%2541")).as("decoded once").isEqualTo("%41");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "a%zz", "%g1", "%1g", "a%", "%\u0661\u0662", "%61%"})
    void aPercentWithoutTwoHexDigitsNamesNoCode(String segment) {
        assertThat(ShortCodes.fromPathSegment(segment)).isNull();
    }
}
