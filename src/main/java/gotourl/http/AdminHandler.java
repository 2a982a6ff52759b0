package gotourl.http;

import gotourl.ops.ErrorLog;
import gotourl.ops.Health;
import gotourl.ops.Metrics;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The admin listener: health for orchestrators, metrics for Prometheus. */
public final class AdminHandler extends Handler.Abstract.NonBlocking {
    private static final HttpField PROMETHEUS_TEXT =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    private static final String INDEX = """
            goto admin
              /health/live    200 while the process answers
              /health/ready   200 when goto can take traffic (with what is degraded, if anything), 503 with the reason when not
              /health/visits  200 while visits are recorded, 503 with the reason when not
              /metrics        Prometheus text format
            """;

    private final Health health;
    private final Metrics metrics;
    private final ErrorLog errors;

    public AdminHandler(Health health, Metrics metrics, ErrorLog errors) {
        this.health = health;
        this.metrics = metrics;
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback given) {
        // No admin path reads a body: one sent anyway is read to its end after the answer
        // (bounded), so that a client still sending gets the answer, not a reset (RefusedBodies).
        Callback callback = RefusedBodies.drainAfter(request, given);
        try {
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                Responses.methodNotAllowed(response, callback, method, "GET, HEAD");
                return true;
            }
            switch (request.getHttpURI().getPath()) {
                case "/health/live" -> Responses.text(response, callback, 200, "live\n");
                case "/health/ready" -> {
                    String reason = health.notReadyReason();
                    if (reason == null) {
                        String degraded = health.degradedReason();
                        Responses.text(response, callback, 200, degraded == null ? "ready\n" : "ready\ndegraded: " + degraded + "\n");
                    } else {
                        if (health.isStopping()) {
                            // goto is going away: say so, rather than leave a checker's kept-alive
                            // connection to be cut once the listener closes (RFC 9112 §9.6).
                            response.getHeaders().put(Responses.CLOSE);
                        }
                        Responses.text(response, callback, 503, "not ready: " + reason + "\n");
                    }
                }
                case "/health/visits" -> {
                    String degraded = health.visitsReason();
                    Responses.text(response, callback, degraded == null ? 200 : 503, degraded == null ? "recording\n"
                            : "degraded: " + degraded + "\n");
                }
                case "/metrics" -> Responses.write(response, callback, 200, PROMETHEUS_TEXT, metrics.scrape());
                case "/" -> Responses.text(response, callback, 200, INDEX);
                default -> Responses.text(response, callback, 404, "no such admin path; see / for the list\n");
            }
        } catch (Throwable failure) {
            Responses.internalError(request, response, callback, failure, errors);
        }
        return true;
    }
}
