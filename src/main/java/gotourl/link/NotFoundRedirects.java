package gotourl.link;

/**
 * Where a visitor goes instead of a 404 page, as Shlink's "not found" redirects
 * ({@code NotFoundRedirects}, set through {@code PATCH /rest/v3/domains/redirects}): each is an
 * absolute URL, or null for the 404 page goto shows otherwise.
 *
 * @param baseUrlRedirect         for the base URL, {@code /} (which goto otherwise answers with its form)
 * @param regular404Redirect      for a path of two or more segments that is nothing of goto's
 *                                ({@code /a/b}): Shlink's {@code regular_404}
 * @param invalidShortUrlRedirect for a one-segment path that is no link goto would redirect
 *                                (unknown, deleted, expired, out of visits): Shlink's {@code invalid_short_url}
 */
public record NotFoundRedirects(String baseUrlRedirect, String regular404Redirect, String invalidShortUrlRedirect) {
    /** None set: every not-found answers goto's 404 page, and {@code /} the form. */
    public static final NotFoundRedirects NONE = new NotFoundRedirects(null, null, null);

    /** The longest redirect URL taken, in characters: as a long URL ({@link LongUrlRules#MAX_URL_CHARS}). */
    public static final int MAX_URL_CHARS = LongUrlRules.MAX_URL_CHARS;

    /** Throws {@link IllegalArgumentException} for an empty URL or one longer than {@link #MAX_URL_CHARS}. */
    public NotFoundRedirects {
        check("baseUrlRedirect", baseUrlRedirect);
        check("regular404Redirect", regular404Redirect);
        check("invalidShortUrlRedirect", invalidShortUrlRedirect);
    }

    private static void check(String field, String url) {
        if (url != null && (url.isEmpty() || url.length() > MAX_URL_CHARS)) {
            throw new IllegalArgumentException(field + " must be a URL of 1 to " + MAX_URL_CHARS + " characters, not one of "
                    + url.length());
        }
    }

    /** True when none is set. */
    public boolean isEmpty() {
        return baseUrlRedirect == null && regular404Redirect == null && invalidShortUrlRedirect == null;
    }

    /**
     * Where a not-found {@code path} ({@code /...}, as requested, without the query) goes, or null
     * for goto's own answer: {@code /} is the base URL, one segment an invalid short URL, more a
     * regular 404, as Shlink classifies them (and as goto records their orphan visits).
     */
    public String forPath(String path) {
        if (path.equals("/")) {
            return baseUrlRedirect;
        }
        return path.indexOf('/', 1) < 0 ? invalidShortUrlRedirect : regular404Redirect;
    }
}
