package gotourl.http;

import gotourl.ListenAddress;
import gotourl.link.LongUrlRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One Jetty server with goto's listeners: the application connector and, unless turned off, the
 * admin connector. They share one lifecycle: both bind before either serves, a failure of either
 * stops both, and a stop drains in-flight requests of both under one deadline.
 */
public final class WebServer {

    /** Limits that protect the service; see the README's operations section. */
    public record Limits(Duration idleTimeout, Duration requestTimeout, int requestHeaderBytes, int maxConnections) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(10), 16 * 1024, 10_000);
    }

    /** A listener that could not start, named so the operator knows which flag to change. */
    public static final class ListenerException extends IOException {
        ListenerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final long SHUTDOWN_IDLE_MILLIS = 100;
    /** Jetty's {@code MemoryUtils} reads this before it asks JMX whether object references are compressed. */
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        // Unless told, Jetty learns the size of an object reference (to pad its queues to a cache
        // line) from the HotSpot diagnostic MBean, and building the platform MBean server for that
        // one answer costs 0.3 s of CPU on a busy core (BENCHMARKS.md, "Start with 1M links, round
        // two"). The JVM compresses references below 32 GiB of heap unless told not to; a wrong
        // guess only changes the padding.
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            int cacheLineBytes = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
            boolean compressed = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty(REFERENCES_PER_CACHE_LINE, String.valueOf(cacheLineBytes / (compressed ? 4 : 8)));
        }
    }

    /**
     * Bytes read from a connection at a time, and so the request buffer each request allocates
     * (Jetty's default is 8 KiB). Without a buffer pool (see {@link #create}) every request
     * allocates its buffers anew, and the 8 KiB request and response header buffers were most of
     * the bytes a redirect allocated, which set how often the young generation fills
     * (BENCHMARKS.md, "Visits on the redirect path"). A redirect's request is tens to hundreds of
     * bytes (a browser's ~1 KB); a longer one is parsed across several reads, as Jetty's parser
     * keeps its state between them, and is still limited by {@link Limits#requestHeaderBytes}
     * (431, 414).
     */
    static final int INPUT_BUFFER_BYTES = 2048;
    /**
     * The buffer Jetty writes a response's headers into first (its default is 8 KiB). A redirect's
     * headers are ~100 bytes and its Location; goto's pages' under a kilobyte. A response whose
     * headers do not fit gets a buffer of {@link #maxResponseHeaderBytes} instead.
     */
    static final int RESPONSE_HEADER_BUFFER_BYTES = 1024;

    /**
     * The most bytes of response headers: a redirect's Location can be a long URL of the longest
     * goto accepts ({@link LongUrlRules#MAX_URL_CHARS}) with the longest query a request line can
     * forward to it (under {@code requestHeaderBytes}), and 2 KiB more for the other headers.
     */
    static int maxResponseHeaderBytes(int requestHeaderBytes) {
        return LongUrlRules.MAX_URL_CHARS + requestHeaderBytes + 2048;
    }

    private final Server server;
    private final ServerConnector app;
    private final ServerConnector admin;
    private final Scheduler scheduler;
    private final GracefulHandler graceful;
    private final ServerErrors errors;
    private final SelectorAnswers answers = new SelectorAnswers();

    private WebServer(Server server, ServerConnector app, ServerConnector admin, Scheduler scheduler, GracefulHandler graceful,
                      ServerErrors errors) {
        this.server = server;
        this.app = app;
        this.admin = admin;
        this.scheduler = scheduler;
        this.graceful = graceful;
        this.errors = errors;
    }

    /** The scheduler to use for timed work on request paths; it lives as long as the server. */
    public static Scheduler newScheduler() {
        return new ScheduledExecutorScheduler("goto-scheduler", false);
    }

    public static WebServer create(ListenAddress appAddress, Handler appHandler, ListenAddress adminAddress,
                                   Handler adminHandler, Limits limits, Path accessLog, Scheduler scheduler) {
        // Few threads: redirects run on selector threads and adds complete from the writer, so the
        // pool only carries selectors, acceptors and the occasional blocking task.
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("goto-http");
        // No pooled buffers: Jetty 12.1.6 to 12.1.14 (at least) can hand one connection's pooled
        // request buffer to another while a bad request on the first is being answered, and the
        // other client then gets a 400, another client's answer or none, and pipelined adds may be
        // stored twice (docs/JETTY-BUFFER-CROSSTALK.md). Without a pool no buffer is shared;
        // heap buffers keep each allocation cheap. The cost is in BENCHMARKS.md.
        Server server = new Server(pool, scheduler, new ByteBufferPool.NonPooling());

        HttpConfiguration http = httpConfiguration(limits);

        // A plain link's redirect is answered without Jetty's request path (PlainRedirectConnection),
        // unless every request is to be in the access log, which only Jetty's path writes.
        PlainRedirectConnection.Routes plainRedirects = accessLog == null && appHandler instanceof AppHandler routes
                ? routes.plainRedirects() : null;
        ServerConnector app = connector(server, "app", appAddress, new NextRequestConnections(http, plainRedirects), limits);
        server.addConnector(app);
        ServerConnector admin = null;
        if (adminAddress != null) {
            admin = connector(server, "admin", adminAddress, new NextRequestConnections(http), limits);
            server.addConnector(admin);
        }
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));

        ListenerRouter router = new ListenerRouter(appHandler, adminAddress == null ? null : adminHandler);
        router.adminConnector(admin);
        GracefulHandler graceful = new GracefulHandler(router);
        server.setHandler(graceful);
        ServerErrors errors = new ServerErrors(admin, limits.requestHeaderBytes());
        server.setErrorHandler(errors);
        // A request cut off while its headers were still arriving had no answer to count; it is
        // counted as the 408 it would have got.
        app.getBean(RequestDeadline.class).onCut(() -> errors.countAppError(408));
        if (accessLog != null) {
            Path file = accessLog.toString().equals("-") ? null : accessLog;
            CustomRequestLog log = new Utf8HeadersRequestLog(new AccessLogWriter(file), CustomRequestLog.EXTENDED_NCSA_FORMAT);
            // Health checks and scrapes arrive every few seconds and would drown the requests.
            ServerConnector adminConnector = admin;
            log.setFilter((request, response) -> request.getConnectionMetaData().getConnector() != adminConnector);
            server.setRequestLog(log);
        }
        return new WebServer(server, app, admin, scheduler, graceful, errors);
    }

    /**
     * How both listeners parse requests and write answers: no {@code Server} or {@code X-Powered-By}
     * header, {@code limits}' request header size, the buffer sizes above, heap buffers, and no
     * per-connection header cache.
     *
     * <p>The header cache: Jetty's parser (12.1) matches each header line of a request against the
     * header lines earlier requests on the same connection sent ({@code HttpParser.FieldCache}, up
     * to {@code headerCacheSize} bytes, 1,024 by default), so that a repeated line costs no new
     * field. Under redirects on keep-alive connections that match was 13% of the server core's
     * samples (JFR, two profiles), more than the parsing it saves (a new {@code Host} field, 3.5%);
     * and a shortener's visitor mostly sends one request per connection, which such a cache never
     * serves. Size 0 turns it off; the well-known lines ({@code Connection: keep-alive}, ...) are
     * still matched against Jetty's static table. BENCHMARKS.md, "Redirects in steady state: the
     * per-connection header cache".
     */
    static HttpConfiguration httpConfiguration(Limits limits) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.requestHeaderBytes());
        http.setInputBufferSize(INPUT_BUFFER_BYTES);
        http.setResponseHeaderSize(RESPONSE_HEADER_BUFFER_BYTES);
        http.setMaxResponseHeaderSize(maxResponseHeaderBytes(limits.requestHeaderBytes()));
        http.setUseInputDirectByteBuffers(false);
        http.setUseOutputDirectByteBuffers(false);
        http.setHeaderCacheSize(0);
        return http;
    }

    private static ServerConnector connector(Server server, String name, ListenAddress address, NextRequestConnections http,
                                             Limits limits) {
        ServerConnector connector = new ServerConnector(server, 1, 1, http);
        connector.setName(name);
        connector.setHost(address.host());
        connector.setPort(address.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        // At a stop, a keep-alive connection between requests is closed after this long instead
        // of Jetty's default second, so idle clients do not hold up every shutdown; a request in
        // progress is not cut by it while it waits for goto, only when its client goes silent.
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        connector.setReuseAddress(true);
        connector.addBean(new RequestDeadline(server.getScheduler(), limits.requestTimeout()));
        return connector;
    }

    /**
     * Binds every listener, then starts serving. If one cannot bind, none serves, and the
     * exception names the listener and address.
     */
    public void start() throws ListenerException {
        for (ServerConnector connector : connectors()) {
            try {
                connector.open();
            } catch (IOException | RuntimeException e) {
                String why = reason(e);
                if (connector == admin && why.equals(IN_USE) && admin.getPort() == app.getLocalPort() && overlap(admin, app)) {
                    why = "that is the app listener's port (-http): give -admin another one, such as 127.0.0.1:" + (app.getLocalPort() + 1)
                            + ", or -admin=off";
                }
                closeAll();
                throw new ListenerException(connector.getName() + " listener cannot listen on " + address(connector) + ": " + why, e);
            }
        }
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            throw new ListenerException("goto's HTTP server failed to start: " + reason(e), e);
        }
        answers.bind(app);
    }

    /**
     * Calls {@code counter} with the status of each answer the server itself gives on the
     * application listener (414, 431, 400 for a malformed request, 503 during a stop, and 408
     * for a connection closed because its request headers were still arriving at the deadline).
     */
    public void countServerAnswers(java.util.function.IntConsumer counter) {
        errors.countAppErrors(counter);
    }

    /** Calls {@code onFailure} if any listener fails after start, so goto can stop as a whole. */
    public void onListenerFailure(java.util.function.Consumer<String> onFailure) {
        for (ServerConnector connector : connectors()) {
            // The port it is bound to, named now: once it has failed, its socket may be gone,
            // and for -http=:0 the configured port would not tell which one failed.
            String listener = connector.getName() + " listener on " + (connector.getHost() == null ? "" : connector.getHost())
                    + ":" + (connector.getLocalPort() > 0 ? connector.getLocalPort() : connector.getPort());
            connector.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                    onFailure.accept(listener + " failed: " + reason(cause));
                }

                @Override
                public void lifeCycleStopped(LifeCycle event) {
                    if (!server.isStopping() && !server.isStopped()) {
                        onFailure.accept(listener + " stopped unexpectedly");
                    }
                }
            });
        }
    }

    /**
     * Stops accepting, lets in-flight requests finish until {@code deadline}, then stops.
     * Returns how many requests were still in flight when the deadline ended the wait.
     */
    public long stop(Duration deadline) {
        long inFlightAtDeadline = 0;
        try {
            Graceful.shutdown(server).get(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The drain did not finish, so a request was in flight at the deadline, even if the
            // stop's own idle timeout has ended it by the time it is counted (seen on a busy machine).
            inFlightAtDeadline = Math.max(1, graceful.getCurrentRequestCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlightAtDeadline = graceful.getCurrentRequestCount();
        } catch (ExecutionException e) {
            inFlightAtDeadline = graceful.getCurrentRequestCount();
        }
        server.setStopTimeout(1);
        stopQuietly();
        return inFlightAtDeadline;
    }

    public long inFlightRequests() {
        return graceful.getCurrentRequestCount();
    }

    public int appPort() {
        return app.getLocalPort();
    }

    /** The admin listener's bound port, or -1 when it is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.getLocalPort();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Runs a task on the application listener's selector thread (on the caller's before start
     * and after stop): where the store answers a group commit ({@link SelectorAnswers}).
     */
    public java.util.concurrent.Executor answers() {
        return answers;
    }

    /** The executor behind {@link #answers()}, for tests that count its hand-offs. */
    SelectorAnswers selectorAnswers() {
        return answers;
    }

    /** The listener named {@code app} or {@code admin}, for a test that makes it fail. */
    ServerConnector listener(String name) {
        return connectors().stream().filter(connector -> connector.getName().equals(name)).findFirst().orElseThrow();
    }

    private List<ServerConnector> connectors() {
        List<ServerConnector> all = new ArrayList<>();
        all.add(app);
        if (admin != null) {
            all.add(admin);
        }
        return all;
    }

    private void closeAll() {
        for (ServerConnector connector : connectors()) {
            connector.close();
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // Start already failed; that failure is the one reported.
        } finally {
            answers.stop();
        }
    }

    /** True when two listeners' hosts can clash on one port: the same host, or either on every interface. */
    private static boolean overlap(ServerConnector one, ServerConnector other) {
        return everyInterface(one.getHost()) || everyInterface(other.getHost()) || one.getHost().equalsIgnoreCase(other.getHost());
    }

    private static boolean everyInterface(String host) {
        return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String address(ServerConnector connector) {
        return (connector.getHost() == null ? "" : connector.getHost()) + ":" + connector.getPort();
    }

    static final String IN_USE = "the address is already in use (is another goto running?)";

    /**
     * Why a listener could not bind, and what to do, for a failure {@code e} of opening it (its
     * root cause is read): the system's words ("Cannot assign requested address") name neither,
     * and a {@link java.net.BindException} is more than a port in use. Never null.
     */
    public static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message != null && message.contains("Cannot assign requested address")) {
            return "no network interface of this machine has that address: name one it has, or listen on every interface"
                    + " (:PORT)";
        }
        if (root instanceof java.net.BindException && message != null && message.contains("Permission denied")) {
            return "permission denied: ports below 1024 need root or the capability CAP_NET_BIND_SERVICE; use a port of 1024"
                    + " or more (behind your proxy), or give java that capability";
        }
        if (root instanceof java.net.BindException || (message != null && message.contains("Address already in use"))) {
            return IN_USE;
        }
        if (root instanceof java.nio.channels.UnresolvedAddressException) {
            return "the host name does not resolve";
        }
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
