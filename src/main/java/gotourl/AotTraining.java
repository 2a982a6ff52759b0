package gotourl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A short run of goto's own paths for the JVM to record an ahead-of-time cache from (JDK 25+):
 * {@code java -XX:AOTCacheOutput=goto.aot -cp goto.jar gotourl.AotTraining}. The {@code ./goto}
 * launcher makes that cache after each build and starts goto with it, so the classes goto needs
 * come loaded and linked from the cache and its hot methods (replay, routing) arrive with
 * profiles and compile sooner: a start with 1,000,000 links costs about a fifth less CPU.
 *
 * <p>Everything happens on loopback ports the system picks and in a temporary folder it deletes:
 * flags parsed as at the command line, an import, a start that replays it, adds, redirects,
 * REST API creates, reads and lists (with an API key), errors, health and metrics, a graceful
 * stop, then a start that replays what that run wrote. Without the REST API here, its path
 * (Jackson, the key check, the routes) started cold in every goto: loaded, interpreted and
 * profiled while it served, where {@code /add} came warm from the cache.
 *
 * <p>Adds are trained twice: one at a time on connections of their own (with the rest), and as
 * a load of many clients sends them ({@link #keepAliveAdds}): 64 keep-alive connections at once,
 * each sending its next form as soon as its last is answered, so that group commits hold many
 * adds, their answers run on the selector in one task, and each connection's next request is
 * read the way it is under load. One at a time alone never took those paths.
 */
public final class AotTraining {
    private static final int IMPORTED_LINKS = 200_000;
    private static final int REQUESTS = 2_000;
    /** Keep-alive connections adding at once, as {@code wrk -c64} with the seed's {@code wrk-add.lua} drives goto. */
    private static final int ADD_CONNECTIONS = 64;
    /** Adds per keep-alive connection and round. */
    private static final int ADDS_PER_CONNECTION = 150;
    /** The training's own admin key, in its temporary data file only. */
    private static final String API_KEY = newKey();

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("goto-aot-training");
        try {
            Path file = folder.resolve("links.data");
            importLinks(folder, file);
            // Read as goto reads its flags at a start (ServeFlags, without picocli), so that those classes are cached.
            // A port of its own, known before the start, so that a request can arrive while the links load.
            int port = freePort();
            String[] flags = {"-http=127.0.0.1:" + port, "-admin=127.0.0.1:0", "-file=" + file, "-host=goto.training",
                    "-initial-api-key=" + API_KEY};
            ServeCommand serve = ServeFlags.read(flags, Map.of(), new ServeCommand(System.out, System.err, new StopSignal(), Map.of()));
            ServeCommand command = serve != null ? serve : Cli.parsedServe(flags, Map.of());
            Config config = command.config();
            // As Main makes it, unregistered: its lambda is then in the cache, not spun at each start.
            Main.shutdownHook(new StopSignal(), new java.util.concurrent.CountDownLatch(1), new int[1]);
            for (int round = 0; round < 2; round++) {
                Thread early = requestDuringStart(port);
                GotoService service = GotoService.start(config, new StopSignal(), command.apiOptions()); // as ServeCommand starts it
                try {
                    early.join(10_000);
                    exercise(service);
                } finally {
                    service.shutdown("the training run is done");
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A redirect asked as soon as the listener opens, while the links still load, as a client
     * (or a benchmark's poll) asks one during a restart: goto holds it until the links are in
     * and then serves it. Without this the held path's lambdas, and Jetty's concatenation of a
     * Host header that names a port, were spun at every start that met an early request.
     */
    private static Thread requestDuringStart(int port) {
        Thread early = new Thread(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    send(port, "GET", "/t-0", null, "", "127.0.0.1:" + port);
                    return;
                } catch (IOException notListeningYet) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "aot-training-early-request");
        early.setDaemon(true);
        early.start();
        return early;
    }

    private static void importLinks(Path folder, Path file) throws IOException {
        Path urls = folder.resolve("urls.txt");
        Files.writeString(urls, IntStream.range(0, IMPORTED_LINKS)
                .mapToObj(i -> (i % 10 == 0 ? "t-" + i + " " : "") + "https://example.com/imported/" + i)
                .collect(Collectors.joining("\n", "", "\n")));
        PrintStream out = System.out;
        int code = Cli.run(new String[] {"import", "-file=" + file, urls.toString()}, out, System.err, Map.of(), new StopSignal());
        if (code != 0) {
            throw new IOException("the training import failed with exit code " + code);
        }
    }

    private static void exercise(GotoService service) throws IOException {
        int app = service.appPort();
        int admin = service.adminPort();
        for (int i = 0; i < REQUESTS; i++) {
            // Every tenth with an international host, so that ICU's IDNA classes are in the cache too.
            String host = i % 10 == 0 ? "b\u00fccher-" + i + ".example" : "example.com";
            String url = URLEncoder.encode("https://" + host + "/trained/" + i + "?q=" + i, StandardCharsets.UTF_8);
            String added = send(app, "POST", "/add", "url=" + url);
            String key = added.substring(added.lastIndexOf('/') + 1).strip();
            send(app, "GET", "/" + key, null);
            send(app, "HEAD", "/" + key, null);
            send(app, "GET", "/t-" + (i * 10 % IMPORTED_LINKS) + (i % 2 == 0 ? "?utm_source=training" : ""), null);
            if (i % 10 == 0) {
                send(app, "GET", "/add?url=" + url, null);
                send(app, "GET", "/zzzzzzz", null);
                send(app, "GET", "/add?url=not-a-url", null);
            }
            // A REST create every fourth round (each waits for its own force, as an add does).
            String created = i % 4 != 0 ? ""
                    : sendJson(app, "POST", "/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/api/" + i + "\"}");
            if (i % 4 == 0 && !created.startsWith("HTTP/1.1 200")) {
                throw new IOException("the training's REST create was refused: " + created.lines().findFirst().orElse(""));
            }
            if (i % 20 == 0) {
                int at = created.indexOf("\"shortCode\":\"");
                String code = at < 0 ? "zzzzzzz" : created.substring(at + 13, created.indexOf('"', at + 13));
                sendJson(app, "GET", "/rest/v3/short-urls/" + code, null);
                sendJson(app, "POST", "/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/api/" + i
                        + "\", \"findIfExists\": true, \"tags\": [\"training\"], \"title\": \"Training " + i + "\"}");
                sendJson(app, "POST", "/rest/v3/short-urls", "{\"longUrl\": \"not-a-url\"}");
            }
            if (i % 100 == 0) {
                sendJson(app, "GET", "/rest/v3/short-urls?itemsPerPage=10", null);
                send(app, "GET", "/", null);
                send(app, "GET", "/robots.txt", null);
                send(admin, "GET", "/health/ready", null);
                send(admin, "GET", "/metrics", null);
            }
        }
        keepAliveAdds(app, ADD_CONNECTIONS, ADDS_PER_CONNECTION);
    }

    /**
     * Adds on {@code connections} keep-alive connections to {@code 127.0.0.1:port} at once, each
     * sending {@code addsEach} form adds one after the other, each as soon as the last is answered:
     * the request the seed's {@code wrk-add.lua} makes ({@code POST /add}, the form
     * {@code url=https://example.com/page/N} unencoded, {@code Host} naming the address and port).
     * Returns the adds answered (all of them, {@code connections × addsEach}); throws
     * {@link IOException} when one is answered with anything but 200, the server closes a
     * connection, or a connection does not finish within a minute.
     */
    static int keepAliveAdds(int port, int connections, int addsEach) throws IOException {
        java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread[] clients = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            clients[c] = new Thread(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout(60_000);
                    OutputStream out = socket.getOutputStream();
                    java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                    ready.await();
                    for (int i = 0; i < addsEach; i++) {
                        byte[] form = ("url=https://example.com/page/" + counter.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
                        out.write(("POST /add HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length
                                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(form);
                        out.flush();
                        readKeptAnswer(in);
                        answered.incrementAndGet();
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }, "aot-training-adds-" + c);
            clients[c].setDaemon(true);
            clients[c].start();
        }
        ready.countDown();
        try {
            for (Thread client : clients) {
                client.join(60_000);
                if (client.isAlive()) {
                    throw new IOException("a training connection did not finish its adds within a minute");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the training's keep-alive adds ran", e);
        }
        if (!failures.isEmpty()) {
            IOException failed = new IOException("the training's keep-alive adds failed: " + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(failed::addSuppressed);
            throw failed;
        }
        return answered.get();
    }

    /** Reads one answer (headers and a Content-Length body) off a kept connection; it must be a 200 that keeps it open. */
    private static void readKeptAnswer(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.charAt(head.length() - 1) != '\n' || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed a keep-alive connection after: " + head);
            }
            head.append((char) b);
        }
        String headers = head.toString();
        if (!headers.startsWith("HTTP/1.1 200 ")) {
            throw new IOException("a keep-alive add was answered " + headers.lines().findFirst().orElse(""));
        }
        int length = -1;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                throw new IOException("the server closes a connection a load keeps open: " + headers);
            }
        }
        if (length < 0) {
            throw new IOException("a keep-alive add was answered without a Content-Length: " + headers);
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("the server closed a keep-alive connection in the middle of an answer");
        }
    }

    private static String newKey() {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        return "aot-training-" + java.util.HexFormat.of().formatHex(random);
    }

    /** A REST API request with the training's key, and a JSON body unless null. */
    private static String sendJson(int port, String method, String path, String json) throws IOException {
        return send(port, method, path, json, "X-Api-Key: " + API_KEY + "\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n"));
    }

    private static String send(int port, String method, String path, String form) throws IOException {
        return send(port, method, path, form, form == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\n");
    }

    /**
     * One request on its own connection, read to the end. A socket rather than the JDK's HTTP
     * client: the cache is mapped into every goto, so it should hold goto's classes, not a client's.
     */
    private static String send(int port, String method, String path, String body, String headers) throws IOException {
        return send(port, method, path, body, headers, "goto.training");
    }

    private static String send(int port, String method, String path, String body, String headers, String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + headers
                    + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
