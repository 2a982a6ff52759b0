package gotourl.store;

import gotourl.link.RedirectCondition;
import gotourl.link.RedirectRule;
import gotourl.link.RedirectRules;
import java.util.List;

/** Redirect rules of every condition type goto keeps, for the stores' tests. */
public final class RedirectRulesFixture {
    private RedirectRulesFixture() {}

    /** Four rules: iOS, a language, a query parameter (with a non-ASCII value), an address block. */
    public static final RedirectRules FOUR = new RedirectRules(List.of(
            new RedirectRule("https://apps.apple.com/app/id1", List.of(new RedirectCondition(RedirectCondition.Type.DEVICE, null, "ios"))),
            new RedirectRule("https://example.com/de", List.of(new RedirectCondition(RedirectCondition.Type.LANGUAGE, null, "de-DE"),
                    new RedirectCondition(RedirectCondition.Type.ANY_VALUE_QUERY_PARAM, "ref", null))),
            new RedirectRule("https://example.com/promo", List.of(new RedirectCondition(RedirectCondition.Type.QUERY_PARAM, "campaign", "été"),
                    new RedirectCondition(RedirectCondition.Type.VALUELESS_QUERY_PARAM, "x", null))),
            new RedirectRule("https://example.com/office", List.of(new RedirectCondition(RedirectCondition.Type.IP_ADDRESS, null, "10.1.*.*")))));

    /** One rule: Android. */
    public static final RedirectRules ANDROID = new RedirectRules(List.of(
            new RedirectRule("https://play.google.com/store/apps/details?id=x",
                    List.of(new RedirectCondition(RedirectCondition.Type.DEVICE, null, "android")))));
}
