package gotourl.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over a plain socket, for tests: it sends the request, reads the
 * status and headers, undoes HTTP/1.1 chunking, and parses events (HTML's event-stream format) on
 * a thread of its own into a queue. {@link #stalled} makes one that never reads after the headers.
 */
final class SseClient implements AutoCloseable {
    /** One event: its name ({@code message} by default), its data lines joined, or a comment. */
    record Event(String name, String data) {}

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final String errorBody;
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    /** Every event seen, in order, for failure messages. */
    final java.util.List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);
    volatile String retry;
    private final Socket socket;
    private final InputStream in;
    private final Thread reader;

    private SseClient(int port, String pathAndQuery, String apiKey, boolean read, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(read ? 0 : 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: goto.test\r\nAccept: text/event-stream\r\n"
                + (apiKey == null ? "" : "X-Api-Key: " + apiKey + "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        in = read ? new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024) : socket.getInputStream();
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (status != 200) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            errorBody = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            reader = null;
            socket.close();
            ended.countDown();
            return;
        }
        errorBody = null;
        reader = read ? new Thread(this::readEvents, "sse-client") : null;
        if (reader != null) {
            reader.setDaemon(true);
            reader.start();
        }
    }

    static SseClient open(int port, String pathAndQuery, String apiKey) throws IOException {
        return new SseClient(port, pathAndQuery, apiKey, true, 0);
    }

    /** A subscriber that stops reading once the headers are in, with a tiny receive buffer. */
    static SseClient stalled(int port, String apiKey) throws IOException {
        return new SseClient(port, "/rest/v3/events", apiKey, false, 2048);
    }

    Event next(Duration within) throws InterruptedException {
        return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event named {@code name}, skipping others, or null if none comes within the time. */
    Event next(String name, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            Event event = events.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (event != null && event.name().equals(name)) {
                return event;
            }
        }
        return null;
    }

    boolean endsWithin(Duration time) throws InterruptedException {
        return ended.await(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readEvents() {
        try {
            StringBuilder pending = new StringBuilder();
            String name = null;
            StringBuilder data = null;
            while (true) {
                // The CRLF that ends a chunk may come only with the next one (Jetty sends it so), so
                // a chunk is parsed as soon as its data is in, and the blank line before a size skipped.
                String sizeLine = line();
                if (sizeLine.isEmpty()) {
                    continue;
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    break; // the stream ended cleanly
                }
                pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                int newline;
                while ((newline = pending.indexOf("\n")) >= 0) {
                    String field = pending.substring(0, newline);
                    pending.delete(0, newline + 1);
                    if (field.isEmpty()) {
                        if (data != null) {
                            Event event = new Event(name == null ? "message" : name, data.toString());
                            seen.add(event);
                            events.add(event);
                        }
                        name = null;
                        data = null;
                    } else if (field.startsWith(":")) {
                        comments.add(field.substring(1).trim());
                    } else if (field.startsWith("event: ")) {
                        name = field.substring(7);
                    } else if (field.startsWith("data: ")) {
                        data = data == null ? new StringBuilder(field.substring(6)) : data.append('\n').append(field.substring(6));
                    } else if (field.startsWith("retry: ")) {
                        retry = field.substring(7);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the connection closed or was cut: the stream ended
        } finally {
            ended.countDown();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the connection closed");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
