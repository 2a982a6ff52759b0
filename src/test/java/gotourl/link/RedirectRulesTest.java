package gotourl.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.RedirectCondition.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redirect rules' validation and matching, case by case against what Shlink 4's code does. */
class RedirectRulesTest {
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    private static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0 Mobile Safari/537.36";
    private static final String WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
    private static final String MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15";
    private static final String LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String CHROMEOS = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

    private static RedirectCondition cond(Type type, String key, String value) {
        return new RedirectCondition(type, key, value);
    }

    private static RuleRequest query(String query) {
        return new RuleRequest(query, null, null, null);
    }

    @Test
    void devicesAreShlinksByPlatform() {
        assertThat(RuleRequest.devicesOf(IPHONE)).containsExactly("ios", "mobile");
        assertThat(RuleRequest.devicesOf(ANDROID)).containsExactly("android", "mobile");
        assertThat(RuleRequest.devicesOf(WINDOWS)).containsExactly("windows", "desktop");
        assertThat(RuleRequest.devicesOf(MAC)).containsExactly("macos", "desktop");
        assertThat(RuleRequest.devicesOf(LINUX)).containsExactly("linux", "desktop");
        assertThat(RuleRequest.devicesOf(CHROMEOS)).containsExactly("chromeos", "desktop");
        assertThat(RuleRequest.devicesOf("curl/8.5.0")).isEmpty();
        assertThat(RuleRequest.devicesOf(null)).isEmpty();

        RedirectCondition mobile = cond(Type.DEVICE, null, "mobile");
        assertThat(mobile.matches(new RuleRequest(null, null, IPHONE, null))).isTrue();
        assertThat(mobile.matches(new RuleRequest(null, null, ANDROID, null))).isTrue();
        assertThat(mobile.matches(new RuleRequest(null, null, LINUX, null))).isFalse();
        assertThat(cond(Type.DEVICE, null, "desktop").matches(new RuleRequest(null, null, MAC, null))).isTrue();
    }

    @Test
    void queryParamsMatchAsPhpParsesThem() {
        RedirectCondition campaign = cond(Type.QUERY_PARAM, "utm_source", "mail");
        assertThat(campaign.matches(query("utm_source=mail"))).isTrue();
        assertThat(campaign.matches(query("a=1&utm_source=web&utm_source=mail"))).as("the last wins").isTrue();
        assertThat(campaign.matches(query("utm_source=mail&utm_source=web"))).isFalse();
        assertThat(campaign.matches(query("utm%5Fsource=ma%69l"))).as("decoded").isTrue();
        assertThat(campaign.matches(query(null))).isFalse();
        assertThat(cond(Type.QUERY_PARAM, "q", "a b").matches(query("q=a+b"))).isTrue();

        RedirectCondition any = cond(Type.ANY_VALUE_QUERY_PARAM, "ref", null);
        assertThat(any.matches(query("ref=x"))).isTrue();
        assertThat(any.matches(query("ref"))).isTrue();
        assertThat(any.matches(query("refx=1"))).isFalse();

        RedirectCondition valueless = cond(Type.VALUELESS_QUERY_PARAM, "beta", null);
        assertThat(valueless.matches(query("beta"))).isTrue();
        assertThat(valueless.matches(query("beta="))).isTrue();
        assertThat(valueless.matches(query("beta=1"))).isFalse();
        assertThat(valueless.matches(query("x=1"))).isFalse();
    }

    @Test
    void languagesMatchWithQualityOfAtLeastNineTenths() {
        RedirectCondition english = cond(Type.LANGUAGE, null, "en");
        RedirectCondition britishEnglish = cond(Type.LANGUAGE, null, "en_GB");
        assertThat(english.matches(new RuleRequest(null, "en-US,en;q=0.9", null, null))).isTrue();
        assertThat(english.matches(new RuleRequest(null, "fr-FR, en;q=0.8", null, null))).as("below 0.9").isFalse();
        assertThat(english.matches(new RuleRequest(null, "*", null, null))).isFalse();
        assertThat(english.matches(new RuleRequest(null, null, null, null))).isFalse();
        assertThat(britishEnglish.matches(new RuleRequest(null, "EN-gb", null, null))).isTrue();
        assertThat(britishEnglish.matches(new RuleRequest(null, "en-US, en", null, null))).as("no country").isFalse();
    }

    @Test
    void ipAddressesMatchStaticCidrAndWildcards() {
        assertThat(cond(Type.IP_ADDRESS, null, "203.0.113.7").matches(new RuleRequest(null, null, null, "203.0.113.7"))).isTrue();
        assertThat(cond(Type.IP_ADDRESS, null, "203.0.113.7").matches(new RuleRequest(null, null, null, "203.0.113.8"))).isFalse();
        RedirectCondition block = cond(Type.IP_ADDRESS, null, "192.168.10.0/24");
        assertThat(block.matches(new RuleRequest(null, null, null, "192.168.10.200"))).isTrue();
        assertThat(block.matches(new RuleRequest(null, null, null, "192.168.11.1"))).isFalse();
        RedirectCondition middle = cond(Type.IP_ADDRESS, null, "11.*.33.*");
        assertThat(middle.matches(new RuleRequest(null, null, null, "11.22.33.44"))).isTrue();
        assertThat(middle.matches(new RuleRequest(null, null, null, "11.22.34.44"))).isFalse();
        assertThat(middle.matches(new RuleRequest(null, null, null, "::1"))).as("IPv6 never matches, as in Shlink").isFalse();
        assertThat(cond(Type.IP_ADDRESS, null, "0.0.0.0/0").matches(new RuleRequest(null, null, null, "8.8.8.8"))).isTrue();
    }

    @Test
    void theFirstRuleWhoseConditionsAllMatchGivesTheUrl() {
        RedirectRules rules = new RedirectRules(List.of(
                new RedirectRule("https://example.com/ios-en", List.of(cond(Type.DEVICE, null, "ios"), cond(Type.LANGUAGE, null, "en"))),
                new RedirectRule("https://example.com/ios", List.of(cond(Type.DEVICE, null, "ios"))),
                new RedirectRule("https://example.com/also-ios", List.of(cond(Type.DEVICE, null, "ios")))));
        assertThat(rules.longUrlFor(new RuleRequest(null, "en", IPHONE, null), "https://example.com/")).endsWith("/ios-en");
        assertThat(rules.longUrlFor(new RuleRequest(null, "de", IPHONE, null), "https://example.com/")).endsWith("/ios");
        assertThat(rules.longUrlFor(new RuleRequest(null, "en", ANDROID, null), "https://example.com/"))
                .isEqualTo("https://example.com/");
        assertThat(RedirectRules.NONE.longUrlFor(new RuleRequest(null, null, IPHONE, null), "https://x.example/"))
                .isEqualTo("https://x.example/");
    }

    @Test
    void invalidConditionsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> cond(Type.DEVICE, null, "tablet")).hasMessageContaining("\"tablet\" is not a valid matchValue")
                .hasMessageContaining("android, ios, mobile");
        assertThatThrownBy(() -> cond(Type.IP_ADDRESS, null, "300.1.1.1")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> cond(Type.IP_ADDRESS, null, "1.2.3.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cond(Type.IP_ADDRESS, null, "1.2.*.0/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cond(Type.QUERY_PARAM, "a", "")).hasMessageContaining("not empty");
        assertThatThrownBy(() -> cond(Type.QUERY_PARAM, null, "x")).hasMessageContaining("needs a matchKey");
        assertThatThrownBy(() -> cond(Type.QUERY_PARAM, "a", null))
                .hasMessage("the \"query-param\" redirect condition needs a matchValue: the value the parameter must have, not empty");
        assertThatThrownBy(() -> cond(Type.DEVICE, null, null)).hasMessageContaining("needs a matchValue: one of android, ios");
        assertThatThrownBy(() -> cond(Type.GEOLOCATION_COUNTRY_CODE, null, "ES")).hasMessageContaining("GeoLite2");
        assertThatThrownBy(() -> cond(Type.GEOLOCATION_CITY_NAME, null, "Madrid")).hasMessageContaining("GeoLite2");
        assertThatThrownBy(() -> cond(null, null, "x")).hasMessageContaining("device, language, query-param");
        assertThatThrownBy(() -> new RedirectRule("https://example.com", List.of())).hasMessageContaining("at least one");
        assertThat(Type.fromWire("any-value-query-param")).isEqualTo(Type.ANY_VALUE_QUERY_PARAM);
        assertThat(Type.fromWire("browser")).isNull();
    }
}
