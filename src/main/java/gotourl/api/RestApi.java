package gotourl.api;

import gotourl.ShortUrlBase;
import gotourl.apikey.ApiKeys;
import gotourl.link.LongUrlRules;
import gotourl.store.LinkStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Shlink's REST API under {@code /rest}: routes a request, answers CORS as Shlink does,
 * authenticates its {@code X-Api-Key}, and hands it to the route. Shlink's route table
 * ({@code module/Rest/config/routes.config.php}) for v3, with {@code /rest/v1} and {@code /rest/v2}
 * answering the same; {@code /rest/health} and {@code /rest/openapi.json} need no key.
 *
 * <p>Non-blocking: called on Jetty's thread, it reads bodies asynchronously and answers from the
 * store's futures; nothing here waits.
 */
public final class RestApi {
    /** The path prefix this API answers; {@code rest} is a reserved path for short codes. */
    public static final String PREFIX = "/rest/";

    enum Kind {
        HEALTH("GET"), OPENAPI("GET"), SHORT_URLS("GET, POST"), BATCH("POST"), SHORT_URL("GET, PATCH, DELETE"),
        /**
         * Shlink's {@code GET /short-urls/shorten?apiKey=...&longUrl=...}, the one route keyed in the
         * URL; any other method on that path is {@link #SHORT_URL} of the link whose code is
         * {@code shorten}, as Shlink's router matches it (so a HEAD never creates a link).
         */
        SHORTEN("GET"),
        SHORT_URL_VISITS("GET, DELETE"), REDIRECT_RULES("GET, POST"), TAGS("GET, PUT, DELETE"), TAG_STATS("GET"),
        TAG_VISITS("GET"), DOMAINS("GET"),
        /** Shlink's {@code PATCH /domains/redirects}: the default domain's not-found redirects. */
        DOMAIN_REDIRECTS("PATCH"), DOMAIN_VISITS("GET"), VISITS("GET"), ORPHAN_VISITS("GET, DELETE"),
        NON_ORPHAN_VISITS("GET"), EVENTS("GET"), EVENT_TICKETS("POST"),
        /** Shlink's Mercure hub details: goto has no hub, and answers as a Shlink without one (501). */
        MERCURE_INFO("GET"),
        /** goto's own: a link's per-day aggregates, and every link's. */
        SHORT_URL_VISITS_AGGREGATE("GET"), VISITS_AGGREGATE("GET");

        final String allowed;

        /** The same methods as a list, split once: {@code split(", ")} compiles a pattern per call. */
        private final List<String> methods;

        Kind(String allowed) {
            this.allowed = allowed;
            this.methods = List.of(allowed.split(", "));
        }

        boolean allows(String method) {
            return methods.contains(method) || method.equals("HEAD") && methods.contains("GET");
        }
    }

    /** A resolved route: its kind and its path parameter (short code, tag or domain), if any. */
    record Route(Kind kind, String param) {}

    private final ApiOptions options;
    private final Clock clock;
    private final ShortUrlRoutes shortUrls;
    private final ShortUrlBatch batch;
    private final TagRoutes tags;
    private final OtherRoutes others;
    private final VisitRoutes visits;
    private final Set<String> allowedOrigins;
    private final java.util.function.Supplier<String> notReady;
    private final EventRoutes events;

    /**
     * @param base      what short URLs start with ({@code -host})
     * @param scheduler Jetty's scheduler, for retrying a create while the store's queue is full
     * @param clock     the time API keys and {@code excludePastValidUntil} are judged at
     * @param notReady  why goto is not ready (starting, stopping, cannot write), or null when it is:
     *                  {@code gotourl.ops.Health#notReadyReason}
     */
    public RestApi(ApiOptions options, ShortUrlBase base, Scheduler scheduler, java.time.Duration queueWait, Clock clock,
                   java.util.function.Supplier<String> notReady) {
        this(options, base, scheduler, queueWait, clock, notReady, null, null);
    }

    /** As the other constructor, with protected links' passwords hashed by {@code passwords} (null: refused with 503). */
    public RestApi(ApiOptions options, ShortUrlBase base, Scheduler scheduler, java.time.Duration queueWait, Clock clock,
                   java.util.function.Supplier<String> notReady, gotourl.protect.PasswordChecks passwords) {
        this(options, base, scheduler, queueWait, clock, notReady, passwords, null);
    }

    /**
     * As the six-argument constructor, with the live feed ({@code GET /rest/v3/events}) served from
     * {@code feed}, which also hears of every link the API creates; null for no feed (404).
     */
    public RestApi(ApiOptions options, ShortUrlBase base, Scheduler scheduler, java.time.Duration queueWait, Clock clock,
                   java.util.function.Supplier<String> notReady, gotourl.events.EventFeed feed) {
        this(options, base, scheduler, queueWait, clock, notReady, null, feed);
    }

    /** With both: protected links' {@code passwords} and the live {@code feed} (either null for none). */
    public RestApi(ApiOptions options, ShortUrlBase base, Scheduler scheduler, java.time.Duration queueWait, Clock clock,
                   java.util.function.Supplier<String> notReady, gotourl.protect.PasswordChecks passwords,
                   gotourl.events.EventFeed feed) {
        this.events = feed == null ? null : new EventRoutes(feed, clock);
        this.options = options;
        this.notReady = notReady;
        this.clock = clock;
        this.shortUrls = new ShortUrlRoutes(options, base, scheduler, queueWait, clock, passwords);
        this.batch = new ShortUrlBatch(shortUrls, scheduler, queueWait);
        if (feed != null) {
            shortUrls.onCreated(feed::linkCreated);
        }
        this.tags = new TagRoutes(options);
        this.others = new OtherRoutes(options, base);
        this.visits = new VisitRoutes(options, base, clock);
        String origins = options.corsAllowOrigin().toLowerCase(Locale.ROOT);
        this.allowedOrigins = origins.equals("*") || origins.equals("<origin>") ? Set.of()
                : Set.of(Arrays.stream(origins.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toArray(String[]::new));
    }

    /**
     * Answers a request under {@link #PREFIX}; {@code done} is called with the status once the
     * answer is written (for metrics). {@code store} is null while goto is starting: every route
     * but health answers 503 then.
     */
    public void handle(Request request, Response response, Callback callback, LinkStore store, LongUrlRules rules,
                       IntConsumer done) {
        Exchange exchange = new Exchange(request, response, callback, done);
        try {
            String path = request.getHttpURI().getPath();
            Route route = resolve(path);
            String method = request.getMethod();
            // Any method on the shorten route's path may carry its key there (a HEAD finds the link called "shorten").
            boolean shortenPath = route != null && route.kind() == Kind.SHORTEN;
            if (shortenPath && !method.equals("GET")) {
                route = new Route(Kind.SHORT_URL, route.param());
            }
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            if (origin != null) {
                cors(exchange, origin);
            }
            if (route == null) {
                exchange.problem(Problem.notFound("no API route at " + path + "; the routes are listed in /rest/openapi.json"));
                return;
            }
            exchange.allowed = route.kind().allowed;
            if (method.equals("OPTIONS")) {
                preflight(exchange, origin);
                return;
            }
            if (!route.kind().allows(method)) {
                exchange.refuseBody(Problem.methodNotAllowed(method, route.kind().allowed));
                return;
            }
            String notReady = store == null ? "starting: loading links from the data file" : this.notReady.get();
            if (route.kind() == Kind.HEALTH) {
                others.health(exchange, notReady);
                return;
            }
            if (route.kind() == Kind.OPENAPI) {
                others.openApi(exchange);
                return;
            }
            boolean keyedInUrl = route.kind() == Kind.SHORTEN;
            String twoKeys = twoKeys(exchange, keyedInUrl);
            if (twoKeys != null) {
                exchange.refuseBody(Problem.invalidApiKey(twoKeys));
                return;
            }
            if (!shortenPath && keyInUrl(request)) {
                // Refused even beside a good X-Api-Key: the key in the URL has already leaked into
                // logs, and a client that is answered 200 never learns it sends it there.
                exchange.refuseBody(request.getHeaders().get("X-Api-Key") == null ? Problem.missingAuthentication(KEY_IN_URL)
                        : Problem.invalidApiKey(KEY_IN_URL_BESIDE_HEADER));
                return;
            }
            ApiKeys.Authentication auth = route.kind() == Kind.EVENTS && events != null
                    ? events.authenticate(exchange, options.keys())
                    : options.keys().authenticate(keyedInUrl ? shortenKey(exchange) : request.getHeaders().get("X-Api-Key"),
                    clock.instant());
            if (auth instanceof ApiKeys.Authentication.Refused refused) {
                exchange.refuseBody(!refused.missing() ? Problem.invalidApiKey(refused.detail())
                        : keyedInUrl ? Problem.missingQueryAuthentication()
                        : Problem.missingAuthentication(refused.detail()));
                return;
            }
            exchange.key = ((ApiKeys.Authentication.Granted) auth).key();
            if (store == null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
                exchange.refuseBody(Problem.unavailable("goto is " + notReady + "; retry in a moment"));
                return;
            }
            dispatch(exchange, route, method, store, rules);
        } catch (Problem problem) {
            exchange.problem(problem);
        } catch (RuntimeException unexpected) {
            ShortUrlRoutes.failed(exchange, unexpected);
        }
    }

    /**
     * What a client that sent its key as {@code apiKey} in the query of any route but
     * {@code GET /short-urls/shorten} is told: goto reads a key from the URL on that route alone.
     */
    static final String KEY_IN_URL = "no API key in the X-Api-Key header: goto reads a key from the URL (apiKey=...) only on"
            + " GET /rest/v3/short-urls/shorten, as Shlink does, because access logs, proxies and browser history keep"
            + " URLs; send it in the X-Api-Key header here. If that URL went through a proxy or a log you do not control,"
            + " disable the key ('goto api-key disable') and make another";

    /**
     * What a client that sent {@code apiKey} in the query of any route but
     * {@code GET /short-urls/shorten} and a key in {@code X-Api-Key} too is told: 401
     * {@code invalid-api-key}, whether or not the two keys are good, so that the client stops
     * putting a key in its URLs.
     */
    static final String KEY_IN_URL_BESIDE_HEADER = "the URL carries an apiKey parameter: goto reads a key from the URL"
            + " (apiKey=...) only on GET /rest/v3/short-urls/shorten, as Shlink does, because access logs, proxies and"
            + " browser history keep URLs; send the key in the X-Api-Key header alone and drop apiKey from the URL. If that"
            + " URL went through a proxy or a log you do not control, disable the key ('goto api-key disable') and make another";

    /**
     * The key of {@code GET /short-urls/shorten}: its {@code apiKey} query parameter (Shlink reads
     * only that), or the {@code X-Api-Key} header when the query has none, so a client that can
     * keep the key out of the URL may. Null when neither is there. Two different keys never reach
     * here: {@link #twoKeys} refuses them.
     */
    private static String shortenKey(Exchange exchange) {
        String inQuery = exchange.query().getValue("apiKey");
        return inQuery != null && !inQuery.isEmpty() ? inQuery : exchange.request.getHeaders().get("X-Api-Key");
    }

    /**
     * Why the request names more than one API key, or null when it names at most one: two or more
     * {@code X-Api-Key} header lines, and on {@code GET /short-urls/shorten} ({@code keyedInUrl})
     * two or more {@code apiKey} query parameters, or one there and a different one in the header.
     * Which key was meant is a guess (the first of two was taken before), so the request is refused
     * as Shlink refuses it: 401 {@code invalid-api-key}. {@code X-Api-Key} is not a list field, and
     * RFC 9110 §5.3 lets a recipient join a field's lines with commas only for list fields; Shlink's
     * {@code AuthenticationMiddleware} reads the header with {@code getHeaderLine}, which joins them
     * ("k1, k2"), finds no such key and answers {@code VerifyAuthenticationException} (401,
     * RFC 9110 §15.5.2: the request lacks valid credentials). goto's detail names the cause.
     */
    private static String twoKeys(Exchange exchange, boolean keyedInUrl) {
        List<String> headers = exchange.request.getHeaders().getValuesList("X-Api-Key");
        if (headers.size() > 1) {
            return "the request carries " + headers.size() + " X-Api-Key headers; send one";
        }
        if (!keyedInUrl || exchange.request.getHttpURI().getQuery() == null) {
            return null;
        }
        List<String> inQuery = exchange.query().getValues("apiKey");
        if (inQuery == null || inQuery.isEmpty()) {
            return null;
        }
        if (inQuery.size() > 1) {
            return "the query carries " + inQuery.size() + " apiKey parameters; send one";
        }
        if (!inQuery.getFirst().isEmpty() && headers.size() == 1 && !headers.getFirst().equals(inQuery.getFirst())) {
            return "the request carries one key in the apiKey query parameter and another in the X-Api-Key header;"
                    + " send one (the header keeps it out of access logs)";
        }
        return null;
    }

    /**
     * True when the query names an {@code apiKey} parameter: in any case, its name read as a form
     * decodes it ({@code api%4Bey}, as the shorten route's own reading finds it), and as a PHP
     * list or map ({@code apiKey[]}, {@code apiKey[0]}). A name that is not valid percent-encoding
     * is compared as sent.
     */
    static boolean keyInUrl(Request request) {
        String query = request.getHttpURI().getQuery();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (name.indexOf('%') >= 0 || name.indexOf('+') >= 0) {
                try {
                    name = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException notEncoding) {
                    // compared as sent
                }
            }
            int bracket = name.indexOf('[');
            if ((bracket < 0 ? name : name.substring(0, bracket)).equalsIgnoreCase("apiKey")) {
                return true;
            }
        }
        return false;
    }

    private void dispatch(Exchange exchange, Route route, String method, LinkStore store, LongUrlRules rules) {
        switch (route.kind()) {
            case SHORT_URLS -> {
                if (method.equals("POST")) {
                    BodyReader.readBody(exchange, ShortUrlRoutes.MAX_BODY_BYTES, true, body -> shortUrls.create(exchange, body, store, rules));
                } else {
                    shortUrls.list(exchange, store);
                }
            }
            case BATCH -> BodyReader.readJson(exchange, ShortUrlBatch.MAX_BODY_BYTES, body -> batch.create(exchange, body, store, rules));
            case SHORTEN -> shortUrls.shorten(exchange, store, rules);
            case SHORT_URL -> {
                switch (method) {
                    case "PATCH" -> BodyReader.readBody(exchange, ShortUrlRoutes.MAX_BODY_BYTES, true,
                            body -> shortUrls.edit(exchange, route.param(), body, store, rules));
                    case "DELETE" -> shortUrls.delete(exchange, route.param(), store);
                    default -> shortUrls.get(exchange, route.param(), store);
                }
            }
            case SHORT_URL_VISITS -> visits.shortUrlVisits(exchange, shortUrls.visible(exchange, route.param(), store), method);
            case SHORT_URL_VISITS_AGGREGATE -> visits.aggregate(exchange, shortUrls.visible(exchange, route.param(), store), store);
            case VISITS_AGGREGATE -> visits.aggregate(exchange, null, store);
            case REDIRECT_RULES -> {
                if (method.equals("POST")) {
                    BodyReader.readJson(exchange, ShortUrlRoutes.MAX_BODY_BYTES,
                            body -> shortUrls.setRedirectRules(exchange, route.param(), body, store, rules));
                } else {
                    others.redirectRules(exchange, shortUrls.visible(exchange, route.param(), store));
                }
            }
            case TAGS -> {
                switch (method) {
                    case "PUT" -> BodyReader.readJson(exchange, ShortUrlRoutes.MAX_BODY_BYTES, body -> tags.rename(exchange, body, store));
                    case "DELETE" -> tags.delete(exchange, store);
                    default -> tags.list(exchange, store);
                }
            }
            case TAG_STATS -> tags.stats(exchange, store);
            case TAG_VISITS -> visits.tagVisits(exchange, route.param(), store);
            case DOMAINS -> others.domains(exchange, store);
            case DOMAIN_REDIRECTS -> BodyReader.readJson(exchange, ShortUrlRoutes.MAX_BODY_BYTES, body -> others.setRedirects(exchange, body, store, rules));
            case DOMAIN_VISITS -> {
                others.requireOwnDomain(route.param());
                visits.nonOrphanVisits(exchange, store);
            }
            case NON_ORPHAN_VISITS -> visits.nonOrphanVisits(exchange, store);
            case ORPHAN_VISITS -> visits.orphanVisits(exchange, method);
            case VISITS -> visits.overview(exchange, store);
            case EVENTS -> events.stream(exchange);
            case EVENT_TICKETS -> events.ticket(exchange);
            case MERCURE_INFO -> throw Problem.mercureNotConfigured();
            default -> throw Problem.notFound("no API route here");
        }
    }

    /**
     * A link as this API writes it (Shlink's {@code ShortUrl}, with {@code shortUrl} from
     * {@code base} and counts from {@code options.visits()}): the live feed's {@code link} events
     * carry exactly this.
     */
    public static java.util.function.Function<gotourl.link.Link, byte[]> shortUrlJson(ApiOptions options, ShortUrlBase base) {
        return link -> Json.write(json -> Json.shortUrl(json, link, base, options.visits(), options.health()));
    }

    /**
     * Shlink's route table, as goto answers it, for a path as it came (percent-encoded). The path
     * parameter (short code, tag or domain) is percent-decoded as UTF-8 after the path is split, as
     * Shlink's router decodes it: a client sends the tag {@code café} as {@code caf%C3%A9} (a
     * browser's {@code fetch} does), and an encoded slash stays inside its segment.
     */
    static Route resolve(String path) {
        Route route = resolveEncoded(path);
        return route == null || route.param() == null || route.param().indexOf('%') < 0 ? route
                : new Route(route.kind(), decodeSegment(route.param()));
    }

    /** A path segment percent-decoded as UTF-8 (bad UTF-8 as U+FFFD); kept as it came if a {@code %} is not followed by two hex digits. */
    private static String decodeSegment(String segment) {
        try {
            return org.eclipse.jetty.util.URIUtil.decodePath(segment);
        } catch (IllegalArgumentException notEncoded) {
            return segment;
        }
    }

    private static Route resolveEncoded(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length() - 1);
        if (rest.equals("/health")) {
            return new Route(Kind.HEALTH, null);
        }
        if (rest.equals("/openapi.json")) {
            return new Route(Kind.OPENAPI, null);
        }
        if (rest.length() < 3 || !rest.startsWith("/v") || rest.charAt(2) < '1' || rest.charAt(2) > '3'
                || rest.length() > 3 && rest.charAt(3) != '/') {
            return null;
        }
        String[] parts = rest.substring(3).split("/", -1);
        // parts[0] is "" (the path after /vN starts with a slash)
        if (parts.length < 2 || !parts[0].isEmpty()) {
            return null;
        }
        int n = parts.length - 1;
        String first = parts[1];
        String second = n >= 2 ? parts[2] : null;
        String third = n >= 3 ? parts[3] : null;
        if (n == 4 && first.equals("short-urls") && !second.isEmpty() && "visits".equals(third) && parts[4].equals("aggregate")) {
            return new Route(Kind.SHORT_URL_VISITS_AGGREGATE, second);
        }
        if (n >= 4) {
            return null;
        }
        return switch (first) {
            case "health" -> n == 1 ? new Route(Kind.HEALTH, null) : null;
            case "short-urls" -> {
                if (n == 1) {
                    yield new Route(Kind.SHORT_URLS, null);
                }
                if (second.isEmpty()) {
                    yield null;
                }
                if (n == 2) {
                    yield second.equals("batch") ? new Route(Kind.BATCH, null)
                            : second.equals("shorten") ? new Route(Kind.SHORTEN, second) : new Route(Kind.SHORT_URL, second);
                }
                yield switch (third) {
                    case "visits" -> new Route(Kind.SHORT_URL_VISITS, second);
                    case "redirect-rules" -> new Route(Kind.REDIRECT_RULES, second);
                    default -> null;
                };
            }
            case "tags" -> {
                if (n == 1) {
                    yield new Route(Kind.TAGS, null);
                }
                if (n == 2) {
                    yield second.equals("stats") ? new Route(Kind.TAG_STATS, null) : null;
                }
                yield "visits".equals(third) && !second.isEmpty() ? new Route(Kind.TAG_VISITS, second) : null;
            }
            case "domains" -> n == 1 ? new Route(Kind.DOMAINS, null)
                    : n == 2 && second.equals("redirects") ? new Route(Kind.DOMAIN_REDIRECTS, null)
                    : n == 3 && "visits".equals(third) && !second.isEmpty() ? new Route(Kind.DOMAIN_VISITS, second) : null;
            case "events" -> n == 1 ? new Route(Kind.EVENTS, null)
                    : n == 2 && second.equals("tickets") ? new Route(Kind.EVENT_TICKETS, null) : null;
            case "visits" -> n == 1 ? new Route(Kind.VISITS, null)
                    : n == 2 && second.equals("orphan") ? new Route(Kind.ORPHAN_VISITS, null)
                    : n == 2 && second.equals("non-orphan") ? new Route(Kind.NON_ORPHAN_VISITS, null)
                    : n == 2 && second.equals("aggregate") ? new Route(Kind.VISITS_AGGREGATE, null) : null;
            case "mercure-info" -> n == 1 ? new Route(Kind.MERCURE_INFO, null) : null;
            default -> null;
        };
    }

    /** As Shlink's {@code CrossDomainMiddleware}: the allowed origin on every answer to a request with an Origin. */
    private void cors(Exchange exchange, String origin) {
        String allow = options.corsAllowOrigin();
        if (allow.equals("*")) {
            exchange.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else if (allow.equalsIgnoreCase("<origin>") || allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            exchange.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            exchange.response.getHeaders().add(HttpHeader.VARY, "Origin");
        }
    }

    /** A preflight (or any OPTIONS): 204, the route's methods, the asked headers echoed, cached an hour. */
    private static void preflight(Exchange exchange, String origin) {
        var headers = exchange.response.getHeaders();
        headers.put(HttpHeader.ALLOW, exchange.allowed);
        if (origin != null) {
            headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, exchange.allowed);
            String asked = exchange.request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
            if (asked != null) {
                headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked);
            }
            headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, ApiOptions.CORS_MAX_AGE_SECONDS);
        }
        exchange.empty(204);
    }
}
