package gotourl.http;

import gotourl.link.ForwardedQuery;
import gotourl.link.Link;
import gotourl.link.NotFoundRedirects;
import gotourl.link.ShortCodes;
import gotourl.ops.ErrorLog;
import gotourl.ops.LogLimiter;
import gotourl.ops.Metrics;
import gotourl.ops.Metrics.Route;
import gotourl.protect.ProtectedRoute;
import gotourl.store.LinkIndex;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import gotourl.visits.Tracker;
import gotourl.visits.VisitEvent;
import gotourl.visits.VisitType;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /CODE}: a redirect to the link's long URL (302 unless {@code -redirect-status} says
 * otherwise), or 404. The hot path: one lock-free lookup, and for a plain link (the most common:
 * what {@code /add} makes) no {@link Link} built, no clock and no query work unless the request
 * has a query string: its URL and creation time are read straight from the index
 * ({@link LinkIndex#plainEntry}). Only a link that carries more is looked up whole; a link with
 * Shlink 4's redirect rules is such a link (never plain), and goes to the long URL of its first
 * rule the request meets, else to its own.
 *
 * <p>The code is the path's one segment percent-decoded as UTF-8 ({@link ShortCodes#fromPathSegment}),
 * as the seed's {@code r.URL.Path} is: {@code /%61} redirects as {@code /a} does. Jetty answers
 * 400 before it gets here for a malformed escape ({@code /%zz}, as Go's server does) and for an
 * encoded slash ({@code /a%2Fb}: no route is reached through one).
 *
 * <p>A link that is unknown, deleted, not yet valid, expired or out of visits answers the same 404
 * page, so the answer tells a visitor nothing about which (as Shlink does). HEAD answers as GET,
 * without a body, and is neither tracked nor counted.
 *
 * <p>Visits. A GET hands the {@link Tracker} one event holding what the request already has (the
 * time, the code, the raw {@code Referer} and {@code User-Agent}, the answer) and returns: the
 * offer never blocks, and a full queue drops the event, never the redirect. A 404 is an orphan
 * visit: {@code invalid_short_url} for a one-segment path (where a short code would be),
 * {@code regular_404} for a longer one, as Shlink classifies them. {@code ?nostat} skips tracking and is not forwarded. The
 * client's address is read only for a link with redirect rules (whose {@code ip-address}
 * conditions compare it). A link with {@code maxVisits} is different: its visit must be
 * counted exactly, so the redirect reserves it in the link store ({@link LinkStore#reserveVisit})
 * and answers when the store has kept it, from the store's thread; no thread waits meanwhile.
 *
 * <p>Shlink's tracking pixel, {@code /CODE/track}, is answered here too ({@link #pixel}): no code
 * holds a {@code /}, so such a path is a miss, and only a miss looks for the pixel's suffix.
 *
 * <p>A password-protected link answers its password page instead ({@link ProtectedRoute}), to GET
 * and HEAD alike, and takes the page's form as {@code POST /CODE}; a right password gets the
 * redirect a GET would (tracked, counted) with 303. Telling the two kinds apart costs the redirect
 * of a plain link one field read. Without a {@link ProtectedRoute} (tests of the redirect alone)
 * a protected link answers 404: it never redirects without its password.
 */
public final class RedirectRoute {
    /** The statuses a redirect may use: temporary (302, 307) or permanent (301, 308), as Shlink allows. */
    public static final java.util.Set<Integer> STATUSES = java.util.Set.of(301, 302, 307, 308);
    /**
     * Shlink's {@code redirect_cache_lifetime}: browsers cache a permanent redirect for good, so
     * goto lets them keep it 30 seconds and only for the one visitor, and an edit takes effect soon.
     */
    private static final HttpField PERMANENT_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "private, max-age=30");
    /** A limited link's redirect is never cached: each visit must reach goto to be counted. */
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    /** An unlocked link's redirect tells its site nothing of the password page it came from. */
    private static final HttpField NO_REFERRER = new PreEncodedHttpField("Referrer-Policy", "no-referrer");

    private final Metrics metrics;
    private final ErrorLog errors;
    private final Clock clock;
    private final int status;
    private final HttpField cacheControl;
    private final ProtectedRoute protect;
    /** Where a not-found goes instead of the 404 page: the open store's, once goto is open. */
    private volatile Supplier<NotFoundRedirects> notFoundRedirects = () -> NotFoundRedirects.NONE;

    /**
     * @param status the redirect status, one of {@link #STATUSES}
     * @param clock  the time links' validity is checked against, and visits are stamped with
     */
    public RedirectRoute(Metrics metrics, int status, Clock clock) {
        this(metrics, status, clock, new ErrorLog(LogLimiter.perMinute()));
    }

    /** As {@link #RedirectRoute(Metrics, int, Clock)}, reporting internal errors of counted redirects to {@code errors}. */
    public RedirectRoute(Metrics metrics, int status, Clock clock, ErrorLog errors) {
        this(metrics, status, clock, errors, null);
    }

    /** As {@link #RedirectRoute(Metrics, int, Clock, ErrorLog)}, with protected links' page and form answered by {@code protect}. */
    public RedirectRoute(Metrics metrics, int status, Clock clock, ErrorLog errors, ProtectedRoute protect) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("a redirect status is 301, 302, 307 or 308, not " + status);
        }
        this.metrics = metrics;
        this.errors = errors;
        this.clock = clock;
        this.status = status;
        this.cacheControl = status == 301 || status == 308 ? PERMANENT_CACHE : null;
        this.protect = protect;
    }

    /** As {@link #handle(Request, Response, Callback, String, LinkStore, Tracker, long)}, tracking nothing. */
    void handle(Request request, Response response, Callback callback, String path, LinkStore store, long start) {
        handle(request, response, callback, path, store, null, start);
    }

    /** Answers {@code path}; {@code tracker} is where visits go, or null when {@code -track=false}. */
    void handle(Request request, Response response, Callback callback, String path, LinkStore store, Tracker tracker,
                long start) {
        String method = request.getMethod();
        boolean get = method.equals("GET");
        if (!get && !method.equals("HEAD")) {
            if (method.equals("POST") && unlock(request, response, callback, path, store, tracker, start)) {
                return;
            }
            metrics.request(Route.REDIRECT, Responses.methodNotAllowed(response, callback, method, "GET, HEAD"), start);
            return;
        }
        String code = path.substring(1);
        String query = request.getHttpURI().getQuery();
        boolean noStat = ForwardedQuery.has(query, Tracker.NO_STAT_PARAM);
        Tracker visits = get && !noStat ? tracker : null;
        LinkIndex index = store.redirectIndex();
        long plain = index == null ? 0 : index.plainEntry(code);
        if (plain == 0 && code.indexOf('%') >= 0) {
            // An escaped code (/%61 is /a): no code holds a '%', so only a miss looks for one and
            // a found link's redirect pays nothing for it. Routing was done on the path as sent,
            // so an encoded '/' stays inside the code, which then matches no link.
            String decoded = ShortCodes.fromPathSegment(code);
            if (decoded == null) {
                if (pixelOfPath(request, response, callback, path, store, tracker, start)) {
                    return;
                }
                notFound(request, response, callback, path, code, query, visits, start);
                return;
            }
            code = decoded;
            plain = index == null ? 0 : index.plainEntry(code);
        }
        if (plain != 0) {
            // The fast path: a plain link is always valid, has no visit limit and forwards the
            // query, so its URL and creation time are all a redirect needs; no Link is built.
            redirect(request, response, callback, path, code, index.plainCreatedMillis(plain), index.plainUrl(plain), true,
                    query, noStat, visits, null, status, start);
            return;
        }
        Link link = store.lookup(code);
        if (link == null && pixelOfPath(request, response, callback, path, store, tracker, start)) {
            return;
        }
        if (link == null || !allowed(link)) {
            notFound(request, response, callback, path, code, query, visits, start);
        } else if (link.passwordProtected()) {
            if (protect == null || exhausted(link, store)) {
                notFound(request, response, callback, path, code, query, visits, start);
            } else {
                metrics.request(Route.REDIRECT, protect.page(request, response, callback, link), start);
            }
        } else if (link.maxVisits() == null) {
            redirect(request, response, callback, path, link, query, noStat, visits, null, status, start);
        } else if (!get) {
            if (store.visitsCounted(link) < link.maxVisits()) {
                redirect(request, response, callback, path, link, query, noStat, null, NO_STORE, status, start);
            } else {
                notFound(request, response, callback, path, code, query, null, start);
            }
        } else {
            store.reserveVisit(link).whenComplete((granted, failure) ->
                    counted(request, response, callback, path, link, query, noStat, visits, granted, failure, status, start));
        }
    }

    /**
     * For {@link PlainRedirectConnection}: the {@code Location} of the redirect a GET of
     * {@code path} ({@code /} and {@code code}, no escapes) with the raw {@code query} (null:
     * none) gets, when {@code code} is a plain link's, with its visit handed to {@code tracker}
     * (null: none tracked; {@code ?nostat} skips it) and the answer counted, exactly as
     * {@link #handle} does for it; null, with nothing done, for any other request (no plain
     * link, or a location that is not a header's printable ASCII).
     */
    String plainLocation(LinkStore store, Tracker tracker, String path, String code, String query, String referer,
                         String userAgent, long start) {
        LinkIndex index = store.redirectIndex();
        long plain = index == null ? 0 : index.plainEntry(code);
        if (plain == 0) {
            return null;
        }
        boolean noStat = ForwardedQuery.has(query, Tracker.NO_STAT_PARAM);
        String forwarded = noStat ? ForwardedQuery.without(query, Tracker.NO_STAT_PARAM) : query;
        String location = ForwardedQuery.location(index.plainUrl(plain), forwarded);
        if (!PlainRedirectConnection.headerSafe(location)) {
            return null;
        }
        if (tracker != null && !noStat) {
            tracker.offer(VisitEvent.redirect(clock.millis(), code, index.plainCreatedMillis(plain), path, query, referer, userAgent,
                    location));
        }
        metrics.request(Route.REDIRECT, status, start);
        return location;
    }

    /** The status of every redirect but a protected link's (303), one of {@link #STATUSES}. */
    int status() {
        return status;
    }

    /** The {@code Cache-Control} value a redirect is sent with ({@code -redirect-status} 301 or 308), or null. */
    String cacheControl() {
        return cacheControl == null ? null : cacheControl.getValue();
    }

    /**
     * A POST of a protected link's form: handed to {@link ProtectedRoute}, whose right password
     * comes back here to redirect as a GET would. False when the link under {@code path} is not
     * protected (the caller answers 405, as for any POST of a short code).
     */
    private boolean unlock(Request request, Response response, Callback callback, String path, LinkStore store, Tracker tracker,
                           long start) {
        String code = protect == null ? null : ShortCodes.fromPathSegment(path.substring(1));
        Link link = code == null ? null : store.lookup(code);
        if (link == null || !link.passwordProtected()) {
            return false;
        }
        String query = request.getHttpURI().getQuery();
        if (!allowed(link) || exhausted(link, store)) {
            notFound(request, response, callback, path, link.shortCode(), query, null, start);
            return true;
        }
        String client = AddLimiter.clientOf(request.getConnectionMetaData().getRemoteSocketAddress());
        protect.unlock(request, response, callback, link, client, (req, res, cb, unlocked, answerStatus) -> {
            boolean noStat = ForwardedQuery.has(query, Tracker.NO_STAT_PARAM);
            Tracker visits = noStat ? null : tracker;
            res.getHeaders().put(NO_REFERRER);
            if (unlocked.maxVisits() == null) {
                redirect(req, res, cb, path, unlocked, query, noStat, visits, NO_STORE, answerStatus, start);
            } else {
                store.reserveVisit(unlocked).whenComplete((granted, failure) ->
                        counted(req, res, cb, path, unlocked, query, noStat, visits, granted, failure, answerStatus, start));
            }
        }, answered -> metrics.request(Route.REDIRECT, answered, start));
        return true;
    }

    /** True when limited {@code link} has used up its visits (a protected page is not worth showing then). */
    private static boolean exhausted(Link link, LinkStore store) {
        return link.maxVisits() != null && store.visitsCounted(link) >= link.maxVisits();
    }

    /** A limited link's visit was counted ({@code granted}), refused (exhausted), or could not be. */
    private void counted(Request request, Response response, Callback callback, String path, Link link, String query,
                         boolean noStat, Tracker visits, Boolean granted, Throwable failure, int answerStatus, long start) {
        try {
            if (failure == null && granted) {
                redirect(request, response, callback, path, link, query, noStat, visits, NO_STORE, answerStatus, start);
            } else if (failure == null) {
                notFound(request, response, callback, path, link.shortCode(), query, visits, start);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                response.getHeaders().put(Responses.RETRY_SOON);
                metrics.request(Route.REDIRECT, Responses.text(response, callback, 503, "this link allows a limited number"
                        + " of visits and goto could not count this one (" + (cause instanceof StoreBusyException
                        ? "busy: " : "") + cause.getMessage() + "); nothing was counted. Retry in a moment.\n"), start);
            }
        } catch (Throwable unexpected) {
            metrics.request(Route.REDIRECT, Responses.internalError(request, response, callback, unexpected, errors), start);
        }
    }

    private void redirect(Request request, Response response, Callback callback, String path, Link link, String query,
                          boolean noStat, Tracker visits, HttpField cache, int answerStatus, long start) {
        redirect(request, response, callback, path, link.shortCode(), link.dateCreated().toEpochMilli(),
                longUrlFor(request, link, query), link.forwardQuery(), query, noStat, visits, cache, answerStatus, start);
    }

    /**
     * Where {@code link} sends this request: the long URL of its first redirect rule the request
     * meets, else its own, as Shlink's {@code ShortUrlRedirectionResolver}. Only links with rules
     * read the request (never plain ones: a link with rules is not plain). The client's address is
     * the connection's, as {@link AddLimiter#clientOf} reads it: goto has no trusted proxy, and a
     * forwarded header is anyone's to forge.
     */
    private static String longUrlFor(Request request, Link link, String query) {
        if (!link.hasRedirectRules()) {
            return link.longUrl();
        }
        var headers = request.getHeaders();
        return link.redirectRules().longUrlFor(new gotourl.link.RuleRequest(query, headers.get(HttpHeader.ACCEPT_LANGUAGE),
                headers.get(HttpHeader.USER_AGENT), AddLimiter.clientOf(request.getConnectionMetaData().getRemoteSocketAddress())),
                link.longUrl());
    }

    /** Answers the redirect of the link {@code code}, created at {@code createdMillis}, to {@code longUrl}. */
    private void redirect(Request request, Response response, Callback callback, String path, String code, long createdMillis,
                          String longUrl, boolean forwardQuery, String query, boolean noStat, Tracker visits, HttpField cache,
                          int answerStatus, long start) {
        String forwarded = noStat ? ForwardedQuery.without(query, Tracker.NO_STAT_PARAM) : query;
        String location = forwardQuery ? ForwardedQuery.location(longUrl, forwarded) : longUrl;
        response.setStatus(answerStatus);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        if (cache != null || cacheControl != null) {
            response.getHeaders().put(cache != null ? cache : cacheControl);
        }
        // An empty last write, not callback.succeeded(): succeeding the callback of an unwritten
        // response makes Jetty write it while it completes the stream, and when the previous
        // response on the connection was written from another thread (a durable add answered
        // after its group commit), that raced and lost a response now and then.
        response.write(true, null, callback);
        if (visits != null) {
            visits.offer(VisitEvent.redirect(clock.millis(), code, createdMillis, path, query,
                    request.getHeaders().get(HttpHeader.REFERER), request.getHeaders().get(HttpHeader.USER_AGENT), location));
        }
        metrics.request(Route.REDIRECT, answerStatus, start);
    }

    /**
     * A QR code asked for at {@code path} ({@code /CODE/qr-code}, {@code gotourl.qr.QrCodeRoute})
     * when no link a redirect would follow has {@code code}: a GET or HEAD answers the redirect's
     * 404 page naming {@code code} (the short code asked about, not the path), and a GET is the
     * orphan visit its path makes (a regular 404: more than one segment); another method answers
     * 405, as for any short code.
     */
    public void qrCodeNotFound(Request request, Response response, Callback callback, String path, String code, Tracker tracker,
                               long start) {
        String method = request.getMethod();
        boolean get = method.equals("GET");
        if (!get && !method.equals("HEAD")) {
            metrics.request(Route.REDIRECT, Responses.methodNotAllowed(response, callback, method, "GET, HEAD"), start);
            return;
        }
        String query = request.getHttpURI().getQuery();
        Tracker visits = get && !ForwardedQuery.has(query, Tracker.NO_STAT_PARAM) ? tracker : null;
        notFound(request, response, callback, path, code, query, visits, start);
    }

    /** The path segment after the short code of Shlink's tracking pixel, {@code /{shortCode}/track}. */
    public static final String PIXEL_SUFFIX = "/track";
    /** Shlink's pixel: a 1x1 transparent GIF, 43 bytes. */
    private static final byte[] PIXEL = java.util.Base64.getDecoder().decode(
            "R0lGODlhAQABAJAAAP8AAAAAACH5BAUQAAAALAAAAAABAAEAAAICBAEAOw==");
    private static final HttpField GIF = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "image/gif");

    /**
     * The short code of a path {@code /CODE/track} (percent-encoded, as it came), decoded as a
     * redirect decodes it, or as it came if its escapes are malformed (a code no link has); null
     * when the path is not one. The path is split before decoding: {@code %2F} never makes a segment.
     */
    public static String pixelCodeOf(String path) {
        if (!path.endsWith(PIXEL_SUFFIX) || path.length() <= PIXEL_SUFFIX.length() + 1) {
            return null;
        }
        String code = path.substring(1, path.length() - PIXEL_SUFFIX.length());
        if (code.indexOf('/') >= 0) {
            return null;
        }
        String decoded = ShortCodes.fromPathSegment(code);
        return decoded != null ? decoded : code;
    }

    /**
     * {@code GET /CODE/track}, Shlink's tracking pixel: always a 200 with a 1x1 transparent GIF
     * ({@code image/gif}), so that an email or page embedding it never shows a broken image. A GET
     * of a link a redirect would follow is a visit of it, recorded as a redirect's is (through the
     * {@link Tracker}, unless {@code ?nostat}), with no redirect URL; a limited link's visit is
     * counted first, as its redirect's is, and an exhausted (or uncountable) one answers the pixel
     * untracked. An unknown, deleted, not yet or no longer valid link answers the pixel too, and,
     * as in Shlink (whose pixel never reaches its not-found handling), is no orphan visit. A
     * password-protected link's pixel is never a visit: its visits are the unlocked redirects.
     * HEAD answers the same headers untracked; another method is 405, as Shlink allows only GET.
     * The GIF is never cached ({@code no-store}), so each view reaches goto and is counted.
     */
    private void pixel(Request request, Response response, Callback callback, String code, LinkStore store, Tracker tracker,
                       long start) {
        String method = request.getMethod();
        boolean get = method.equals("GET");
        if (!get && !method.equals("HEAD")) {
            metrics.request(Route.REDIRECT, Responses.methodNotAllowed(response, callback, method, "GET, HEAD"), start);
            return;
        }
        String query = request.getHttpURI().getQuery();
        boolean noStat = ForwardedQuery.has(query, Tracker.NO_STAT_PARAM);
        Tracker visits = get && !noStat ? tracker : null;
        Link link = store.lookup(code);
        if (link == null || !allowed(link) || link.passwordProtected()) {
            pixel(response, callback, start);
        } else if (link.maxVisits() == null || !get) {
            pixel(response, callback, start);
            pixelVisit(request, link, query, visits);
        } else {
            store.reserveVisit(link).whenComplete((granted, failure) -> {
                pixel(response, callback, start);
                if (failure == null && granted) {
                    pixelVisit(request, link, query, visits);
                }
            });
        }
    }

    /**
     * Answers the tracking pixel when {@code path}, which no link has as its code, is
     * {@code /CODE/track}; false (nothing written) otherwise. Only a miss asks: a found link's
     * redirect pays nothing for the pixel's route.
     */
    private boolean pixelOfPath(Request request, Response response, Callback callback, String path, LinkStore store,
                                Tracker tracker, long start) {
        String code = pixelCodeOf(path);
        if (code == null) {
            return false;
        }
        pixel(request, response, callback, code, store, tracker, start);
        return true;
    }

    private void pixel(Response response, Callback callback, long start) {
        response.setStatus(200);
        response.getHeaders().put(GIF);
        response.getHeaders().put(NO_STORE);
        response.write(true, java.nio.ByteBuffer.wrap(PIXEL), callback);
        metrics.request(Route.REDIRECT, 200, start);
    }

    private void pixelVisit(Request request, Link link, String query, Tracker visits) {
        if (visits != null) {
            visits.offer(VisitEvent.redirect(clock.millis(), link.shortCode(), link.dateCreated().toEpochMilli(),
                    request.getHttpURI().getPath(), query, request.getHeaders().get(HttpHeader.REFERER),
                    request.getHeaders().get(HttpHeader.USER_AGENT), null));
        }
    }

    /**
     * Reads the not-found redirects from {@code source} from now on (the open store's
     * {@link gotourl.store.LinkStore#notFoundRedirects}, lock-free).
     */
    public void notFoundRedirectsFrom(Supplier<NotFoundRedirects> source) {
        notFoundRedirects = java.util.Objects.requireNonNull(source, "source");
    }

    /**
     * The 404 page naming {@code code}, or a 302 to the not-found redirect for {@code path} when
     * one is set; either way the orphan visit {@code path} makes, as Shlink tracks it before
     * redirecting.
     */
    private void notFound(Request request, Response response, Callback callback, String path, String code, String query,
                          Tracker visits, long start) {
        String elsewhere = notFoundRedirects.get().forPath(path);
        int answered = elsewhere != null ? Responses.notFoundRedirect(response, callback,
                        NotFoundRedirects.withPlaceholders(elsewhere, request.getHttpURI().getAuthority(), path))
                : Responses.html(response, callback, 404, Pages.notFound(code));
        if (visits != null) {
            // Shlink's classes: a path its short-code route ({shortCode}: one segment) matches is
            // an invalid short URL, even /favicon.ico; a path of more segments is a regular 404.
            VisitType type = path.indexOf('/', 1) < 0 ? VisitType.INVALID_SHORT_URL : VisitType.REGULAR_404;
            visits.offer(VisitEvent.orphan(clock.millis(), type, path, query, request.getHeaders().get(HttpHeader.REFERER),
                    request.getHeaders().get(HttpHeader.USER_AGENT)));
        }
        metrics.request(Route.REDIRECT, answered, start);
    }

    /** Whether {@code link} may redirect now, its visit limit aside (which the store counts). */
    private boolean allowed(Link link) {
        return !link.hasValidity() || link.activeAt(clock.millis());
    }
}
