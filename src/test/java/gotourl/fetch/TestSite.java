package gotourl.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A web site the tests start on an ephemeral loopback port, with the pages a link checker meets:
 * {@code /ok} (a titled page), {@code /missing} (404), {@code /broken} (500), {@code /no-head}
 * (405 to HEAD, 200 to GET), {@code /slow} (answers after {@code slowMillis}), {@code /loop-a}
 * and {@code /loop-b} (redirect to each other), {@code /to?url=U} (302 to U), {@code /hops/N}
 * (N redirects, then 200), {@code /huge} (an endless body), {@code /hang} (answers when
 * {@link #release} is called), {@code /wait?ms=N} (answers after N ms). It counts requests per
 * path and the most in flight at once.
 */
public final class TestSite implements AutoCloseable {
    private final Server server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong hugeBytesSent = new AtomicLong();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile long slowMillis = 5_000;
    private volatile String title = "A fine page";

    private TestSite(String host, int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(threads, 8);
        pool.setName("test-site");
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** A site on 127.0.0.1. */
    public static TestSite start() throws Exception {
        return new TestSite("127.0.0.1", 64);
    }

    /** A site on {@code host} (a loopback address) with {@code threads} threads. */
    public static TestSite start(String host, int threads) throws Exception {
        return new TestSite(host, threads);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://HOST:PORT} for {@code host}, a name the test's resolver maps to this site. */
    public String base(String host) {
        return "http://" + host + ":" + port();
    }

    public void slowMillis(long millis) {
        slowMillis = millis;
    }

    public void title(String newTitle) {
        title = newTitle;
    }

    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    public int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long hugeBytesSent() {
        return hugeBytesSent.get();
    }

    /** Lets every {@code /hang} request answer. */
    public void release() {
        released.countDown();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        hits.computeIfAbsent(path.startsWith("/hops/") ? "/hops" : path, p -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        // A request leaves the count before its answer is written: once the client has read the
        // answer it may send its next request, and that must not find this one still counted.
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable leave = () -> {
            if (counted.getAndSet(false)) {
                inFlight.decrementAndGet();
            }
        };
        try {
            route(path, request, response, callback, leave);
        } finally {
            leave.run();
        }
    }

    private void route(String path, Request request, Response response, Callback callback, Runnable leave)
            throws Exception {
        boolean head = request.getMethod().equals("HEAD");
        switch (path) {
            case "/ok", "/" -> html(response, callback, 200, "<html><head><title>" + title + "</title></head><body>fine</body></html>");
            case "/missing" -> html(response, callback, 404, "<title>Not found</title>");
            case "/broken" -> html(response, callback, 500, "<title>Oops</title>");
            case "/busy" -> { // rate limited: ask again in two minutes
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "120");
                html(response, callback, 429, "<title>Too many requests</title>");
            }
            case "/later" -> { // down for maintenance, back in a minute
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
                html(response, callback, 503, "<title>Back soon</title>");
            }
            case "/unavailable" -> html(response, callback, 503, "<title>Unavailable</title>");
            case "/no-head" -> {
                if (head) {
                    response.setStatus(405);
                    response.getHeaders().put(HttpHeader.ALLOW, "GET");
                    callback.succeeded();
                } else {
                    html(response, callback, 200, "<title>GET only</title>");
                }
            }
            case "/slow" -> {
                Thread.sleep(slowMillis);
                leave.run();
                html(response, callback, 200, "<title>Slow</title>");
            }
            case "/wait" -> {
                Thread.sleep(Long.parseLong(query(request, "ms")));
                leave.run();
                html(response, callback, 200, "<title>Waited</title>");
            }
            case "/hang" -> {
                released.await(60, TimeUnit.SECONDS);
                leave.run();
                html(response, callback, 200, "<title>Finally</title>");
            }
            case "/ua" -> html(response, callback, 200, "<title>" + request.getHeaders().get(HttpHeader.USER_AGENT) + "</title>");
            case "/loop-a" -> redirect(response, callback, "/loop-b");
            case "/loop-b" -> redirect(response, callback, "/loop-a");
            case "/to" -> redirect(response, callback, query(request, "url"));
            case "/huge" -> huge(response, callback);
            default -> {
                if (path.startsWith("/hops/")) {
                    int left = Integer.parseInt(path.substring("/hops/".length()));
                    if (left == 0) {
                        html(response, callback, 200, "<title>Arrived</title>");
                    } else {
                        redirect(response, callback, "/hops/" + (left - 1));
                    }
                } else {
                    html(response, callback, 404, "<title>No such page</title>");
                }
            }
        }
    }

    private void huge(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
        byte[] chunk = ("<html><head><title>Huge</title></head><body>" + "x".repeat(16 * 1024)).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (int i = 0; i < 100_000; i++) { // 1.6 GB at most: the client must stop reading long before
                out.write(chunk);
                hugeBytesSent.addAndGet(chunk.length);
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e); // the client went away, as it should
        }
    }

    private static String query(Request request, String name) {
        String query = request.getHttpURI().getQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + query);
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        callback.succeeded();
    }

    private static void html(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * A resolver for tests: every name in {@code names} (and any name ending in {@code .test})
     * resolves to 127.0.0.1, {@code internal.test} to 127.0.0.2; others are unknown.
     */
    public static HostResolver resolver() {
        return host -> {
            if (host.equals("internal.test")) {
                return List.of(InetAddress.getByName("127.0.0.2"));
            }
            if (host.endsWith(".test")) {
                return List.of(InetAddress.getByName("127.0.0.1"));
            }
            if (host.matches("[0-9.]+|.*:.*")) {
                return List.of(InetAddress.getByName(host));
            }
            throw new java.net.UnknownHostException(host);
        };
    }

    /**
     * The policy of the tests: public addresses, plus 127.0.0.1 taken as public (where the
     * resolver's "public" names point); every other private address is refused, 127.0.0.2 included.
     */
    public static AddressPolicy policy() {
        try {
            return new AddressPolicy(false, java.util.Set.of(InetAddress.getByName("127.0.0.1")));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        release();
        server.stop();
    }
}
