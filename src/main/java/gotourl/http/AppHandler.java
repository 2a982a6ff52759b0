package gotourl.http;

import gotourl.link.ForwardedQuery;
import gotourl.link.LongUrlRules;
import gotourl.link.NotFoundRedirects;
import gotourl.ops.ErrorLog;
import gotourl.ops.Metrics;
import gotourl.ops.Metrics.Route;
import gotourl.store.LinkStore;
import gotourl.visits.Tracker;
import gotourl.visits.VisitEvent;
import gotourl.visits.VisitType;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The application listener's routes, as in the seed: {@code /add} adds, {@code /} shows the form,
 * {@code /robots.txt} tells crawlers which links they may follow, anything else is a short code.
 * Non-blocking throughout, so Jetty runs it on the selector thread: a redirect is a lookup and a
 * response, and an add completes later from the store's future. Until goto has loaded its links
 * ({@link #open}), requests other than the REST API's are held ({@link StartHold}) and served then.
 */
public final class AppHandler extends Handler.Abstract.NonBlocking {
    /** The paths this handler answers itself; each is in {@link gotourl.link.ShortCodes#RESERVED_PATHS}. */
    public static final java.util.List<String> OWN_PATHS = java.util.List.of("add", "robots.txt", "rest",
            "manage", "stats", "feed", "static");

    private final RedirectRoute redirect;
    private final AddRoute add;
    private final Metrics metrics;
    private final ErrorLog errors;
    private final gotourl.api.RestApi rest;
    private final AppPages pages;
    private final gotourl.qr.QrCodeRoute qr;
    private final StartHold held;
    private volatile Serving serving;

    /** What the routes serve from, set once goto is ready; {@code tracker} is null when visits are not tracked. */
    private record Serving(LinkStore store, LongUrlRules rules, Tracker tracker) {}

    public AppHandler(RedirectRoute redirect, AddRoute add, Metrics metrics, ErrorLog errors) {
        this(redirect, add, null, metrics, errors);
    }

    /** With Shlink's REST API under {@code /rest/} ({@link gotourl.api.RestApi}); null for none. */
    public AppHandler(RedirectRoute redirect, AddRoute add, gotourl.api.RestApi rest, Metrics metrics, ErrorLog errors) {
        this(redirect, add, rest, (gotourl.qr.QrCodeRoute) null, metrics, errors);
    }

    /** With QR codes at {@code /CODE/qr-code} ({@link gotourl.qr.QrCodeRoute}); null for none. */
    public AppHandler(RedirectRoute redirect, AddRoute add, gotourl.api.RestApi rest, gotourl.qr.QrCodeRoute qr, Metrics metrics,
                      ErrorLog errors) {
        this(redirect, add, rest, qr, null, metrics, errors);
    }

    /** With the web app's {@code pages} at {@code /} and the paths they own (null: the seed's form only). */
    public AppHandler(RedirectRoute redirect, AddRoute add, gotourl.api.RestApi rest, gotourl.qr.QrCodeRoute qr, AppPages pages,
                      Metrics metrics, ErrorLog errors) {
        this.pages = pages;
        this.qr = qr;
        this.rest = rest;
        this.redirect = redirect;
        this.add = add;
        this.metrics = metrics;
        this.errors = errors;
        this.held = new StartHold(metrics, DEFAULT_MAX_HELD, DEFAULT_MAX_WAIT);
    }

    /** How many requests may be held at once while goto starts, unless {@link #holdWhileStarting} says otherwise. */
    public static final int DEFAULT_MAX_HELD = 10_000;
    /** How long a request may be held while goto starts, unless {@link #holdWhileStarting} says otherwise. */
    public static final java.time.Duration DEFAULT_MAX_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * Until {@link #open}, requests other than the REST API's are held, not answered: at most
     * {@code maxHeld} at once (0: none; beyond it, 503 at once) and each for at most
     * {@code maxWait} (then 503 with {@code Retry-After: 1}); once open, each is served as if it had
     * just arrived. Throws IllegalArgumentException if either is negative.
     */
    public void holdWhileStarting(int maxHeld, java.time.Duration maxWait) {
        held.bound(maxHeld, maxWait);
    }

    /**
     * For a start that fails: answers every held request 503 as a stop answers (with
     * {@code Connection: close}), and every request after it, except the REST API's.
     */
    public void stopHolding() {
        held.stop();
    }

    /**
     * Starts serving links from {@code openedStore}, adding those {@code rules} accept, and serves
     * the requests held until now (see {@link #holdWhileStarting}); until then the REST API
     * answers 503.
     */
    public void open(LinkStore openedStore, LongUrlRules rules) {
        open(openedStore, rules, null);
    }

    /** As {@link #open(LinkStore, LongUrlRules)}, handing visits to {@code tracker} (null: none tracked). */
    public void open(LinkStore openedStore, LongUrlRules rules, Tracker tracker) {
        serving = new Serving(openedStore, rules, tracker);
        redirect.notFoundRedirectsFrom(openedStore::notFoundRedirects);
        held.open(this::serveHeld);
    }

    /**
     * The plain redirects {@link PlainRedirectConnection} answers without Jetty's request path:
     * a GET of a path that routes to {@link RedirectRoute} and holds a plain link's code, once
     * goto is open ({@link RedirectRoute#plainLocation}); everything else is left to
     * {@link #handle}.
     */
    PlainRedirectConnection.Routes plainRedirects() {
        return new PlainRedirectConnection.Routes() {
            @Override
            public String plainLocation(String path, String code, String query, String referer, String userAgent, long startNanos) {
                Serving current = serving;
                if (current == null || routeOf(path) != Route.REDIRECT) {
                    return null;
                }
                return redirect.plainLocation(current.store(), current.tracker(), path, code, query, referer, userAgent, startNanos);
            }

            @Override
            public int status() {
                return redirect.status();
            }

            @Override
            public String cacheControl() {
                return redirect.cacheControl();
            }
        };
    }

    /** A request held while starting, now that goto is open: routed as when it arrived, timed from then. */
    private void serveHeld(Request request, Response response, Callback callback, long start) {
        String path = request.getHttpURI().getPath();
        Route route = routeOf(path);
        try {
            serve(request, response, callback, path, route, serving, start);
        } catch (Throwable failure) {
            metrics.request(route, Responses.internalError(request, response, callback, failure, errors), start);
        }
    }

    private Route routeOf(String path) {
        return path.equals("/add") ? Route.ADD : path.equals("/") ? Route.FORM
                : path.equals("/robots.txt") ? Route.ROBOTS
                : rest != null && path.startsWith(gotourl.api.RestApi.PREFIX) ? Route.API
                : pages != null && pages.owns(path) ? Route.FORM : Route.REDIRECT;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        Route route = routeOf(path);
        // Every route but the API's (which drains the bodies it refuses itself) may answer from
        // the headers alone: a 405 or 404, a protected link's 403 or 415, the add form's 403 or
        // 429, a 503 while starting. The body a client is still sending is then read to its end
        // after the answer (bounded, RefusedBodies), so that it gets the answer, not a reset; a
        // route that read the body finds it ended. A request without a body keeps its callback.
        Callback answered = route == Route.API ? callback : RefusedBodies.drainAfter(request, callback);
        try {
            Serving current = serving;
            if (route == Route.API) {
                // The API answers while starting too: health says 503, the rest problem+json.
                rest.handle(request, response, callback, current == null ? null : current.store(),
                        current == null ? null : current.rules(), status -> metrics.request(Route.API, status, start));
            } else if (current != null || !held.hold(request, response, answered, route, start)) {
                // Open, or opened between reading serving and holding: serving is set by now.
                serve(request, response, answered, path, route, current != null ? current : serving, start);
            }
        } catch (Throwable failure) {
            metrics.request(route, Responses.internalError(request, response, answered, failure, errors), start);
        }
        return true;
    }

    /** Every route but the REST API's, once goto is open. */
    private void serve(Request request, Response response, Callback callback, String path, Route route, Serving current,
                       long start) {
        String qrCode = route == Route.REDIRECT && qr != null ? gotourl.qr.QrCodeRoute.codeOf(path) : null;
        if (qrCode != null) {
            // No link to draw: the redirect's 404, naming the code asked about rather than the path.
            if (!qr.handle(request, response, callback, qrCode, current.store(),
                    status -> metrics.request(Route.QR_CODE, status, start))) {
                redirect.qrCodeNotFound(request, response, callback, path, qrCode, current.tracker(), start);
            }
        } else if (route == Route.REDIRECT) {
            redirect.handle(request, response, callback, path, current.store(), current.tracker(), start);
        } else if (route == Route.ADD) {
            add.handle(request, response, callback, current.store(), current.rules(), start);
        } else if (route == Route.ROBOTS) {
            metrics.request(route, RobotsRoute.handle(request, response, callback, current.store()), start);
        } else if (pages != null && !path.equals("/")) {
            metrics.request(route, pages.page(request, response, callback, current.store()), start);
        } else {
            String elsewhere = baseUrlRedirect(request, current.store());
            metrics.request(route, elsewhere != null ? Responses.notFoundRedirect(response, callback, elsewhere)
                    : pages != null ? pages.page(request, response, callback, current.store())
                    : form(request, response, callback, add.formPage()), start);
            baseUrlVisit(request, current.tracker());
        }
    }

    /**
     * Where a GET or HEAD of {@code /} goes instead of the form, or null: the store's base URL
     * redirect, except for the page that shows a link just made ({@code /?short=CODE}), which the
     * form sends its own user to.
     */
    private static String baseUrlRedirect(Request request, LinkStore store) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return null;
        }
        String target = store.notFoundRedirects().baseUrlRedirect();
        return target == null || ForwardedQuery.has(request.getHttpURI().getQuery(), "short") ? null
                : NotFoundRedirects.withPlaceholders(target, request.getHttpURI().getAuthority(), "/");
    }

    /** A GET of the base URL is an orphan visit ({@code base_url}), as Shlink records one. */
    private static void baseUrlVisit(Request request, Tracker tracker) {
        String query = request.getHttpURI().getQuery();
        if (tracker != null && request.getMethod().equals("GET") && !ForwardedQuery.has(query, Tracker.NO_STAT_PARAM)) {
            tracker.offer(VisitEvent.orphan(System.currentTimeMillis(), VisitType.BASE_URL, "/", query,
                    request.getHeaders().get(HttpHeader.REFERER), request.getHeaders().get(HttpHeader.USER_AGENT)));
        }
    }

    static int form(Request request, Response response, Callback callback, String page) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Responses.methodNotAllowed(response, callback, method, "GET, HEAD");
        }
        return Responses.html(response, callback, 200, page);
    }
}
