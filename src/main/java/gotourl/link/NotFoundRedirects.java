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

    /**
     * {@code target} with Shlink's placeholders filled in ({@code NotFoundRedirectResolver}):
     * {@code {DOMAIN}} becomes the {@code authority} asked for ({@code go.example.com:8080}) and
     * {@code {ORIGINAL_PATH}} the {@code path} asked for ({@code /a/b}, as sent), as they are in
     * the target's path (where a {@code //} they make is then one {@code /}) and URL-encoded in its
     * query; either may be written {@code {...}} or percent-encoded, as the long-URL rules keep it
     * in a path ({@code %7BDOMAIN%7D}). Elsewhere (scheme, host, fragment) they are left alone.
     * Returns {@code target} itself when it has neither.
     */
    public static String withPlaceholders(String target, String authority, String path) {
        if (!target.contains("DOMAIN") && !target.contains("ORIGINAL_PATH")) {
            return target;
        }
        int schemeEnd = target.indexOf("://");
        int pathStart = target.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (pathStart < 0) {
            return target;
        }
        int fragment = target.indexOf('#', pathStart);
        int end = fragment < 0 ? target.length() : fragment;
        int query = target.indexOf('?', pathStart);
        query = query >= end ? -1 : query;
        String pathPart = target.substring(pathStart, query < 0 ? end : query);
        String filledPath = fill(pathPart, authority, path);
        if (!filledPath.equals(pathPart)) {
            filledPath = filledPath.replace("//", "/");
        }
        StringBuilder out = new StringBuilder(target.length() + 64).append(target, 0, pathStart).append(filledPath);
        if (query >= 0) {
            java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
            out.append('?').append(fill(target.substring(query + 1, end), java.net.URLEncoder.encode(authority, utf8),
                    java.net.URLEncoder.encode(path, utf8)));
        }
        return out.append(target, end, target.length()).toString();
    }

    private static String fill(String part, String domain, String path) {
        for (String[] placeholder : new String[][] {{"DOMAIN", domain}, {"ORIGINAL_PATH", path}}) {
            String name = placeholder[0];
            part = part.replace("{" + name + "}", placeholder[1]).replace("%7B" + name + "%7D", placeholder[1])
                    .replace("%7b" + name + "%7d", placeholder[1]);
        }
        return part;
    }
}
