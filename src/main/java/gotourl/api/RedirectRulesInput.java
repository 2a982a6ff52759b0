package gotourl.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.LongUrlRules;
import gotourl.link.RedirectCondition;
import gotourl.link.RedirectRule;
import gotourl.link.RedirectRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of Shlink 4's {@code /short-urls/{shortCode}/redirect-rules}, both ways.
 *
 * <p>Read ({@code POST}): {@code {"redirectRules": [{"longUrl": URL, "conditions": [{"type":
 * TYPE, "matchKey": KEY or null, "matchValue": VALUE or null}, ...]}, ...]}}, the whole ordered
 * list (an empty one removes every rule, as does an object without {@code redirectRules} or with it
 * null: Shlink's input filter does not require the field). Any fault is Shlink's 400 {@code invalid-data} with
 * {@code invalidElements: ["redirectRules"]}, as its {@code RedirectRulesInputFilter} answers,
 * and a detail naming the rule, the condition and what is wrong.
 *
 * <p>Written ({@code GET}, and {@code POST}'s answer): {@code {"defaultLongUrl": URL,
 * "redirectRules": [{"longUrl", "priority" (from 1), "conditions": [{"type", "matchKey",
 * "matchValue"}]}]}}.
 */
final class RedirectRulesInput {
    static final String FIELD = "redirectRules";

    private RedirectRulesInput() {}

    /**
     * The rules {@code body} sets (none for an object without {@code redirectRules}, or with it null);
     * throws {@link Problem} (400 {@code invalid-data}) when the body is not a JSON object or the
     * field not a valid list.
     */
    static RedirectRules parse(JsonNode body, LongUrlRules urls) {
        JsonNode list = body == null || !body.isObject() ? null : body.get(FIELD);
        if (body != null && body.isObject() && (list == null || list.isNull())) {
            return RedirectRules.NONE;
        }
        if (list == null || !list.isArray()) {
            throw invalid("the body must be a JSON object whose \"redirectRules\" is an array of rules, each"
                    + " {\"longUrl\": URL, \"conditions\": [{\"type\", \"matchKey\", \"matchValue\"}]}");
        }
        if (list.size() > RedirectRules.MAX_RULES) {
            throw invalid("a short URL takes at most " + RedirectRules.MAX_RULES + " redirect rules, not " + list.size());
        }
        List<RedirectRule> rules = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            rules.add(rule(list.get(i), i + 1, urls));
        }
        try {
            return new RedirectRules(rules);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static RedirectRule rule(JsonNode node, int priority, LongUrlRules urls) {
        String where = "rule " + priority;
        if (!node.isObject()) {
            throw invalid(where + " must be an object with \"longUrl\" and \"conditions\"");
        }
        JsonNode longUrl = node.get("longUrl");
        if (longUrl == null || !longUrl.isTextual() || longUrl.textValue().isBlank()) {
            throw invalid(where + ": \"longUrl\" is required, the URL a matching visit goes to");
        }
        LongUrlRules.Verdict verdict = urls.check(longUrl.textValue());
        if (!verdict.accepted()) {
            throw invalid(where + ": " + verdict.problem());
        }
        JsonNode conditions = node.get("conditions");
        if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
            throw invalid(where + ": \"conditions\" is required, an array of at least one condition");
        }
        if (conditions.size() > RedirectRule.MAX_CONDITIONS) {
            throw invalid(where + " has " + conditions.size() + " conditions; a rule takes at most " + RedirectRule.MAX_CONDITIONS);
        }
        List<RedirectCondition> parsed = new ArrayList<>(conditions.size());
        for (int c = 0; c < conditions.size(); c++) {
            parsed.add(condition(conditions.get(c), where + ", condition " + (c + 1)));
        }
        return new RedirectRule(verdict.url(), parsed);
    }

    private static RedirectCondition condition(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " must be an object with \"type\", \"matchKey\" and \"matchValue\"");
        }
        JsonNode typeNode = node.get("type");
        RedirectCondition.Type type = typeNode != null && typeNode.isTextual() ? RedirectCondition.Type.fromWire(typeNode.textValue())
                : null;
        if (type == null) {
            List<String> names = new ArrayList<>();
            for (RedirectCondition.Type known : RedirectCondition.Type.values()) {
                names.add(known.wire);
            }
            throw invalid(where + ": \"type\" must be one of " + String.join(", ", names) + ", not " + typeNode);
        }
        try {
            return new RedirectCondition(type, text(node, "matchKey", where), text(node, "matchValue", where));
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(where + ": \"" + field + "\" must be a string or null");
        }
        return value.textValue();
    }

    private static Problem invalid(String why) {
        return Problem.invalidData("Provided data is not valid: " + why, List.of(FIELD));
    }

    /** Writes the rules of a link whose own long URL is {@code defaultLongUrl}, as Shlink's GET answers them. */
    static void write(JsonGenerator json, String defaultLongUrl, RedirectRules rules) throws IOException {
        json.writeStartObject();
        json.writeStringField("defaultLongUrl", defaultLongUrl);
        json.writeArrayFieldStart(FIELD);
        int priority = 0;
        for (RedirectRule rule : rules.rules()) {
            json.writeStartObject();
            json.writeStringField("longUrl", rule.longUrl());
            json.writeNumberField("priority", ++priority);
            json.writeArrayFieldStart("conditions");
            for (RedirectCondition condition : rule.conditions()) {
                json.writeStartObject();
                json.writeStringField("type", condition.type().wire);
                json.writeStringField("matchKey", condition.matchKey());
                json.writeStringField("matchValue", condition.matchValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
