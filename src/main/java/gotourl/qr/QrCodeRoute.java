package gotourl.qr;

import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.ShortUrlBase;
import gotourl.link.Link;
import gotourl.link.ShortCodes;
import gotourl.store.LinkStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /{shortCode}/qr-code}: the QR code of a link's short URL (built from {@code -host}),
 * as Shlink answered it before 5.0, with its query parameters ({@link QrParams}).
 *
 * <p>The link is looked up on the calling (selector) thread, as a redirect does; a link a redirect
 * would answer 404 for (unknown, deleted, not yet or no longer valid, out of visits) is reported
 * back to the caller, which answers the same 404 page. Drawing runs on Jetty's thread pool, off
 * the selectors. The image depends only on the short URL and the parameters, so it is cacheable:
 * a strong {@code ETag} over both, {@code If-None-Match} answered 304 before any drawing, and
 * {@code Cache-Control: public, max-age=3600}.
 */
public final class QrCodeRoute {
    private static final Logger LOG = LoggerFactory.getLogger("goto.qr");
    /** The path segment after the short code, as Shlink's route {@code /{shortCode}/qr-code}. */
    public static final String SUFFIX = "/qr-code";
    /** An hour: a code's image never changes while its link lives, and a deleted link drops out within it. */
    private static final HttpField CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
    private static final HttpField PROBLEM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/problem+json");
    /**
     * The mapper of problem bodies, made at the first one rather than with this class, which every
     * start loads: the process's first ObjectMapper (Jackson's classes loaded and set up) was a
     * sixth of the main thread's work in a start with one link.
     */
    private static final class Problems {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final ShortUrlBase base;
    private final Clock clock;

    /**
     * @param base  what short URLs start with ({@code -host}): the text each code encodes
     * @param clock the time links' validity is judged at, as the redirect's
     */
    public QrCodeRoute(ShortUrlBase base, Clock clock) {
        this.base = base;
        this.clock = clock;
    }

    /**
     * The short code of a path {@code /CODE/qr-code} (percent-encoded, as it came), decoded as a
     * redirect decodes it ({@link ShortCodes#fromPathSegment}: {@code /%61/qr-code} is the code
     * {@code a}), or as it came if its escapes are malformed (a code no link has); null when the
     * path is not one. The path is split before decoding, so {@code %2F} never makes a segment.
     */
    public static String codeOf(String path) {
        if (!path.endsWith(SUFFIX) || path.length() <= SUFFIX.length() + 1) {
            return null;
        }
        String code = path.substring(1, path.length() - SUFFIX.length());
        if (code.indexOf('/') >= 0) {
            return null;
        }
        String decoded = ShortCodes.fromPathSegment(code);
        return decoded != null ? decoded : code;
    }

    /**
     * Answers the QR code of {@code code}, calling {@code done} with the status once written.
     * Returns false, having written nothing, when no link a redirect would follow has that code:
     * the caller answers its 404 then.
     */
    public boolean handle(Request request, Response response, Callback callback, String code, LinkStore store,
                          IntConsumer done) {
        Link link = store.lookup(code);
        if (link == null || link.hasValidity() && !link.activeAt(clock.millis())
                || link.maxVisits() != null && store.visitsCounted(link) >= link.maxVisits()) {
            return false;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            done.accept(text(response, callback, 405, "method " + method + " is not allowed here; use GET or HEAD\n"));
            return true;
        }
        QrParams params;
        try {
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            params = QrParams.parse(query);
        } catch (QrParams.InvalidParameter invalid) {
            done.accept(invalid(response, callback, invalid));
            return true;
        } catch (RuntimeException badEncoding) {
            done.accept(problem(response, callback, "the query string is not valid URL encoding: " + badEncoding.getMessage()
                    + "; percent-encode it as UTF-8", List.of("query")));
            return true;
        }
        String shortUrl = base.shortUrl(link.shortCode());
        String etag = params.etag(shortUrl);
        response.getHeaders().put(CACHE);
        response.getHeaders().put(HttpHeader.ETAG, etag);
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.write(true, null, callback);
            done.accept(304);
            return true;
        }
        boolean head = method.equals("HEAD");
        request.getContext().execute(() -> {
            try {
                byte[] image = QrCodes.draw(shortUrl, params);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, params.mediaType());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, image.length);
                response.write(true, head ? null : ByteBuffer.wrap(image), callback);
                done.accept(200);
            } catch (QrParams.InvalidParameter invalid) {
                response.getHeaders().remove(HttpHeader.ETAG);
                response.getHeaders().remove(HttpHeader.CACHE_CONTROL);
                done.accept(invalid(response, callback, invalid));
            } catch (RuntimeException | Error failure) {
                LOG.error("drawing the QR code of {} failed", shortUrl, failure);
                response.getHeaders().remove(HttpHeader.ETAG);
                response.getHeaders().remove(HttpHeader.CACHE_CONTROL);
                done.accept(text(response, callback, 500, "goto could not draw this QR code (" + failure
                        + "); its log has the details. Retry, or report it to goto's operator.\n"));
            }
        });
        return true;
    }

    /** RFC 9110 §13.1.2: a list of entity tags, or {@code *}, compared weakly. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.startsWith("W/") && t.substring(2).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static int invalid(Response response, Callback callback, QrParams.InvalidParameter invalid) {
        return problem(response, callback, invalid.getMessage(), invalid.parameters());
    }

    /** Shlink's {@code invalid-data} problem (RFC 9457), as its REST API answers bad input. */
    private static int problem(Response response, Callback callback, String detail, List<String> invalidElements) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://shlink.io/api/error/invalid-data");
        body.put("title", "Invalid data");
        body.put("detail", detail);
        body.put("status", 400);
        body.put("invalidElements", invalidElements);
        byte[] bytes;
        try {
            bytes = Problems.JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatus(400);
        response.getHeaders().put(PROBLEM);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return 400;
    }

    private static int text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        org.eclipse.jetty.io.Content.Sink.write(response, true, body, callback);
        return status;
    }
}
