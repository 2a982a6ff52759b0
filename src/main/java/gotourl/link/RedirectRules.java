package gotourl.link;

import java.util.List;

/**
 * A link's whole ordered list of redirect rules, as Shlink 4 sets it through
 * {@code POST /short-urls/{shortCode}/redirect-rules}: the first rule whose conditions a request
 * all meets gives the long URL, else the link's own does ({@code ShortUrlRedirectionResolver}).
 * Immutable: a change replaces the whole list, so a reader never sees half of one.
 *
 * @param rules in priority order (the first is Shlink's priority 1); at most {@link #MAX_RULES}
 */
public record RedirectRules(List<RedirectRule> rules) {
    /** No rules: every visit goes to the link's own long URL. */
    public static final RedirectRules NONE = new RedirectRules(List.of());
    /** The most rules a link takes: bounded, as everything a client sends. */
    public static final int MAX_RULES = 100;

    /** Throws {@link IllegalArgumentException} for more than {@link #MAX_RULES} rules. */
    public RedirectRules {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a link takes at most " + MAX_RULES + " redirect rules, not " + rules.size());
        }
        rules = List.copyOf(rules);
    }

    /** True when there is no rule. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The long URL of the first rule {@code request} matches, or {@code defaultUrl} when none does. */
    public String longUrlFor(RuleRequest request, String defaultUrl) {
        for (RedirectRule rule : rules) {
            if (rule.matches(request)) {
                return rule.longUrl();
            }
        }
        return defaultUrl;
    }
}
