package gotourl.http;

import gotourl.ops.Metrics;
import gotourl.ops.Metrics.Route;
import gotourl.store.LinkStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /KEY}: 302 to the long URL. The hot path: one lookup, no lock, no allocation but the header. */
public final class RedirectRoute {
    private final Metrics metrics;

    public RedirectRoute(Metrics metrics) {
        this.metrics = metrics;
    }

    void handle(Request request, Response response, Callback callback, String path, LinkStore store, long start) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            metrics.request(Route.REDIRECT, Responses.methodNotAllowed(response, callback, method, "GET, HEAD"), start);
            return;
        }
        String key = path.substring(1);
        String url = store.lookup(key);
        if (url == null) {
            metrics.request(Route.REDIRECT, Responses.html(response, callback, 404, Pages.notFound(key)), start);
            return;
        }
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, url);
        // An empty last write, not callback.succeeded(): succeeding the callback of an unwritten
        // response makes Jetty write it while it completes the stream, and when the previous
        // response on the connection was written from another thread (a durable add answered
        // after its group commit), that raced and lost a response now and then.
        response.write(true, null, callback);
        metrics.request(Route.REDIRECT, 302, start);
    }
}
