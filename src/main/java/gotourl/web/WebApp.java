package gotourl.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gotourl.ShortUrlBase;
import gotourl.http.AppPages;
import gotourl.link.ShortCodes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The web app's routes: {@code /} (shorten), {@code /manage}, {@code /stats/{shortCode}},
 * {@code /feed} and {@code /static/{version}/{name}}. Pages are rendered from precompiled jte
 * templates in microseconds on the selector thread; they hold no link data themselves (except the
 * short URL just created, which the seed's form flow shows without JavaScript): their scripts
 * read it from the REST API.
 */
public final class WebApp implements AppPages {
    /** The app's own paths besides {@code /}, each one of {@link ShortCodes#RESERVED_PATHS}. */
    static final String MANAGE = "/manage";
    static final String FEED = "/feed";
    static final String STATS_PREFIX = "/stats/";

    /**
     * No inline script or style, nothing from another origin, no framing: a stored title or URL
     * that slipped past escaping still could not run (CSP Level 3).
     */
    static final HttpField CSP = new PreEncodedHttpField("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self';"
                    + " base-uri 'none'; frame-ancestors 'none'");
    static final HttpField NO_FRAMES = new PreEncodedHttpField("X-Frame-Options", "DENY");
    static final HttpField NO_SNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    /** Links on these pages lead to long URLs: their sites learn nothing of goto's pages. */
    static final HttpField NO_REFERRER = new PreEncodedHttpField("Referrer-Policy", "no-referrer");
    static final HttpField COOP = new PreEncodedHttpField("Cross-Origin-Opener-Policy", "same-origin");
    static final HttpField PAGE_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");
    static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    /** Asset paths carry their build's digest, so a year and {@code immutable} (RFC 8246) are safe. */
    static final HttpField ASSET_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL,
            "public, max-age=31536000, immutable");
    static final HttpField HTML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");

    private final ShortUrlBase base;
    private final boolean publicAdd;
    private final Assets assets;
    private final TemplateEngine templates;

    /**
     * Pages for short URLs on {@code base}; {@code publicAdd} false ({@code -public-add=false})
     * makes the shorten page ask for an API key. Throws {@link java.io.UncheckedIOException} if
     * an asset is missing from the jar.
     */
    public WebApp(ShortUrlBase base, boolean publicAdd) {
        this.base = base;
        this.publicAdd = publicAdd;
        this.assets = Assets.load();
        this.templates = TemplateEngine.createPrecompiled(ContentType.Html);
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(Assets.PREFIX) || path.startsWith(STATS_PREFIX) || path.equals(MANAGE) || path.equals(FEED);
    }

    @Override
    public int page(Request request, Response response, Callback callback, gotourl.store.LinkStore links) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return text(response, callback, 405, "method " + method + " is not allowed here; use GET, HEAD\n");
        }
        String path = request.getHttpURI().getPath();
        if (path.startsWith(Assets.PREFIX)) {
            return asset(path, request, response, callback);
        }
        if (path.equals("/")) {
            Fields query = query(request);
            String code = query.getValue("short");
            if (code == null) {
                return html(response, callback, 200, "web/shorten.jte", shortenModel(null, query.getValue("url"), null));
            }
            // The page a create's 303 leads to: "Your short link" only for a link goto holds, so that
            // a made-up or deleted code is not shown as if it had just been made.
            boolean held = ShortCodes.slugProblem(code) == null && links.lookup(code) != null;
            return held ? html(response, callback, 200, "web/shorten.jte", shortenModel(code, query.getValue("url"), null))
                    : notHeld(response, callback, code, query.getValue("url"));
        }
        if (path.equals(MANAGE)) {
            return html(response, callback, 200, "web/manage.jte", model(head("Manage links", "manage", "manage.js")));
        }
        if (path.equals(FEED)) {
            return html(response, callback, 200, "web/feed.jte", model(head("Live feed", "feed", "feed.js")));
        }
        String code = ShortCodes.fromPathSegment(path.substring(STATS_PREFIX.length()));
        if (code == null || code.isEmpty() || code.length() > ShortCodes.MAX_SLUG_CHARS || !code.chars().allMatch(WebApp::codeChar)) {
            return text(response, callback, 404, "no such page: a stats page is /stats/SHORTCODE, with a short code of"
                    + " letters, digits, - and _\n");
        }
        if (links.lookup(code) == null) {
            // Not the stats page's shell, whose script would then fail on a link that is not there.
            return notHeld(response, callback, code, null);
        }
        Map<String, Object> model = model(head("Stats of " + code, "stats", "stats.js"));
        model.put("shortCode", code);
        model.put("shortUrl", base.shortUrl(code));
        return html(response, callback, 200, "web/stats.jte", model);
    }

    @Override
    public boolean wantsPage(Request request) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return accept != null && accept.contains("text/html");
    }

    @Override
    public int created(Request request, Response response, Callback callback, String shortCode) {
        response.getHeaders().put(HttpHeader.LOCATION, "/?short=" + shortCode);
        response.getHeaders().put(NO_STORE);
        return text(response, callback, 303, base.shortUrl(shortCode));
    }

    @Override
    public int refused(Request request, Response response, Callback callback, int status, String problem, String url) {
        return html(response, callback, status, "web/shorten.jte", shortenModel(null, url, problem));
    }

    /** 404 with the shorten page, saying goto holds no link by {@code code} (escaped by the template). */
    private int notHeld(Response response, Callback callback, String code, String url) {
        return html(response, callback, 404, "web/shorten.jte", shortenModel(null, url,
                "no such short link" + (ShortCodes.slugProblem(code) == null ? " " + base.shortUrl(code) : "")
                + ": goto holds no link by that code (it may have been deleted); shorten a link here"));
    }

    private Map<String, Object> shortenModel(String code, String url, String problem) {
        Map<String, Object> model = model(head("Shorten a link", "shorten", "shorten.js"));
        model.put("shortCode", code);
        model.put("shortUrl", code == null ? null : base.shortUrl(code));
        model.put("url", url);
        model.put("problem", problem);
        model.put("publicAdd", publicAdd);
        return model;
    }

    private PageHead head(String title, String nav, String script) {
        return new PageHead(title, nav, assets.url("goto.css"), assets.url("icon.svg"), assets.url("common.js"), assets.url(script));
    }

    private static Map<String, Object> model(PageHead head) {
        Map<String, Object> model = new HashMap<>();
        model.put("head", head);
        return model;
    }

    private static boolean codeChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static Fields query(Request request) {
        try {
            return Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return Fields.EMPTY;
        }
    }

    private int asset(String path, Request request, Response response, Callback callback) {
        Assets.Asset asset = assets.find(path);
        if (asset == null) {
            return text(response, callback, 404, "no such file: goto's web assets are linked from its pages, with the"
                    + " version of the build that serves them\n");
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(ASSET_CACHE);
        response.getHeaders().put(NO_SNIFF);
        response.write(true, asset.bytes().slice(), callback);
        return 200;
    }

    private int html(Response response, Callback callback, int status, String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        response.setStatus(status);
        response.getHeaders().put(HTML);
        response.getHeaders().put(CSP);
        response.getHeaders().put(NO_FRAMES);
        response.getHeaders().put(NO_SNIFF);
        response.getHeaders().put(NO_REFERRER);
        response.getHeaders().put(COOP);
        response.getHeaders().put(PAGE_CACHE);
        Content.Sink.write(response, true, out.toString(), callback);
        return status;
    }

    private static int text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(TEXT);
        response.getHeaders().put(NO_SNIFF);
        Content.Sink.write(response, true, body, callback);
        return status;
    }
}
