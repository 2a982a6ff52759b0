package gotourl.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answer as Shlink gives it: RFC 9457 problem details ({@code application/problem+json})
 * whose {@code type} is {@code https://shlink.io/api/error/<code>}, with Shlink's {@code title} for
 * that code, a {@code detail} saying what was wrong and what to do, the {@code status}, and the
 * code's extra members ({@code invalidElements}, {@code shortCode}, {@code customSlug}...).
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String TYPE_PREFIX = "https://shlink.io/api/error/";

    final int status;
    final String code;
    final String title;
    final transient Map<String, Object> extra;

    Problem(int status, String code, String title, String detail, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.extra = extra == null ? Map.of() : extra;
    }

    String detail() {
        return getMessage();
    }

    /** The problem document, members in Shlink's order. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + code);
        body.put("title", title);
        body.put("detail", detail());
        body.put("status", status);
        body.putAll(extra);
        return body;
    }

    /** Shlink's {@code ValidationException}: 400 {@code invalid-data}, naming the fields. */
    static Problem invalidData(String detail, List<String> invalidElements) {
        return new Problem(400, "invalid-data", "Invalid data", detail, Map.of("invalidElements", List.copyOf(invalidElements)));
    }

    static Problem invalidData(String field, String detail) {
        return invalidData(detail, List.of(field));
    }

    /** Shlink's {@code MalformedBodyException}. */
    static Problem malformedBody(String detail) {
        return new Problem(400, "malformed-request-body", "Malformed request body", detail, null);
    }

    /** Shlink's {@code ShortUrlNotFoundException}. */
    static Problem shortUrlNotFound(String shortCode) {
        return new Problem(404, "short-url-not-found", "Short URL not found",
                "No URL found with short code \"" + shortCode + "\"", Map.of("shortCode", shortCode));
    }

    /** Shlink's {@code ShortUrlNotFoundException} for a short code asked for in a domain goto does not serve. */
    static Problem shortUrlNotFound(String shortCode, String domain) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("shortCode", shortCode);
        extra.put("domain", domain);
        return new Problem(404, "short-url-not-found", "Short URL not found",
                "No URL found with short code \"" + shortCode + "\" for domain \"" + domain + "\"", extra);
    }

    /** Shlink's {@code NonUniqueSlugException}. */
    static Problem nonUniqueSlug(String slug, String detail) {
        return new Problem(400, "non-unique-slug", "Invalid custom slug", detail, Map.of("customSlug", slug));
    }

    /** Shlink's {@code TagNotFoundException}. */
    static Problem tagNotFound(String tag) {
        return new Problem(404, "tag-not-found", "Tag not found", "Tag with name \"" + tag + "\" could not be found",
                Map.of("tag", tag));
    }

    /** Shlink's {@code TagConflictException}. */
    static Problem tagConflict(String oldName, String newName) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("oldName", oldName);
        extra.put("newName", newName);
        return new Problem(409, "tag-conflict", "Tag conflict", "You cannot rename tag " + oldName + " to " + newName
                + ", because it already exists", extra);
    }

    /** Shlink's {@code ForbiddenTagOperationException}. */
    static Problem forbiddenTagOperation(String detail) {
        return new Problem(403, "forbidden-tag-operation", "Forbidden tag operation", detail, null);
    }

    /** Shlink's {@code DeleteShortUrlException}: 422 when the link has more visits than the threshold. */
    static Problem deletionRefused(String shortCode, int threshold) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("shortCode", shortCode);
        extra.put("threshold", threshold);
        return new Problem(422, "invalid-short-url-deletion", "Cannot delete short URL", "Impossible to delete short URL"
                + " with short code \"" + shortCode + "\", since it has more than \"" + threshold + "\" visits.", extra);
    }

    /** Shlink's {@code MissingAuthenticationException}. */
    static Problem missingAuthentication(String detail) {
        return new Problem(401, "missing-authentication", "Invalid authorization", detail,
                Map.of("expectedHeaders", List.of("X-Api-Key")));
    }

    /**
     * Shlink's {@code MissingAuthenticationException::forQueryParam('apiKey')}: {@code GET
     * /short-urls/shorten} without a key, with Shlink's detail and its {@code param} member.
     */
    static Problem missingQueryAuthentication() {
        return new Problem(401, "missing-authentication", "Invalid authorization",
                "Expected authentication to be provided in \"apiKey\" query param", Map.of("param", "apiKey"));
    }

    /** Shlink's {@code VerifyAuthenticationException}. */
    static Problem invalidApiKey(String detail) {
        return new Problem(401, "invalid-api-key", "Invalid API key", detail, null);
    }

    /** Shlink's 404 for a route that does not exist. */
    static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, null);
    }

    /**
     * Shlink's answer to {@code GET /mercure-info} when it has no Mercure hub: 501
     * {@code mercure-not-configured} (Shlink's {@code MercureException}). Its clients take it as
     * "no real-time updates" and poll; goto's own live feed is {@code GET /events}.
     */
    static Problem mercureNotConfigured() {
        return new Problem(501, "mercure-not-configured", "Mercure integration not configured",
                "This Shlink instance is not integrated with a mercure hub. goto has none: its live feed of new links"
                        + " and visits is GET /rest/v3/events (Server-Sent Events)", null);
    }

    /** A method the route does not take; Shlink answers 405 with an {@code Allow} header. */
    static Problem methodNotAllowed(String method, String allowed) {
        return new Problem(405, "method-not-allowed", "Method not allowed", "method " + method
                + " is not allowed here; use " + allowed, Map.of());
    }

    static Problem tooLarge(long length, int max) {
        return new Problem(413, "request-too-large", "Request body too large", "the body is "
                + (length >= 0 ? length + " bytes" : "too large") + "; the limit is " + max + " bytes", null);
    }

    /**
     * goto's own: 415 for a body sent in a content coding (gzip...) goto does not decode (RFC 9110
     * §15.5.16); the answer carries {@code Accept-Encoding: identity} (RFC 7694 §3). Shlink has no
     * such answer, hence goto's own code.
     */
    static Problem unsupportedCoding(String detail) {
        return new Problem(415, "unsupported-content-encoding", "Unsupported content encoding", detail, null);
    }

    /** goto's own: 415 for a body in a media type the route does not read (RFC 9110 §15.5.16); the detail names the one it reads. */
    static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, null);
    }

    static Problem unavailable(String detail) {
        return new Problem(503, "service-unavailable", "Service unavailable", detail, null);
    }

    static Problem internal(String detail) {
        return new Problem(500, "internal-error", "Internal error", detail, null);
    }
}
