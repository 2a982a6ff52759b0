package gotourl.http;

import gotourl.link.ForwardedQuery;
import gotourl.link.Link;
import gotourl.ops.Metrics;
import gotourl.ops.Metrics.Route;
import gotourl.store.LinkStore;
import java.time.Clock;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /CODE}: a redirect to the link's long URL (302 unless {@code -redirect-status} says
 * otherwise), or 404. The hot path: one lock-free lookup, and for a plain link no clock and no
 * query work unless the request has a query string.
 *
 * <p>A link that is unknown, deleted, not yet valid or expired answers the same 404 page, so the
 * answer tells a visitor nothing about which (as Shlink does). HEAD answers as GET, without a body.
 */
public final class RedirectRoute {
    /** The statuses a redirect may use: temporary (302, 307) or permanent (301, 308), as Shlink allows. */
    public static final java.util.Set<Integer> STATUSES = java.util.Set.of(301, 302, 307, 308);
    /**
     * Shlink's {@code redirect_cache_lifetime}: browsers cache a permanent redirect for good, so
     * goto lets them keep it 30 seconds and only for the one visitor, and an edit takes effect soon.
     */
    private static final HttpField PERMANENT_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "private, max-age=30");

    private final Metrics metrics;
    private final Clock clock;
    private final int status;
    private final HttpField cacheControl;

    /**
     * @param status the redirect status, one of {@link #STATUSES}
     * @param clock  the time links' validity is checked against
     */
    public RedirectRoute(Metrics metrics, int status, Clock clock) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("a redirect status is 301, 302, 307 or 308, not " + status);
        }
        this.metrics = metrics;
        this.clock = clock;
        this.status = status;
        this.cacheControl = status == 301 || status == 308 ? PERMANENT_CACHE : null;
    }

    void handle(Request request, Response response, Callback callback, String path, LinkStore store, long start) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            metrics.request(Route.REDIRECT, Responses.methodNotAllowed(response, callback, method, "GET, HEAD"), start);
            return;
        }
        String code = path.substring(1);
        Link link = store.lookup(code);
        if (link == null || !allowed(link)) {
            metrics.request(Route.REDIRECT, Responses.html(response, callback, 404, Pages.notFound(code)), start);
            return;
        }
        String location = link.forwardQuery() ? ForwardedQuery.location(link.longUrl(), request.getHttpURI().getQuery())
                : link.longUrl();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        if (cacheControl != null) {
            response.getHeaders().put(cacheControl);
        }
        // An empty last write, not callback.succeeded(): succeeding the callback of an unwritten
        // response makes Jetty write it while it completes the stream, and when the previous
        // response on the connection was written from another thread (a durable add answered
        // after its group commit), that raced and lost a response now and then.
        response.write(true, null, callback);
        metrics.request(Route.REDIRECT, status, start);
    }

    /**
     * Whether {@code link} may redirect now. The one place a redirect is decided: the visit limit
     * ({@code maxVisits}) is checked here too once visits are counted.
     */
    private boolean allowed(Link link) {
        return !link.hasValidity() || link.activeAt(clock.millis());
    }
}
