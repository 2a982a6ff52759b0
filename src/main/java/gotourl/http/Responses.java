package gotourl.http;

import gotourl.ops.ErrorLog;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing the few kinds of response goto sends. */
final class Responses {
    static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    static final HttpField HTML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    static final HttpField RETRY_SOON = new PreEncodedHttpField(HttpHeader.RETRY_AFTER, "1");
    static final HttpField CLOSE = new PreEncodedHttpField(HttpHeader.CONNECTION, "close");

    private Responses() {}

    static int text(Response response, Callback callback, int status, String body) {
        return write(response, callback, status, TEXT, body);
    }

    static int html(Response response, Callback callback, int status, String body) {
        return write(response, callback, status, HTML, body);
    }

    /**
     * A not-found redirect ({@link gotourl.link.NotFoundRedirects}): always 302, whatever
     * {@code -redirect-status} says, since the API may change where it points at any time and a
     * browser keeps a 301 for good.
     */
    static int notFoundRedirect(Response response, Callback callback, String location) {
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.write(true, null, callback);
        return 302;
    }

    static int write(Response response, Callback callback, int status, HttpField contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(contentType);
        Content.Sink.write(response, true, body, callback);
        return status;
    }

    static int methodNotAllowed(Response response, Callback callback, String method, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return text(response, callback, 405, "method " + method + " is not allowed here; use " + allowed + "\n");
    }

    /**
     * Answers a failure inside goto: a 500 with a short id that names its cause in the log, where
     * the stack trace is (once per cause per minute: {@link ErrorLog}), so a report can be matched
     * to the log without showing the trace to the client.
     */
    static int internalError(Request request, Response response, Callback callback, Throwable failure, ErrorLog errors) {
        String id = errors.internalError(request.getMethod(), AccessLogWriter.masked(request.getHttpURI().getPathQuery()), failure);
        if (response.isCommitted()) {
            callback.failed(failure);
        } else {
            response.reset();
            text(response, callback, 500, "goto hit an internal error (id " + id + ") and could not complete this request."
                    + " Retry it; if it happens again, report the id to goto's operator.\n");
        }
        return 500;
    }
}
