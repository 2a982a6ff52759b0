package gotourl.visits;

import java.time.Instant;

/** Visits built for tests, with readable defaults. */
final class SomeVisits {
    static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private SomeVisits() {}

    static Visit link(String code, long created, Instant at, boolean bot) {
        return new Visit(VisitType.VALID_SHORT_URL, code, created, at, "https://t.co/abc", bot ? GOOGLEBOT : FIREFOX, bot,
                "/" + code, "https://example.com/" + code, bot ? "Googlebot" : "Firefox", bot ? "Unknown" : "Linux", "t.co");
    }

    static Visit link(String code, Instant at) {
        return link(code, 1, at, false);
    }

    static Visit orphan(VisitType type, String path, Instant at, boolean bot) {
        return new Visit(type, null, 0, at, "", bot ? GOOGLEBOT : FIREFOX, bot, path, null, bot ? "Googlebot" : "Firefox",
                "Linux", "");
    }

    /** A classifier that needs no rules: agents containing "bot" are bots. */
    static UserAgents simpleAgents() {
        return UserAgents.using(ua -> new UserAgents.Agent(ua.toLowerCase().contains("bot"),
                ua.toLowerCase().contains("bot") ? "Googlebot" : "Firefox", "Linux"));
    }
}
