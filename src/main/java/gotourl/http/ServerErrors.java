package gotourl.http;

import gotourl.link.LongUrlRules;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers: to requests it refuses before any goto route runs (a URI too long,
 * headers too large, a malformed request) and to new requests during a stop. They are short
 * plain text that says what was wrong and what to do, like goto's other answers, instead of
 * Jetty's HTML page that only names the status; a 503 during a stop carries Retry-After. Those on
 * the application listener are counted like goto's own answers, so a flood of 414s or 431s shows
 * in the metrics; the admin listener's are not, as none of its requests are. They are plain text
 * under {@code /rest/} too: Jetty replaces the path of a request it could not parse, so the
 * REST API's problem+json cannot be chosen for it.
 */
final class ServerErrors extends ErrorHandler {
    private final Connector admin;
    private final int requestHeaderBytes;
    private volatile IntConsumer appErrors = status -> {};

    ServerErrors(Connector admin, int requestHeaderBytes) {
        this.admin = admin;
        this.requestHeaderBytes = requestHeaderBytes;
    }

    void countAppErrors(IntConsumer counter) {
        appErrors = counter;
    }

    /** Counts an answer the server gave (or would have given) on the application listener. */
    void countAppError(int status) {
        appErrors.accept(status);
    }

    /** The body of every 503 a stop answers: Jetty's refusal during a stop, and a request held while a failed start stops. */
    static final String SHUTTING_DOWN = "goto is shutting down and takes no new requests; this one was not"
            + " handled and nothing was stored. Retry in a moment.\n";

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer error ? error : response.getStatus();
        if (admin == null || request.getConnectionMetaData().getConnector() != admin) {
            appErrors.accept(status);
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            // Jetty's only 503 is the refusal of a request during a stop. It adds Connection: close
            // itself only if the listener has already closed when the answer starts; say it always.
            response.getHeaders().put(Responses.RETRY_SOON);
            response.getHeaders().put(Responses.CLOSE);
        }
        return super.handle(request, response, callback);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Responses.text(response, callback, code, explain(code, message));
    }

    private String explain(int code, String message) {
        return switch (code) {
            // Jetty does not say which part was malformed (nor keep the path): name the usual causes.
            case HttpStatus.BAD_REQUEST_400 -> "malformed HTTP request (" + message + "); goto expects HTTP/1.1 requests"
                    + " such as GET /KEY, or POST /add with the form field url. A request line whose path is not valid"
                    + " percent-encoding is refused so: write % itself as %25, and anything outside ASCII as the"
                    + " %-escapes of its UTF-8 bytes.\n";
            case HttpStatus.URI_TOO_LONG_414 -> "the request line is too long: goto reads at most " + requestHeaderBytes
                    + " bytes of request line and headers. To shorten a long URL, send it in the body: POST /add with the"
                    + " form field url (up to " + LongUrlRules.MAX_URL_CHARS + " characters).\n";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request headers are too large: goto reads at most "
                    + requestHeaderBytes + " bytes of request line and headers. Send fewer or smaller headers"
                    + " (large cookies are the usual cause).\n";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> SHUTTING_DOWN;
            default -> code + " " + HttpStatus.getMessage(code)
                    + (message == null || message.equals(HttpStatus.getMessage(code)) ? "" : ": " + message) + "\n";
        };
    }
}
