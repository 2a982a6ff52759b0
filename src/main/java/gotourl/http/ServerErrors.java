package gotourl.http;

import java.util.function.IntConsumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers: to requests it refuses before any goto route runs (a URI too long,
 * headers too large, a malformed request) and to new requests during a stop. Those on the
 * application listener are counted like goto's own answers, so a flood of 414s or 431s shows in
 * the metrics; the admin listener's are not, as none of its requests are.
 */
final class ServerErrors extends ErrorHandler {
    private final Connector admin;
    private volatile IntConsumer appErrors = status -> {};

    ServerErrors(Connector admin) {
        this.admin = admin;
    }

    void countAppErrors(IntConsumer counter) {
        appErrors = counter;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (admin == null || request.getConnectionMetaData().getConnector() != admin) {
            if (request.getAttribute(ERROR_STATUS) instanceof Integer status) {
                appErrors.accept(status);
            }
        }
        return super.handle(request, response, callback);
    }
}
