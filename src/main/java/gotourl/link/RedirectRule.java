package gotourl.link;

import java.util.List;

/**
 * One of a link's redirect rules, as Shlink 4's {@code ShortUrlRedirectRule}: a visit whose
 * request meets all of its conditions goes to {@code longUrl} instead of the link's own. Its
 * priority is its place in the link's list ({@link RedirectRules}), from 1.
 *
 * @param longUrl    where a matching visit goes: a long URL as {@link LongUrlRules} takes it (the
 *                   caller checks it; here it must be one a store can hold, {@link LongUrls#problem})
 * @param conditions at least one and at most {@link #MAX_CONDITIONS}; a rule without any never
 *                   matches in Shlink, so goto refuses it
 */
public record RedirectRule(String longUrl, List<RedirectCondition> conditions) {
    /** The most conditions a rule takes: bounded, as everything a client sends. */
    public static final int MAX_CONDITIONS = 32;

    /** Throws {@link IllegalArgumentException} for an empty URL or one no store holds, no conditions or too many. */
    public RedirectRule {
        if (longUrl == null || longUrl.isEmpty()) {
            throw new IllegalArgumentException("a redirect rule needs a longUrl");
        }
        String unfit = LongUrls.problem(longUrl);
        if (unfit != null) {
            throw new IllegalArgumentException("a redirect rule's longUrl: " + unfit);
        }
        if (conditions == null || conditions.isEmpty()) {
            throw new IllegalArgumentException("a redirect rule needs at least one condition (one without any never matches)");
        }
        if (conditions.size() > MAX_CONDITIONS) {
            throw new IllegalArgumentException("a redirect rule takes at most " + MAX_CONDITIONS + " conditions, not "
                    + conditions.size());
        }
        conditions = List.copyOf(conditions);
    }

    /** Whether {@code request} meets every condition. */
    public boolean matches(RuleRequest request) {
        for (RedirectCondition condition : conditions) {
            if (!condition.matches(request)) {
                return false;
            }
        }
        return true;
    }
}
