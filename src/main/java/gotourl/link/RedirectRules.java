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

    /**
     * The most UTF-8 bytes of text (long URLs, keys and values together) a link's rules hold: with
     * their lengths and types, the whole list fits one record of the data file (128 KiB), which
     * keeps it as one change.
     */
    public static final int MAX_TEXT_BYTES = 100_000;

    /** Throws {@link IllegalArgumentException} for more than {@link #MAX_RULES} rules or {@link #MAX_TEXT_BYTES}. */
    public RedirectRules {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a link takes at most " + MAX_RULES + " redirect rules, not " + rules.size());
        }
        rules = List.copyOf(rules);
        long text = 0;
        for (RedirectRule rule : rules) {
            text += utf8Bytes(rule.longUrl());
            for (RedirectCondition condition : rule.conditions()) {
                text += utf8Bytes(condition.matchKey()) + utf8Bytes(condition.matchValue());
            }
        }
        if (text > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("a link's redirect rules hold at most " + MAX_TEXT_BYTES
                    + " bytes of URLs, keys and values (UTF-8) in all, not " + text);
        }
    }

    private static int utf8Bytes(String text) {
        return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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
