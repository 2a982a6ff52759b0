package gotourl.visits;

/**
 * What a request hands the {@link Tracker}: the one object a redirect allocates for its visit.
 * Every field is a reference the request already holds (header values, the URI's parts, the link
 * it resolved); nothing is parsed, copied or built here, which the worker does later.
 *
 * @param timeMillis        when the request was answered, epoch milliseconds
 * @param type              valid short URL or which kind of orphan
 * @param shortCode         the link's short code; null for orphan visits
 * @param linkCreatedMillis the visited link's creation time, epoch milliseconds: with the short
 *                          code it names one life of the link, so that the visits of a deleted
 *                          custom slug never count for a new link that claims the slug again
 *                          (Shlink deletes a short URL's visits with it); 0 for orphans
 * @param path              the request's path, as received (orphans report it as visitedUrl)
 * @param query             the request's query string without '?', or null
 * @param referer           the {@code Referer} header, or null
 * @param userAgent         the {@code User-Agent} header, or null
 * @param redirectUrl       the {@code Location} answered, or null when there was no redirect
 */
public record VisitEvent(long timeMillis, VisitType type, String shortCode, long linkCreatedMillis, String path,
                         String query, String referer, String userAgent, String redirectUrl) {

    /** A redirect of {@code shortCode} (created at {@code linkCreatedMillis}) to {@code redirectUrl}. */
    public static VisitEvent redirect(long timeMillis, String shortCode, long linkCreatedMillis, String path, String query,
                                      String referer, String userAgent, String redirectUrl) {
        return new VisitEvent(timeMillis, VisitType.VALID_SHORT_URL, shortCode, linkCreatedMillis, path, query, referer,
                userAgent, redirectUrl);
    }

    /** A request answered 404 (or the base URL), of orphan {@code type}. */
    public static VisitEvent orphan(long timeMillis, VisitType type, String path, String query, String referer,
                                    String userAgent) {
        if (!type.isOrphan()) {
            throw new IllegalArgumentException("an orphan visit needs an orphan type, not " + type);
        }
        return new VisitEvent(timeMillis, type, null, 0, path, query, referer, userAgent, null);
    }
}
