package gotourl;

import gotourl.http.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URLEncoder;

/**
 * A goto started in this JVM on ephemeral ports, through the same wiring as the command line,
 * and an HTTP client that does not follow redirects. Close it to shut goto down.
 */
public final class RunningGoto implements AutoCloseable {
    public static final String HOST = "goto.test";

    private final GotoService service;
    private final HttpClient client;
    private boolean closed;

    private RunningGoto(GotoService service) {
        this.service = service;
        // HTTP/1.1, as browsers and curl speak to goto: the JDK's default (HTTP/2) asks each new
        // connection to upgrade to h2c, a request that goto's plain redirects leave to Jetty.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Settings for tests: loopback, ephemeral ports, short URLs on {@value #HOST}. */
    public static Config config(Path file) {
        return new Config(ListenAddress.parse("127.0.0.1:0"), file, ShortUrlBase.parse(HOST), true,
                ListenAddress.parse("127.0.0.1:0"), Duration.ofSeconds(10), null, Config.DEFAULT_QUEUE_WAIT,
                WebServer.Limits.DEFAULT);
    }

    public static RunningGoto inMemory() throws Exception {
        return start(config(null));
    }

    public static RunningGoto start(Config config) throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal()));
    }

    /** goto whose links are created and judged valid by {@code clock}'s time. */
    public static RunningGoto start(Config config, java.time.Clock clock) throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal(), clock));
    }

    public static RunningGoto start(Config config, GotoService.StoreOpener opener) throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal(), opener));
    }

    /** goto with the REST API's {@code api} options (test API keys, CORS, delete threshold). */
    public static RunningGoto start(Config config, GotoService.StoreOpener opener, gotourl.api.ApiOptions api) throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal(), opener, java.time.Clock.systemUTC(), api));
    }

    /** goto with the REST API's {@code api} options, whose links, visits and retention run on {@code clock}'s time. */
    public static RunningGoto start(Config config, GotoService.StoreOpener opener, gotourl.api.ApiOptions api,
                                    java.time.Clock clock) throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal(), opener, clock, api));
    }

    /** goto with visits kept where {@code visitStores} opens, in a queue of {@code capacity} events. */
    public static RunningGoto startWithVisits(Config config, GotoService.VisitStoreOpener visitStores, int capacity)
            throws Exception {
        return new RunningGoto(GotoService.start(config, new StopSignal(), GotoService.defaultStoreOpener(java.time.Clock.systemUTC()),
                java.time.Clock.systemUTC(), visitStores, capacity));
    }

    public GotoService service() {
        return service;
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + service.appPort() + pathAndQuery);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + service.adminPort() + path);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(adminUri(path)).GET().build());
    }

    public HttpResponse<String> postForm(String path, String formBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody))
                .build());
    }

    /** POSTs {@code url} to /add; the response as it came. */
    public HttpResponse<String> add(String url) throws IOException, InterruptedException {
        return postForm("/add", "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    /** POSTs {@code url} to /add and returns the key, failing unless goto answered 200. */
    public String addKey(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = add(url);
        if (response.statusCode() != 200) {
            throw new AssertionError("add of " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return keyOf(response.body());
    }

    public static String keyOf(String shortUrl) {
        String prefix = "http://" + HOST + "/";
        if (!shortUrl.startsWith(prefix)) {
            throw new AssertionError("not a short URL of " + HOST + ": " + shortUrl);
        }
        return shortUrl.substring(prefix.length());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Shuts goto down as SIGTERM would; true if it finished everything in time. */
    public boolean shutdown() {
        closed = true;
        return service.shutdown("the test is done");
    }

    @Override
    public void close() {
        if (!closed) {
            shutdown();
        }
        client.close();
    }
}
