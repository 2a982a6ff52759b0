package gotourl.api;

import gotourl.apikey.ApiKey;
import gotourl.http.RefusedBodies;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One REST request and its answer: who asked ({@link #key}), and the ways to answer it, each
 * writing once and completing Jetty's callback. Every answer that is not 2xx is problem+json.
 */
final class Exchange {
    static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    static final HttpField PROBLEM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/problem+json");
    static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    static final HttpField HEALTH = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/health+json");

    final Request request;
    final Response response;
    private final Callback callback;
    private final IntConsumer done;
    /** The caller's key once authenticated; null on the routes that need none. */
    ApiKey key;
    /** The route's methods, for {@code Allow} on a 405 and on a preflight. */
    String allowed = "";
    /** The form the body was sent as, once read; null for a JSON body or none. */
    FormBody form;

    Exchange(Request request, Response response, Callback callback, IntConsumer done) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.done = done;
    }

    /** The id an author-role key's view is limited to, or null for an admin key (sees all). */
    String authorScope() {
        return key != null && key.role() == ApiKey.Role.AUTHOR ? key.id() : null;
    }

    void json(int status, byte[] body) {
        write(status, JSON, body);
    }

    void json(int status, Json.Body body) {
        write(status, JSON, Json.write(body));
    }

    /** A plain-text answer: the shorten route's {@code format=txt}, whose body is an ASCII short URL. */
    void text(int status, String body) {
        write(status, TEXT, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void health(int status, byte[] body) {
        write(status, HEALTH, body);
    }

    void problem(Problem problem) {
        write(problem.status, PROBLEM, Json.write(json -> json.writeObject(problem.body())));
    }

    /**
     * Refuses the request before its body is read (a 413, or a 401, 405 or 503 from the headers
     * alone) and then reads the body to its end, bounded, so that a client still sending it sees
     * the refusal instead of a reset ({@link RefusedBodies}).
     */
    void refuseBody(Problem problem) {
        write(problem.status, PROBLEM, Json.write(json -> json.writeObject(problem.body())),
                RefusedBodies.drainAfter(request, callback));
    }

    /** An answer without a body: 204 for a delete, a rename or a preflight. */
    void empty(int status) {
        response.setStatus(status);
        response.write(true, null, callback);
        done.accept(status);
    }

    private void write(int status, HttpField contentType, byte[] body) {
        write(status, contentType, body, callback);
    }

    private void write(int status, HttpField contentType, byte[] body, Callback callback) {
        if (status == 405 && !allowed.isEmpty()) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
        }
        response.setStatus(status);
        response.getHeaders().put(contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (request.getMethod().equals("HEAD")) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        done.accept(status);
    }

    /**
     * Hands the response over to a stream that writes it for a long while (the live feed):
     * counts the answer as {@code status} now and returns Jetty's callback, which the stream
     * completes when it ends.
     */
    Callback stream(int status) {
        done.accept(status);
        return callback;
    }

    /** The query string's parameters (UTF-8); a query that is not valid URL encoding is a 400 {@code invalid-data}. */
    org.eclipse.jetty.util.Fields query() {
        try {
            return Request.extractQueryParameters(request, java.nio.charset.StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw Problem.invalidData("the query string is not valid URL encoding: " + e.getMessage()
                    + "; percent-encode it as UTF-8", List.of("query"));
        }
    }

    /**
     * True when the query's {@code domain} names a domain other than {@code ownDomain} (goto's
     * authority, e.g. {@code go.example.com:8080}) and other than {@code DEFAULT}: in Shlink such a
     * domain holds none of goto's links (a short code there is not found, a list there is empty).
     * An empty or absent {@code domain} is goto's own.
     */
    boolean asksForAnotherDomain(String ownDomain) {
        if (request.getHttpURI().getQuery() == null) {
            return false;
        }
        String domain = query().getValue("domain");
        return domain != null && !domain.isEmpty() && !domain.equals("DEFAULT") && !domain.equalsIgnoreCase(ownDomain);
    }

    /**
     * The values of a query parameter, in every form Shlink's clients send an array in:
     * {@code name}, {@code name[]} (the JS SDK's {@code tags[]=a&tags[]=b}) and {@code name[N]}
     * (PHP's {@code http_build_query}, which Shlink's PHP SDK sends {@code tags[0]=a&tags[1]=b}
     * with, and which Shlink reads as the same array). Empty when none.
     */
    static List<String> values(org.eclipse.jetty.util.Fields query, String name) {
        List<String> plain = query.getValues(name);
        List<String> bracketed = query.getValues(name + "[]");
        plain = plain == null ? List.of() : plain;
        bracketed = bracketed == null ? List.of() : bracketed;
        List<String> numbered = numbered(query, name);
        if (numbered.isEmpty()) {
            if (plain.isEmpty()) {
                return bracketed;
            }
            if (bracketed.isEmpty()) {
                return plain;
            }
        }
        List<String> all = new java.util.ArrayList<>(plain.size() + bracketed.size() + numbered.size());
        all.addAll(plain);
        all.addAll(bracketed);
        all.addAll(numbered);
        return all;
    }

    /** The values of {@code name[0]}, {@code name[1]}, ... (any digits between the brackets). */
    private static List<String> numbered(org.eclipse.jetty.util.Fields query, String name) {
        List<String> values = List.of();
        for (org.eclipse.jetty.util.Fields.Field field : query) {
            String key = field.getName();
            if (key.length() > name.length() + 2 && key.startsWith(name) && key.charAt(name.length()) == '['
                    && key.charAt(key.length() - 1) == ']' && digits(key, name.length() + 1, key.length() - 1)) {
                if (values.isEmpty()) {
                    values = new java.util.ArrayList<>();
                }
                values.addAll(field.getValues());
            }
        }
        return values;
    }

    /** True when {@code text[from..to)} is only digits (or empty). */
    static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
