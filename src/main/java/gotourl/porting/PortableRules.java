package gotourl.porting;

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
 * A link's redirect rules in goto's JSON Lines export: {@code "redirectRules": [{"longUrl": URL,
 * "conditions": [{"type", "matchKey", "matchValue"}]}]} in priority order, the shape Shlink's
 * {@code POST /short-urls/{shortCode}/redirect-rules} takes. Read with the checks the model makes
 * (the rule URLs' own rules are the import's, {@link #checked}).
 */
final class PortableRules {
    static final String FIELD = "redirectRules";

    private PortableRules() {}

    /** Writes {@code rules} as the field {@link #FIELD}. */
    static void write(JsonGenerator json, RedirectRules rules) throws IOException {
        json.writeArrayFieldStart(FIELD);
        for (RedirectRule rule : rules.rules()) {
            json.writeStartObject();
            json.writeStringField("longUrl", rule.longUrl());
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
    }

    /**
     * The rules of {@code node} (absent or null: none); throws {@link IllegalArgumentException}
     * naming the rule and what is wrong, for a line the import reports as invalid.
     */
    static RedirectRules read(JsonNode node) {
        if (node == null || node.isNull()) {
            return RedirectRules.NONE;
        }
        if (!node.isArray() || node.size() > RedirectRules.MAX_RULES) {
            throw new IllegalArgumentException(FIELD + " must be an array of at most " + RedirectRules.MAX_RULES
                    + " rules, each {\"longUrl\", \"conditions\": [{\"type\", \"matchKey\", \"matchValue\"}]}");
        }
        List<RedirectRule> rules = new ArrayList<>(node.size());
        for (int r = 0; r < node.size(); r++) {
            String where = FIELD + ", rule " + (r + 1);
            JsonNode rule = node.get(r);
            JsonNode conditions = rule.path("conditions");
            if (!rule.path("longUrl").isTextual() || !conditions.isArray()) {
                throw new IllegalArgumentException(where + ": needs a \"longUrl\" and an array of \"conditions\"");
            }
            List<RedirectCondition> parsed = new ArrayList<>(conditions.size());
            try {
                for (JsonNode condition : conditions) {
                    RedirectCondition.Type type = RedirectCondition.Type.fromWire(condition.path("type").asText(null));
                    if (type == null) {
                        throw new IllegalArgumentException("a condition of unknown type " + condition.path("type"));
                    }
                    parsed.add(new RedirectCondition(type, text(condition.get("matchKey")), text(condition.get("matchValue"))));
                }
                // The URL as written: the import's URL rules judge it (checked) before it is kept.
                rules.add(new RedirectRule(rule.get("longUrl").textValue(), parsed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return new RedirectRules(rules);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /**
     * {@code rules} with each long URL in the form {@code urls} give it; throws
     * {@link IllegalArgumentException} naming the first they refuse.
     */
    static RedirectRules checked(RedirectRules rules, LongUrlRules urls) {
        if (rules.isEmpty()) {
            return rules;
        }
        List<RedirectRule> checked = new ArrayList<>(rules.rules().size());
        for (int r = 0; r < rules.rules().size(); r++) {
            RedirectRule rule = rules.rules().get(r);
            LongUrlRules.Verdict verdict = urls.check(rule.longUrl());
            if (!verdict.accepted()) {
                throw new IllegalArgumentException(FIELD + ", rule " + (r + 1) + ": " + verdict.problem());
            }
            checked.add(new RedirectRule(verdict.url(), rule.conditions()));
        }
        return new RedirectRules(checked);
    }
}
