package gotourl.protect;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gotourl.link.Link;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * A protected link's visitor side. {@code GET /CODE} (and HEAD) answers a password page (the jte
 * template {@code protect/password.jte}) and never the long URL; its form posts the field
 * {@code password} back to the same URL, query string and all, so {@code ?nostat} and a forwarded
 * query work as for a redirect. {@code POST /CODE}, in order:
 * <ol>
 *   <li>a cross-site post is refused (403): {@code Sec-Fetch-Site}, when sent, must not be
 *       {@code cross-site} or {@code same-site}; when it is {@code same-origin}, the browser
 *       vouches for the post; else the {@code Origin} header, when sent, must name the host the
 *       request came to or goto's public origin ({@code -host}: a reverse proxy may have written
 *       its own {@code Host}, as nginx's {@code proxy_pass} does by default). The Fetch
 *       standard's headers, which a page of another site cannot forge (OWASP's "verifying origin
 *       with standard headers");</li>
 *   <li>a try is taken from the client's and the link's buckets ({@link UnlockLimits}), else 429
 *       with {@code Retry-After};</li>
 *   <li>the hash is checked off the selector thread ({@link PasswordChecks}; 503 with
 *       {@code Retry-After} when too many wait);</li>
 *   <li>wrong: the page again, 403, saying so; right: the caller's {@link Unlock} redirects
 *       (tracked once and counted against {@code maxVisits} as any redirect) with 303 See Other,
 *       whatever {@code -redirect-status} says: a 307 or 308 would make the browser post the
 *       password to the long URL's site.</li>
 * </ol>
 * Every page is {@code Cache-Control: no-store}, framed by no one ({@code X-Frame-Options: DENY},
 * {@code frame-ancestors 'none'}), runs no script ({@code default-src 'none'}; its one style
 * element carries a per-response nonce) and sends a referrer only to goto itself
 * ({@code same-origin}, which still lets the browser send {@code Origin} with the form).
 * The CSP has no {@code form-action}: browsers apply it to the redirect after the post, which
 * would block the long URL.
 */
public final class ProtectedRoute {
    /** A form of one field: a password of at most {@value Passwords#MAX_CHARS} characters, percent-encoded, with room. */
    static final int MAX_FORM_BYTES = 4096;
    private static final int MAX_FORM_FIELDS = 8;
    static final String TEMPLATE = "protect/password.jte";

    private static final HttpField HTML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final HttpField NO_FRAMES = new PreEncodedHttpField("X-Frame-Options", "DENY");
    private static final HttpField NO_SNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField REFERRER = new PreEncodedHttpField("Referrer-Policy", "same-origin");
    private static final HttpField RETRY_SOON = new PreEncodedHttpField(HttpHeader.RETRY_AFTER, "1");

    /** What the caller does once the password is right: redirect {@code link} with {@code status}, as its redirects do. */
    @FunctionalInterface
    public interface Unlock {
        void redirect(Request request, Response response, Callback callback, Link link, int status);
    }

    private final PasswordChecks checks;
    private final UnlockLimits limits;
    /** goto's public origin, {@code scheme://host[:port]} as a browser's {@code Origin} names it, from {@code -host}. */
    private final String publicOrigin;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final SecureRandom random = new SecureRandom();

    /**
     * @param publicOrigin goto's origin as browsers see it, {@code scheme://host[:port]} without a
     *                     path (from {@code -host}, e.g. {@code https://go.example.com}): a form
     *                     post whose {@code Origin} names it is goto's own, whatever {@code Host} a
     *                     proxy sent on
     */
    public ProtectedRoute(PasswordChecks checks, UnlockLimits limits, String publicOrigin) {
        this.checks = checks;
        this.limits = limits;
        this.publicOrigin = publicOrigin;
    }

    /** Answers GET or HEAD of protected {@code link} with its password page; returns the status. */
    public int page(Request request, Response response, Callback callback, Link link) {
        return answer(request, response, callback, 200, link, null);
    }

    /**
     * Answers a POST to protected {@code link} from {@code client} (its address as rate limits
     * count it): reads the form, then as the class comment says. {@code answered} gets the status
     * of every answer but a right password's, which {@code unlock} answers. Never blocks.
     */
    public void unlock(Request request, Response response, Callback callback, Link link, String client, Unlock unlock,
                       IntConsumer answered) {
        String crossSite = crossSite(request, publicOrigin);
        if (crossSite != null) {
            answered.accept(answer(request, response, callback, 403, link, crossSite));
            return;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !MimeTypes.getBase(contentType).equalsIgnoreCase("application/x-www-form-urlencoded")) {
            answered.accept(answer(request, response, callback, 415, link,
                    "Send the password as a form (application/x-www-form-urlencoded), field \"password\"."));
            return;
        }
        FormFields.onFields(request, StandardCharsets.UTF_8, MAX_FORM_FIELDS, MAX_FORM_BYTES,
                Promise.Invocable.from(InvocationType.NON_BLOCKING, (Fields form, Throwable failure) -> {
                    try {
                        if (failure != null) {
                            answered.accept(answer(request, response, callback, 400, link,
                                    "The form could not be read (" + failure.getMessage() + "); send the field \"password\" alone."));
                            return;
                        }
                        check(request, response, callback, link, client, form.getValue("password"), unlock, answered);
                    } catch (Throwable e) {
                        Response.writeError(request, response, callback, e);
                        answered.accept(500);
                    }
                }));
    }

    private void check(Request request, Response response, Callback callback, Link link, String client, String password,
                       Unlock unlock, IntConsumer answered) {
        if (password == null || password.isEmpty()) {
            answered.accept(answer(request, response, callback, 400, link, "Type the link's password, then press Continue."));
            return;
        }
        long waitSeconds = limits.admit(client, link.shortCode());
        if (waitSeconds > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(waitSeconds));
            answered.accept(answer(request, response, callback, 429, link,
                    "Too many tries. Wait " + waitSeconds + " second" + (waitSeconds == 1 ? "" : "s") + ", then try again."));
            return;
        }
        checks.verify(password, link.passwordHash()).whenComplete((right, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    response.getHeaders().put(RETRY_SOON);
                    answered.accept(answer(request, response, callback, 503, link, cause instanceof PasswordChecks.BusyException
                            ? "goto is busy checking passwords. Try again in a moment."
                            : "goto could not check the password (" + cause.getMessage() + "). Try again in a moment."));
                } else if (right) {
                    limits.unlocked(link.shortCode());
                    unlock.redirect(request, response, callback, link, 303);
                } else {
                    answered.accept(answer(request, response, callback, 403, link, "Wrong password. Check it and try again."));
                }
            } catch (Throwable e) {
                Response.writeError(request, response, callback, e);
                answered.accept(500);
            }
        });
    }

    /**
     * Why this post looks cross-site (a message for the page), or null when it does not: an
     * {@code Sec-Fetch-Site} saying another site, or (without {@code Sec-Fetch-Site: same-origin})
     * an {@code Origin} that is neither the host it was sent to nor {@code publicOrigin}.
     */
    static String crossSite(Request request, String publicOrigin) {
        String fetchSite = request.getHeaders().get("Sec-Fetch-Site");
        if (fetchSite != null && (fetchSite.equals("cross-site") || fetchSite.equals("same-site"))) {
            return "This form was sent from another site, so goto did not check it. Open the link itself and type the password there.";
        }
        if ("same-origin".equals(fetchSite)) {
            return null; // the browser says the page that posted is goto's, whatever Host a proxy wrote
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || origin.equalsIgnoreCase(publicOrigin)) {
            return null; // no Origin: not a browser's form (curl, a script), nothing a page could have forged
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !host.equalsIgnoreCase(authority(origin))) {
            return "This form was sent from another site (" + origin + "), so goto did not check it."
                    + " Open the link itself and type the password there.";
        }
        return null;
    }

    /** The {@code host[:port]} of an {@code Origin} value, without the scheme's default port; "" for {@code null} or junk. */
    static String authority(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return "";
            }
            boolean defaultPort = uri.getPort() < 0 || uri.getPort() == 80 && "http".equals(uri.getScheme())
                    || uri.getPort() == 443 && "https".equals(uri.getScheme());
            return defaultPort ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    /** Writes the page for {@code link} with {@code status} and {@code message} (null for none); returns the status. */
    private int answer(Request request, Response response, Callback callback, int status, Link link, String message) {
        String nonce = Base64.getEncoder().encodeToString(nonceBytes());
        Map<String, Object> params = new HashMap<>();
        params.put("shortCode", link.shortCode());
        params.put("message", message);
        params.put("nonce", nonce);
        StringOutput page = new StringOutput();
        templates.render(TEMPLATE, params, page);
        byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.put(HTML);
        headers.put(NO_STORE);
        headers.put(NO_FRAMES);
        headers.put(NO_SNIFF);
        headers.put(REFERRER);
        headers.put("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; base-uri 'none';"
                + " frame-ancestors 'none'");
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? null : java.nio.ByteBuffer.wrap(body), callback);
        return status;
    }

    private byte[] nonceBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }
}
