package gotourl.http;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's HTTP/1.1 connections, but for where a connection looks for its next request after an
 * answer completed on another thread than the one that read the request (a durable add, answered
 * with its group commit on the selector thread; a create through the REST API).
 *
 * <p>Why. Jetty 12.1 then hands the connection to its thread pool to read on ({@code
 * HttpConnection.run}, from {@code HttpStreamOverHTTP1.resume}) whatever the connection holds.
 * A client that waits for its answer before it sends again has sent nothing yet: the pooled
 * thread is woken, reads nothing twice (EAGAIN), asks the selector to watch the socket, and
 * sleeps again. Under durable adds with 64 clients that was one thread wake-up, two context
 * switches and two empty reads per add (BENCHMARKS.md, "Durable adds, round three"). Here the
 * connection asks the selector to watch the socket at once when nothing of a next request is
 * buffered, as Jetty 12.0 did; with bytes buffered (a pipelined request), a closed parser or
 * anything else, Jetty's own dispatch runs as before. Reading and parsing then happen when the
 * selector sees the next request arrive, exactly as for a connection that was never busy.
 *
 * <p>It leans on Jetty's internals ({@code org.eclipse.jetty.server.internal.HttpConnection},
 * and its dispatch of itself through {@code getExecutor()}): should a later Jetty
 * dispatch something else, or through another executor, that dispatch runs unchanged, and only
 * the saving is lost.
 */
final class NextRequestConnections extends HttpConnectionFactory {
    private final PlainRedirectConnection.Routes plainRedirects;

    /** HTTP/1.1 connections configured by {@code config}, as Jetty's factory makes them. */
    NextRequestConnections(HttpConfiguration config) {
        this(config, null);
    }

    /**
     * As {@link #NextRequestConnections(HttpConfiguration)}, but each connection starts as a
     * {@link PlainRedirectConnection} answering {@code plainRedirects}' plain redirects itself
     * (null: none does).
     */
    NextRequestConnections(HttpConfiguration config, PlainRedirectConnection.Routes plainRedirects) {
        super(config);
        this.plainRedirects = plainRedirects;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (plainRedirects != null) {
            return configure(new PlainRedirectConnection(connector, endPoint, this, plainRedirects), connector, endPoint);
        }
        return newHttp1(connector, endPoint);
    }

    /** Jetty's HTTP/1.1 connection for {@code endPoint}, with the connector's listeners. */
    Http1 newHttp1(Connector connector, EndPoint endPoint) {
        Http1 connection = new Http1(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** A connection whose own dispatch to look for its next request becomes a read interest when nothing is buffered. */
    static final class Http1 extends HttpConnection {
        private final Executor executor;
        /** Set on the selector thread before the hand-off from a {@link PlainRedirectConnection}, and read there. */
        private boolean adoptInline;
        /**
         * What Jetty's own connection registers when it waits to read: {@link #onFillable} with
         * the server's invocation type, so that a non-blocking server reads and handles the next
         * request on the selector thread. ({@code fillInterested()} without a callback would
         * register one of the blocking kind, which the selector hands to a pooled thread.)
         */
        private final Callback fillable = new Callback() {
            @Override
            public void succeeded() {
                onFillable();
            }

            @Override
            public void failed(Throwable cause) {
                onFillInterestedFailed(cause);
            }

            @Override
            public InvocationType getInvocationType() {
                return getServer().getInvocationType();
            }
        };

        Http1(HttpConfiguration config, Connector connector, EndPoint endPoint) {
            super(config, connector, endPoint);
            Executor pool = super.getExecutor();
            this.executor = task -> {
                if (task == this && adoptInline) {
                    // Jetty's onOpen with bytes already buffered: read them now, on the thread
                    // that handed them over, as Jetty reads a request on a non-blocking server.
                    adoptInline = false;
                    run();
                } else if (task == this && awaitsNextRequest()) {
                    fillInterested(fillable);
                } else {
                    pool.execute(task);
                }
            };
        }

        /**
         * Makes this connection read the bytes it adopts at a hand-off (from
         * {@link PlainRedirectConnection}) on the handing thread when it opens, instead of
         * dispatching that read to a pooled thread.
         */
        void readAdoptedBytesInline() {
            adoptInline = true;
        }

        /** Nothing of a next request has arrived, nothing reads, and the connection is open: only the selector can help. */
        private boolean awaitsNextRequest() {
            return isRequestBufferEmpty() && getParser().isStart() && !isFillInterested() && getEndPoint().isOpen()
                    && getEndPoint().getConnection() == this;
        }

        @Override
        protected Executor getExecutor() {
            // Null while Jetty's constructor runs, before this class's own field is set.
            return executor != null ? executor : super.getExecutor();
        }
    }
}
