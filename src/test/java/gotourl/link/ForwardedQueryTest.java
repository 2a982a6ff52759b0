package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardedQueryTest {

    @ParameterizedTest(name = "{0} + ?{1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // no request query: the long URL exactly as stored
            "https://e.com/p?a=1#f | NULL | https://e.com/p?a=1#f",
            "https://e.com/p?a=1#f | '' | https://e.com/p?a=1#f",
            // the request's parameters are added
            "https://e.com/p | utm=x | https://e.com/p?utm=x",
            "https://e.com/p?a=1 | b=2 | https://e.com/p?a=1&b=2",
            // the request's value wins, in the long URL's place
            "https://e.com/p?a=1&b=2 | a=9 | https://e.com/p?a=9&b=2",
            "https://e.com/p?a=1&b=2&a=3 | a=9&c=4 | https://e.com/p?a=9&b=2&c=4",
            "https://e.com/p?a=1 | a=8&a=9 | https://e.com/p?a=8&a=9",
            // the fragment stays last
            "https://e.com/p?a=1#top | b=2 | https://e.com/p?a=1&b=2#top",
            "https://e.com/p#top | b=2 | https://e.com/p?b=2#top",
            // encoded bytes pass through untouched; empty pairs are dropped
            "https://e.com/p?q=%20x | r=%C3%BC&&s | https://e.com/p?q=%20x&r=%C3%BC&s",
            // what a Location header must not carry is encoded
            "https://e.com/p | q=a b<c>ü | https://e.com/p?q=a%20b%3Cc%3E%C3%BC",
    })
    void mergesTheRequestsQueryOverTheLongUrls(String longUrl, String query, String location) {
        assertThat(ForwardedQuery.location(longUrl, query)).isEqualTo(location);
    }
}
