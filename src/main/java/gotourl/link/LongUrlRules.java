package gotourl.link;

/**
 * Decides whether a long URL may be stored, and in what form, by one rule: the WHATWG URL
 * Standard, which browsers follow. goto stores every absolute http or https URL a browser would
 * open, in the form the browser would go to (its serialization: ASCII, the host in IDNA form),
 * except three: a URL with a user name or password (goto does not store credentials), one that
 * points at this goto (it would redirect in a loop), and one longer than {@value #MAX_URL_CHARS}
 * characters. Every refusal says why, in words a person can act on.
 */
public final class LongUrlRules {
    /** Longest URL goto stores, in characters, as sent and as stored (percent-encoding lengthens). */
    public static final int MAX_URL_CHARS = 8192;

    /** The URL to store, or the reason it was refused (exactly one is set). */
    public record Verdict(String url, String problem) {
        public boolean accepted() {
            return url != null;
        }

        static Verdict refuse(String problem) {
            return new Verdict(null, problem);
        }
    }

    private final SelfAddresses self;

    /** Rules that refuse links to {@code self}. */
    public LongUrlRules(SelfAddresses self) {
        this.self = self;
    }

    /** The verdict on {@code raw}, as typed or sent; never throws. */
    public Verdict check(String raw) {
        if (raw == null || raw.isBlank()) {
            return Verdict.refuse("missing url: send the long URL in the field 'url', e.g. url=https://example.com/page");
        }
        if (raw.length() > MAX_URL_CHARS) {
            return tooLong(raw.length(), "");
        }
        WebUrl url;
        try {
            url = WebUrl.parse(raw);
        } catch (InvalidUrlException e) {
            return Verdict.refuse(switch (e.kind()) {
                case SCHEME -> "url scheme " + InvalidUrlException.quoted(e.getMessage())
                        + " is not allowed: goto only links to http:// and https:// URLs";
                case NOT_ABSOLUTE -> e.getMessage();
                case NO_HOST, HOST, PORT -> e.getMessage() + "; browsers refuse this URL too";
            });
        }
        if (url.hasCredentials()) {
            return Verdict.refuse("url contains a user name or password (user@host); goto does not store credentials");
        }
        String href = url.hrefEquals(raw) ? raw : url.href();
        if (href.length() > MAX_URL_CHARS) {
            return tooLong(href.length(), " once percent-encoded, as a browser sends it");
        }
        SelfAddresses.Endpoint endpoint = self.reachedBy(url);
        if (endpoint != null) {
            return Verdict.refuse("url points at this goto (" + endpoint.shownAs()
                    + "); a short link to a short link would redirect in a loop");
        }
        return new Verdict(href, null);
    }

    private static Verdict tooLong(int length, String how) {
        return Verdict.refuse("url is " + length + " characters long" + how + "; the limit is " + MAX_URL_CHARS);
    }
}
