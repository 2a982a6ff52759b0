package gotourl.store.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gotourl.link.RedirectCondition;
import gotourl.link.RedirectRule;
import gotourl.link.RedirectRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A link's redirect rules as {@code short_urls.redirect_rules} holds them (V9): JSON text,
 * {@code [{"longUrl": URL, "conditions": [{"type": "device", "matchKey": null, "matchValue":
 * "ios"}]}]} in priority order, the names Shlink's API gives them; null for none. Read back
 * through the model's checks, so a row no goto could have written is refused, naming why.
 */
final class RuleRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RuleRows() {}

    /** The column's text for {@code rules}: null when there are none. */
    static String toText(RedirectRules rules) {
        if (rules.isEmpty()) {
            return null;
        }
        ArrayNode list = MAPPER.createArrayNode();
        for (RedirectRule rule : rules.rules()) {
            ObjectNode node = list.addObject();
            node.put("longUrl", rule.longUrl());
            ArrayNode conditions = node.putArray("conditions");
            for (RedirectCondition condition : rule.conditions()) {
                conditions.addObject().put("type", condition.type().wire).put("matchKey", condition.matchKey())
                        .put("matchValue", condition.matchValue());
            }
        }
        return list.toString();
    }

    /** The rules of the column's {@code text} (null: none); throws {@link IllegalStateException} for text goto never writes. */
    static RedirectRules fromText(String code, String text) {
        if (text == null) {
            return RedirectRules.NONE;
        }
        try {
            JsonNode list = MAPPER.readTree(text);
            List<RedirectRule> rules = new ArrayList<>(list.size());
            for (JsonNode rule : list) {
                List<RedirectCondition> conditions = new ArrayList<>();
                for (JsonNode condition : rule.get("conditions")) {
                    RedirectCondition.Type type = RedirectCondition.Type.fromWire(condition.get("type").textValue());
                    if (type == null) {
                        throw new IllegalArgumentException("unknown condition type " + condition.get("type")
                                + " (a newer goto wrote it?)");
                    }
                    conditions.add(new RedirectCondition(type, condition.path("matchKey").textValue(),
                            condition.path("matchValue").textValue()));
                }
                rules.add(new RedirectRule(rule.get("longUrl").textValue(), conditions));
            }
            return new RedirectRules(rules);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("short_urls.redirect_rules of '" + code + "' is not a list of redirect rules goto"
                    + " writes: " + e.getMessage(), e);
        }
    }
}
