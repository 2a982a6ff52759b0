package gotourl.http;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Sends each request to the handler of the listener it arrived on. Both handlers are
 * non-blocking, so the server as a whole stays non-blocking and Jetty can answer redirects on
 * the selector thread.
 */
final class ListenerRouter extends Handler.Abstract.NonBlocking {
    private final Handler app;
    private final Handler admin;
    private volatile Connector adminConnector;

    ListenerRouter(Handler app, Handler admin) {
        this.app = app;
        this.admin = admin;
        if (admin != null) {
            addBean(admin);
        }
        addBean(app);
    }

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        app.setServer(server);
        if (admin != null) {
            admin.setServer(server);
        }
    }

    void adminConnector(Connector connector) {
        adminConnector = connector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (admin != null && request.getConnectionMetaData().getConnector() == adminConnector) {
            return admin.handle(request, response, callback);
        }
        return app.handle(request, response, callback);
    }
}
