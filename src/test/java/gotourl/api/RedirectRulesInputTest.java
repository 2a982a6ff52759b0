package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.link.LongUrlRules;
import gotourl.link.RedirectCondition;
import gotourl.link.RedirectRules;
import gotourl.link.SelfAddresses;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shlink 4's redirect-rules JSON, read and written: the shapes and the 400s its input filter answers. */
class RedirectRulesInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LongUrlRules URLS = new LongUrlRules(SelfAddresses.NONE);

    private static RedirectRules parse(String body) throws Exception {
        return RedirectRulesInput.parse(JSON.readTree(body), URLS);
    }

    private static Problem refused(String body) {
        Problem problem = catchThrowableOfType(Problem.class, () -> parse(body));
        assertThat(problem).as(body).isNotNull();
        assertThat(problem.status).isEqualTo(400);
        assertThat(problem.code).isEqualTo("invalid-data");
        assertThat(problem.extra.get("invalidElements")).isEqualTo(List.of("redirectRules"));
        return problem;
    }

    @Test
    void aListIsReadInOrderAndWrittenAsShlinkAnswersIt() throws Exception {
        RedirectRules rules = parse("""
                {"redirectRules": [
                  {"longUrl": "https://example.com/android", "conditions": [{"type": "device", "matchValue": "android", "matchKey": null}]},
                  {"longUrl": "https://example.com/es", "conditions": [
                    {"type": "language", "matchValue": "es-ES", "matchKey": null},
                    {"type": "query-param", "matchKey": "promo", "matchValue": "1"},
                    {"type": "ip-address", "matchValue": "10.0.*.*"}]}]}""");
        assertThat(rules.rules()).hasSize(2);
        assertThat(rules.rules().get(1).conditions()).extracting(RedirectCondition::type).containsExactly(
                RedirectCondition.Type.LANGUAGE, RedirectCondition.Type.QUERY_PARAM, RedirectCondition.Type.IP_ADDRESS);

        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            RedirectRulesInput.write(json, "https://example.com/", rules);
        }
        JsonNode written = JSON.readTree(out.toString());
        assertThat(written.get("defaultLongUrl").asText()).isEqualTo("https://example.com/");
        assertThat(written.get("redirectRules").get(0).get("priority").asInt()).isEqualTo(1);
        assertThat(written.get("redirectRules").get(1).get("priority").asInt()).isEqualTo(2);
        assertThat(written.get("redirectRules").get(1).get("conditions").get(1).toString())
                .isEqualTo("{\"type\":\"query-param\",\"matchKey\":\"promo\",\"matchValue\":\"1\"}");
        assertThat(written.get("redirectRules").get(0).get("conditions").get(0).get("matchKey").isNull()).isTrue();
        assertThat(parse("{\"redirectRules\": []}").isEmpty()).as("an empty list removes every rule").isTrue();
        assertThat(parse("{}").isEmpty()).as("as in Shlink, whose input filter does not require the field").isTrue();
        assertThat(parse("{\"redirectRules\": null}").isEmpty()).isTrue();
    }

    @Test
    void faultsAreInvalidDataNamingTheRuleAndCondition() {
        assertThat(refused("{\"redirectRules\": {}}").detail()).contains("\"redirectRules\" is an array");
        assertThat(refused("[]").detail()).contains("\"redirectRules\" is an array");
        assertThat(refused("{\"redirectRules\": [{\"conditions\": [{\"type\": \"device\", \"matchValue\": \"ios\"}]}]}").detail())
                .contains("rule 1: \"longUrl\" is required");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"https://example.com\", \"conditions\": []}]}").detail())
                .contains("at least one condition");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"https://example.com\", \"conditions\": [{\"type\": \"browser\","
                + " \"matchValue\": \"chrome\"}]}]}").detail()).contains("rule 1, condition 1: \"type\" must be one of device,");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"https://example.com\", \"conditions\": [{\"type\": \"device\","
                + " \"matchValue\": \"ios\"}, {\"type\": \"device\", \"matchValue\": \"toaster\"}]}]}").detail())
                .contains("rule 1, condition 2: \"toaster\" is not a valid matchValue for the \"device\" redirect condition");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"https://example.com\", \"conditions\": [{\"type\":"
                + " \"geolocation-country-code\", \"matchValue\": \"ES\"}]}]}").detail()).contains("GeoLite2");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"not a url\", \"conditions\": [{\"type\": \"device\","
                + " \"matchValue\": \"ios\"}]}]}").detail()).startsWith("Provided data is not valid: rule 1: ");
        assertThat(refused("{\"redirectRules\": [{\"longUrl\": \"https://example.com\", \"conditions\": [{\"type\": \"device\","
                + " \"matchValue\": 3}]}]}").detail()).contains("\"matchValue\" must be a string or null");
    }
}
