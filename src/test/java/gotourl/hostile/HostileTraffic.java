package gotourl.hostile;

import gotourl.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Valid clients and hostile ones against one goto listener at the same time, for a bounded time.
 * Every valid request carries its own marker (a key, a unique missing key, a unique URL) and every
 * answer is checked against the request it answers: an answer meant for another client, an error
 * meant for nobody or no answer at all is crosstalk. Hostile clients send what Jetty refuses while
 * parsing (several kinds), reset connections mid-request and pipeline garbage behind valid requests.
 *
 * <p>Acknowledged adds are collected with their URLs, so the caller can check afterwards that each
 * is stored under the key it was answered with, and that nothing was stored twice.
 */
public final class HostileTraffic {
    /** Where the goto under test answers, and the links it already holds (key to long URL). */
    public record Target(int port, String host, Map<String, String> links) {}

    /**
     * How many clients of each side, and for how long: until {@code hostileRequests} hostile
     * requests were sent, or {@code duration} passed, whichever comes first. Each hostile request
     * is of a kind drawn from {@code hostileKinds} (list one kind several times to weigh it).
     */
    public record Plan(int validClients, int hostileClients, long hostileRequests, Duration duration,
                       List<HostileRequest> hostileKinds) {}

    /** What happened; every list of problems holds at most {@link #SAMPLES} samples, the counts are exact. */
    public static final class Result {
        public final AtomicLong validExchanges = new AtomicLong();
        public final AtomicLong crosstalk = new AtomicLong();
        public final AtomicLong hostileRequests = new AtomicLong();
        public final AtomicLong serverErrors = new AtomicLong();
        public final AtomicLong hangs = new AtomicLong();
        /** Short-URL key to the long URL its add carried, for every add answered 200. */
        public final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        /** Keys of accepted adds whose stored URL may be goto's normalized form of what was sent. */
        public final Map<String, Boolean> acknowledgedKeysOnly = new ConcurrentHashMap<>();
        public final AtomicLong keyAcknowledgedTwice = new AtomicLong();
        public final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        public volatile Duration took = Duration.ZERO;

        void problem(AtomicLong counter, String sample) {
            counter.incrementAndGet();
            if (samples.size() < SAMPLES) {
                samples.add(sample);
            }
        }

        @Override
        public String toString() {
            return "in " + took.toMillis() + " ms: " + validExchanges + " valid exchanges (" + crosstalk + " crosstalk), " + hostileRequests + " hostile requests ("
                    + serverErrors + " 5xx, " + hangs + " hangs), " + acknowledged.size() + " adds acknowledged ("
                    + keyAcknowledgedTwice + " keys acknowledged twice, " + acknowledgedKeysOnly.size() + " random adds accepted)" + (samples.isEmpty() ? "" : "; samples:\n  "
                    + String.join("\n  ", samples));
        }
    }

    static final int SAMPLES = 12;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int ADDS_PER_PIPELINE = 3;
    private static final int KEPT_ALIVE_REQUESTS = 4;

    private final Target target;
    private final Plan plan;
    private final Result result = new Result();
    private final List<String> keys;

    private HostileTraffic(Target target, Plan plan) {
        this.target = target;
        this.plan = plan;
        this.keys = List.copyOf(target.links().keySet());
    }

    /** Runs the plan against the target and returns when every client has stopped. */
    public static Result run(Target target, Plan plan) throws InterruptedException {
        HostileTraffic traffic = new HostileTraffic(target, plan);
        long start = System.nanoTime();
        long end = start + plan.duration().toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < plan.validClients(); c++) {
                int client = c;
                clients.submit(() -> traffic.validClient(client, end));
            }
            for (int c = 0; c < plan.hostileClients(); c++) {
                int client = c;
                clients.submit(() -> traffic.hostileClient(client, end));
            }
        }
        traffic.result.took = Duration.ofNanos(System.nanoTime() - start);
        return traffic.result;
    }

    private boolean going(long end) {
        return System.nanoTime() < end && result.hostileRequests.get() < plan.hostileRequests();
    }

    // ---- valid clients ----------------------------------------------------------------------

    private void validClient(int client, long end) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long seq = 0; going(end); seq++) {
            String marker = "c" + client + "x" + seq;
            int kind = random.nextInt(10);
            try {
                // Mostly fresh connections: a new connection's first read is where the
                // pooled-buffer fault showed (see CrosstalkTest).
                if (kind < 6) {
                    lookupOnFreshConnection(keys.get(random.nextInt(keys.size())));
                } else if (kind < 8) {
                    missingKeyOnFreshConnection(marker);
                } else if (kind < 9) {
                    keptAliveLookups(marker, random);
                } else {
                    pipelinedAdds(marker);
                }
            } catch (IOException e) {
                result.problem(result.crosstalk, marker + ": no answer to a valid request: " + e);
            }
        }
    }

    private void lookupOnFreshConnection(String key) throws IOException {
        try (Socket socket = connect()) {
            send(socket, get("/" + key, true));
            checkRedirect(key, readResponse(socket.getInputStream()));
        }
    }

    private void missingKeyOnFreshConnection(String marker) throws IOException {
        try (Socket socket = connect()) {
            send(socket, get("/" + marker, true));
            checkMissing(marker, readResponse(socket.getInputStream()));
        }
    }

    private void keptAliveLookups(String marker, ThreadLocalRandom random) throws IOException {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < KEPT_ALIVE_REQUESTS; i++) {
                if (random.nextBoolean()) {
                    String key = keys.get(random.nextInt(keys.size()));
                    send(socket, get("/" + key, false));
                    checkRedirect(key, readResponse(in));
                } else {
                    String missing = marker + "k" + i;
                    send(socket, get("/" + missing, false));
                    checkMissing(missing, readResponse(in));
                }
            }
        }
    }

    /** Three adds in one write on one connection; the answers must come back in order, one each. */
    private void pipelinedAdds(String marker) throws IOException {
        List<String> urls = new ArrayList<>();
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < ADDS_PER_PIPELINE; i++) {
            String url = "https://crosstalk.example/" + marker + "/" + i;
            urls.add(url);
            requests.append(post("/add", "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8), i == ADDS_PER_PIPELINE - 1));
        }
        try (Socket socket = connect()) {
            send(socket, requests.toString());
            InputStream in = socket.getInputStream();
            for (String url : urls) {
                Response response = readResponse(in);
                result.validExchanges.incrementAndGet();
                String prefix = "http://" + target.host() + "/";
                if (response.status() != 200 || !response.body().startsWith(prefix)) {
                    result.problem(result.crosstalk, "add of " + url + " answered " + response.brief());
                    continue;
                }
                String key = response.body().substring(prefix.length()).trim();
                if (result.acknowledged.putIfAbsent(key, url) != null) {
                    result.problem(result.keyAcknowledgedTwice, "key " + key + " acknowledged for " + url + " and for "
                            + result.acknowledged.get(key));
                }
            }
            if (!RawHttp.readsEndOfStream(socket)) {
                result.problem(result.crosstalk, marker + ": bytes after the last of " + ADDS_PER_PIPELINE + " pipelined add answers");
            }
        }
    }

    private void checkRedirect(String key, Response response) {
        result.validExchanges.incrementAndGet();
        String want = target.links().get(key);
        if (response.status() != 302 || !want.equals(response.header("location"))) {
            result.problem(result.crosstalk, "GET /" + key + " (want 302 to " + want + ") answered " + response.brief());
        }
    }

    private void checkMissing(String key, Response response) {
        result.validExchanges.incrementAndGet();
        // goto's 404 page names the key it was asked for: another client's 404 names another key.
        if (response.status() != 404 || !response.body().contains("<code>" + key + "</code>")) {
            result.problem(result.crosstalk, "GET /" + key + " (want 404 naming it) answered " + response.brief());
        }
    }

    // ---- hostile clients --------------------------------------------------------------------

    private void hostileClient(int client, long end) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<HostileRequest> kinds = plan.hostileKinds();
        for (long seq = 0; going(end); seq++) {
            HostileRequest kind = kinds.get(random.nextInt(kinds.size()));
            String key = keys.get(random.nextInt(keys.size()));
            String marker = "h" + client + "x" + seq;
            try (Socket socket = connect()) {
                result.hostileRequests.incrementAndGet();
                kind.send(socket, target.host(), key, marker);
                if (kind.reset()) {
                    socket.setSoLinger(true, 0); // close sends RST: the request stops mid-way
                    continue;
                }
                readAllAnswers(kind, key, kind.addedUrls(marker), socket);
            } catch (IOException e) {
                // Refused or reset by goto: what a hostile client may get.
            }
        }
    }

    /** Reads answers until goto closes; each is recorded (5xx, acknowledged adds); a silence is a hang. */
    private void readAllAnswers(HostileRequest kind, String key, List<String> addedUrls, Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        for (int answer = 0; ; answer++) {
            Response response;
            try {
                response = readResponse(in);
            } catch (SocketTimeoutException e) {
                result.problem(result.hangs, kind.name() + ": no answer and no close within " + READ_TIMEOUT_MILLIS + " ms");
                return;
            } catch (IOException closed) {
                return;
            }
            if (answer == 0 && !kind.answersFirst(response.status(), response.body(), target.links().get(key), response.header("location"))) {
                result.problem(result.crosstalk, kind.name() + " (key " + key + ") got an answer that is not its own: " + response.brief());
            }
            // 505 is the standard refusal of an HTTP version goto does not speak (RFC 9110 15.6.6).
            if (response.status() >= 500 && response.status() != 505) {
                result.problem(result.serverErrors, kind.name() + " answered " + response.brief());
            }
            String prefix = "http://" + target.host() + "/";
            if (response.status() == 200 && response.body().startsWith(prefix) && kind.addsUncheckedUrl()) {
                String added = response.body().substring(prefix.length()).trim();
                if (result.acknowledgedKeysOnly.putIfAbsent(added, true) != null || result.acknowledged.containsKey(added)) {
                    result.problem(result.keyAcknowledgedTwice, "key " + added + " acknowledged twice");
                }
            }
            if (response.status() == 200 && response.body().startsWith(prefix) && answer < addedUrls.size()) {
                String added = response.body().substring(prefix.length()).trim();
                result.acknowledged.merge(added, addedUrls.get(answer), (a, b) -> {
                    result.problem(result.keyAcknowledgedTwice, "key " + added + " acknowledged for " + a + " and " + b);
                    return a;
                });
            }
        }
    }

    // ---- HTTP by hand -----------------------------------------------------------------------

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", target.port());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private String get(String path, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + target.host() + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    private String post(String path, String form, boolean close) {
        return "POST " + path + " HTTP/1.1\r\nHost: " + target.host() + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + form.length() + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + form;
    }

    static void send(Socket socket, String text) throws IOException {
        RawHttp.send(socket, text);
    }

    /** One parsed response; {@code header} is the Location header, the only one checked. */
    record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String brief() {
            String text = (head + body).replace("\r\n", " | ");
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    /** A response with a Content-Length body (goto and Jetty's errors always send one). */
    static Response readResponse(InputStream in) throws IOException {
        String text = RawHttp.readResponse(in);
        if (!text.matches("(?s)HTTP/1\\.1 \\d{3}.*")) {
            throw new IOException("not an HTTP/1.1 response: '" + text + "'");
        }
        int blank = text.indexOf("\r\n\r\n") + 4;
        return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, blank), text.substring(blank));
    }
}
