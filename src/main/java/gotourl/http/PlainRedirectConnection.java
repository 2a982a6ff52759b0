package gotourl.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;

/**
 * The application listener's connection: answers a plain link's redirect itself, and hands the
 * connection to Jetty's HTTP/1.1 ({@link NextRequestConnections.Http1}) at the first request it
 * does not answer, with the bytes read so far, for the rest of the connection's life.
 *
 * <p>Why. Of a redirect's CPU on the selector thread, Jetty's general request path (parsing into
 * fields, the request and response objects, their locks, the response's assembly) was ~75% and
 * goto's own code ~12% (BENCHMARKS.md, "CPU per redirect: where the selector's time goes"). A
 * plain link's redirect needs four things from its request: the path, the query, {@code Referer}
 * and {@code User-Agent}; its answer is a status line and three headers. This class reads exactly
 * those from the bytes, and writes the answer Jetty would write, byte for byte.
 *
 * <p>What it answers: a request whose whole head is in one read, and is {@code GET /CODE} or
 * {@code GET /CODE?QUERY} in HTTP/1.1, the code of letters, digits, {@code -} and {@code _} only, the
 * query of RFC 3986's query characters with well-formed escapes, header lines of a token, a colon
 * and printable ASCII (RFC 9112 §5), exactly one {@code Host} of a plain host name or address and
 * port, and none of {@code Content-Length}, {@code Transfer-Encoding}, {@code Expect},
 * {@code Upgrade}, or a {@code Connection} other than {@code keep-alive}; and only when
 * {@link Routes#plainLocation} finds a plain link for the code (nothing else about the request
 * matters to it then). Everything else (another method or version, a body, an escape in the path,
 * an obs-fold, a bare LF, a byte outside ASCII, a head split across reads, pipelined requests
 * after one that is not answered here, {@code Connection: close}, a miss, goto still starting or
 * stopping) goes to Jetty unchanged, which answers it or refuses it as before, so a malformed
 * request gets Jetty's 400 and never a redirect.
 *
 * <p>Reads go into a per-thread buffer, so an idle connection holds no buffer; only the bytes
 * after an answer whose write did not complete at once are copied and kept until it does.
 * A new connection that sends nothing is closed at the request deadline, as Jetty's are
 * ({@link RequestDeadline}); once a byte has come, the request is either answered at once or
 * Jetty's.
 */
final class PlainRedirectConnection extends AbstractConnection implements Connection.UpgradeFrom {

    /** What a plain redirect needs from goto's routes ({@link AppHandler#plainRedirects}). */
    interface Routes {
        /**
         * The {@code Location} of the redirect of a GET of {@code path} ({@code /} and
         * {@code code}) with the raw {@code query} (null: none), tracked and counted as the
         * redirect route does; or null, having done nothing, when the request is not a plain
         * link's redirect or its location is not printable ASCII ({@link #headerSafe}).
         */
        String plainLocation(String path, String code, String query, String referer, String userAgent, long startNanos);

        /** The redirect's status, 301, 302, 307 or 308 ({@code -redirect-status}). */
        int status();

        /** The {@code Cache-Control} value a redirect is sent with, or null for none. */
        String cacheControl();
    }

    /** The most bytes read at a time: Jetty's request buffer, which takes them over at a hand-off. */
    static final int READ_BYTES = WebServer.INPUT_BUFFER_BYTES;
    private static final ThreadLocal<ByteBuffer> READS = ThreadLocal.withInitial(() -> BufferUtil.allocate(READ_BYTES));
    private static final byte[] DATE = "\r\nDate: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOCATION = "\r\nLocation: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP11 = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static volatile DateLine date = new DateLine(-1, new byte[0]);

    /** The {@code Date} header's value for one second ({@code second}: epoch seconds), RFC 9110 §6.6.1. */
    private record DateLine(long second, byte[] value) {}

    private final Connector connector;
    private final NextRequestConnections jetty;
    private final Routes routes;
    /** The status line, without its CRLF: "HTTP/1.1 302 Found". */
    private final byte[] statusLine;
    /** "\r\nCache-Control: VALUE", or nothing. */
    private final byte[] cacheLine;
    /** Bytes read and not yet answered: kept while a write completes, or handed to Jetty. */
    private ByteBuffer unconsumed;
    /** False until the connection's first byte arrives; read by {@link RequestDeadline}'s scheduler. */
    private volatile boolean received;

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
            return InvocationType.NON_BLOCKING;
        }
    };

    private final Callback written = new Callback() {
        @Override
        public void succeeded() {
            afterWrite();
        }

        @Override
        public void failed(Throwable cause) {
            getEndPoint().close(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    };

    PlainRedirectConnection(Connector connector, EndPoint endPoint, NextRequestConnections jetty, Routes routes) {
        super(endPoint, connector.getExecutor());
        this.connector = connector;
        this.jetty = jetty;
        this.routes = routes;
        this.statusLine = ("HTTP/1.1 " + routes.status() + " " + HttpStatus.getMessage(routes.status())).getBytes(StandardCharsets.US_ASCII);
        String cache = routes.cacheControl();
        this.cacheLine = cache == null ? new byte[0] : ("\r\nCache-Control: " + cache).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested(fillable);
    }

    /** True while the connection is open, still this class's, and has not sent a byte. */
    boolean awaitsFirstRequest() {
        return !received && getEndPoint().isOpen() && getEndPoint().getConnection() == this;
    }

    @Override
    public void onFillable() {
        ByteBuffer in = READS.get();
        try {
            while (true) {
                BufferUtil.clear(in);
                int read = getEndPoint().fill(in);
                if (read < 0) {
                    getEndPoint().close();
                    return;
                }
                if (read == 0) {
                    fillInterested(fillable);
                    return;
                }
                if (!received) {
                    received = true;
                }
                if (!answer(in.array(), in.arrayOffset() + in.position(), in.arrayOffset() + in.limit())) {
                    return;
                }
                if (in.limit() < READ_BYTES) {
                    // A client that waits for its answer has sent nothing more: one read per request.
                    fillInterested(fillable);
                    return;
                }
            }
        } catch (Throwable failure) {
            getEndPoint().close(failure);
        }
    }

    private void afterWrite() {
        ByteBuffer next = unconsumed;
        unconsumed = null;
        try {
            if (next == null || answer(next.array(), next.position(), next.limit())) {
                fillInterested(fillable);
            }
        } catch (Throwable failure) {
            getEndPoint().close(failure);
        }
    }

    /**
     * Answers the requests in {@code bytes[from, to)}: true when every one was answered and
     * written, false when the connection went on elsewhere (a write still completing, or Jetty's).
     */
    private boolean answer(byte[] bytes, int from, int to) throws java.io.IOException {
        int at = from;
        while (at < to) {
            int end = headEnd(bytes, at, to);
            ByteBuffer response = end < 0 ? null : respond(bytes, at, end);
            if (response == null) {
                toJetty(bytes, at, to);
                return false;
            }
            at = end;
            if (!getEndPoint().flush(response)) {
                if (at < to) {
                    unconsumed = ByteBuffer.wrap(Arrays.copyOfRange(bytes, at, to));
                }
                getEndPoint().write(written, response);
                return false;
            }
        }
        return true;
    }

    /** The connection becomes Jetty's, which reads {@code bytes[from, to)} first, on this thread. */
    private void toJetty(byte[] bytes, int from, int to) {
        unconsumed = ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to));
        NextRequestConnections.Http1 next = jetty.newHttp1(connector, getEndPoint());
        next.readAdoptedBytesInline();
        getEndPoint().upgrade(next);
    }

    @Override
    public ByteBuffer onUpgradeFrom() {
        ByteBuffer bytes = unconsumed;
        unconsumed = null;
        return bytes;
    }

    /** The index after the head's blank line ({@code CRLF CRLF}) in {@code bytes[from, to)}, or -1. */
    static int headEnd(byte[] bytes, int from, int to) {
        for (int i = from + 3; i < to; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * The redirect for the request head {@code bytes[from, end)}, tracked and counted; or null,
     * with nothing done, when Jetty is to answer it.
     */
    private ByteBuffer respond(byte[] bytes, int from, int end) {
        long start = System.nanoTime();
        PlainRequest request = PlainRequest.parse(bytes, from, end);
        if (request == null || ((AbstractConnector) connector).isShutdown()) {
            return null;
        }
        String location = routes.plainLocation(request.path(), request.path().substring(1), request.query(), request.referer(),
                request.userAgent(), start);
        return location == null ? null : ByteBuffer.wrap(response(location));
    }

    /**
     * The answer Jetty writes for a redirect to {@code location} (printable ASCII, {@link #headerSafe}):
     * status line, Date, Location, Cache-Control, Content-Length.
     */
    private byte[] response(String location) {
        byte[] day = dateValue();
        byte[] out = new byte[statusLine.length + DATE.length + day.length + LOCATION.length + location.length() + cacheLine.length
                + END.length];
        int at = put(out, 0, statusLine);
        at = put(out, at, DATE);
        at = put(out, at, day);
        at = put(out, at, LOCATION);
        // Printable ASCII only (headerSafe), so its Latin-1 bytes are the header's, copied whole.
        at = put(out, at, location.getBytes(StandardCharsets.ISO_8859_1));
        at = put(out, at, cacheLine);
        put(out, at, END);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    private static byte[] dateValue() {
        long now = System.currentTimeMillis();
        DateLine line = date;
        if (line.second() != now / 1000) {
            line = new DateLine(now / 1000, DateGenerator.formatDate(now).getBytes(StandardCharsets.US_ASCII));
            date = line;
        }
        return line.value();
    }

    /** True when {@code value} can be written as a header's value as it is: printable ASCII, no space (a URL's characters). */
    static boolean headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    /**
     * What a plain redirect reads of a request head, parsed strictly: null for anything this
     * class leaves to Jetty (see the class comment).
     *
     * @param path      {@code /CODE}, the code as sent (no escapes)
     * @param query     the raw query after {@code ?} ({@code ""} for a bare {@code ?}), or null
     * @param referer   the first {@code Referer}'s value, trimmed, or null
     * @param userAgent the first {@code User-Agent}'s value, trimmed, or null
     */
    record PlainRequest(String path, String query, String referer, String userAgent) {
        private static final boolean[] CODE = new boolean[128];
        private static final boolean[] QUERY = new boolean[128];
        private static final boolean[] TOKEN = new boolean[128];
        private static final boolean[] HOST = new boolean[128];

        static {
            for (char c = '0'; c <= '9'; c++) {
                CODE[c] = true;
            }
            for (char c = 'a'; c <= 'z'; c++) {
                CODE[c] = true;
                CODE[c - 'a' + 'A'] = true;
            }
            CODE['-'] = true;
            CODE['_'] = true;
            for (int c = 0; c < 128; c++) {
                QUERY[c] = CODE[c];
                TOKEN[c] = CODE[c];
                HOST[c] = CODE[c] && c != '_';
            }
            // RFC 3986 query: unreserved, sub-delims, ':', '@', '/', '?', and '%' checked as an escape.
            for (char c : ".~!$&'()*+,;=:@/?%".toCharArray()) {
                QUERY[c] = true;
            }
            // RFC 9110 tchar.
            for (char c : "!#$%&'*+.^`|~".toCharArray()) {
                TOKEN[c] = true;
            }
            HOST['.'] = true;
        }

        private static final byte[] GET = "GET /".getBytes(StandardCharsets.US_ASCII);

        /** The request in the head {@code bytes[from, end)} (which ends with CRLF CRLF), or null. */
        static PlainRequest parse(byte[] bytes, int from, int end) {
            if (end - from < GET.length + 1 + HTTP11.length + 2) {
                return null;
            }
            for (int i = 0; i < GET.length; i++) {
                if (bytes[from + i] != GET[i]) {
                    return null;
                }
            }
            int at = from + GET.length;
            int codeStart = at;
            while (at < end && bytes[at] >= 0 && CODE[bytes[at]]) {
                at++;
            }
            if (at == codeStart) {
                return null;
            }
            String path = new String(bytes, codeStart - 1, at - codeStart + 1, StandardCharsets.ISO_8859_1);
            String query = null;
            if (bytes[at] == '?') {
                int queryStart = ++at;
                while (at < end && bytes[at] >= 0 && QUERY[bytes[at]]) {
                    if (bytes[at] == '%' && !(at + 2 < end && hex(bytes[at + 1]) && hex(bytes[at + 2]))) {
                        return null;
                    }
                    at++;
                }
                query = new String(bytes, queryStart, at - queryStart, StandardCharsets.ISO_8859_1);
            }
            if (end - at < HTTP11.length) {
                return null;
            }
            for (int i = 0; i < HTTP11.length; i++) {
                if (bytes[at + i] != HTTP11[i]) {
                    return null;
                }
            }
            at += HTTP11.length;
            String referer = null;
            String userAgent = null;
            int hosts = 0;
            while (at < end - 2) {
                int nameStart = at;
                while (bytes[at] >= 0 && TOKEN[bytes[at]]) {
                    at++;
                }
                int nameEnd = at;
                if (nameEnd == nameStart || bytes[at] != ':') {
                    return null;
                }
                at++;
                while (bytes[at] == ' ' || bytes[at] == '\t') {
                    at++;
                }
                int valueStart = at;
                int valueEnd = at;
                while (bytes[at] != '\r') {
                    byte b = bytes[at];
                    if (b < 0 || b == 0x7f || (b < ' ' && b != '\t')) {
                        return null;
                    }
                    at++;
                    if (b != ' ' && b != '\t') {
                        valueEnd = at;
                    }
                }
                if (bytes[at + 1] != '\n') {
                    return null;
                }
                at += 2;
                switch (nameEnd - nameStart) {
                    case 4 -> {
                        if (named(bytes, nameStart, "host")) {
                            if (++hosts > 1 || !host(bytes, valueStart, valueEnd)) {
                                return null;
                            }
                        }
                    }
                    case 6 -> {
                        if (named(bytes, nameStart, "expect")) {
                            return null;
                        }
                    }
                    case 7 -> {
                        if (named(bytes, nameStart, "upgrade")) {
                            return null;
                        }
                        if (referer == null && named(bytes, nameStart, "referer")) {
                            referer = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
                        }
                    }
                    case 10 -> {
                        if (named(bytes, nameStart, "connection")) {
                            if (!named(bytes, valueStart, valueEnd - valueStart, "keep-alive")) {
                                return null;
                            }
                        } else if (userAgent == null && named(bytes, nameStart, "user-agent")) {
                            userAgent = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
                        }
                    }
                    case 14 -> {
                        if (named(bytes, nameStart, "content-length")) {
                            return null;
                        }
                    }
                    case 17 -> {
                        if (named(bytes, nameStart, "transfer-encoding")) {
                            return null;
                        }
                    }
                    default -> {
                    }
                }
            }
            return hosts == 1 && at == end - 2 ? new PlainRequest(path, query, referer, userAgent) : null;
        }

        private static boolean hex(byte b) {
            return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        }

        /** True when {@code bytes} at {@code at} spell {@code lower} in any case. */
        private static boolean named(byte[] bytes, int at, String lower) {
            for (int i = 0; i < lower.length(); i++) {
                if ((bytes[at + i] | 0x20) != lower.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean named(byte[] bytes, int at, int length, String lower) {
            return length == lower.length() && named(bytes, at, lower);
        }

        /**
         * A {@code Host} value Jetty takes without question: a name or IPv4 address of letters,
         * digits, dots and hyphens, or an IPv6 literal in brackets that Jetty's {@link HostPort}
         * takes, with an optional port of 1 to 5 digits from 1 to 65535.
         */
        private static boolean host(byte[] bytes, int from, int to) {
            int at = from;
            if (at < to && bytes[at] == '[') {
                at++;
                while (at < to && bytes[at] != ']') {
                    byte b = bytes[at++];
                    if (!(hex(b) || b == ':' || b == '.')) {
                        return false;
                    }
                }
                if (at == to || at == from + 1) {
                    return false;
                }
                // An IPv6 literal's shape ([1.2.3.4], [:::], [12345::] are none) is Jetty's own
                // HostPort's to judge, which refuses them with 400: asked for the rare Host that
                // names one, so that such a request never gets a redirect Jetty would not give.
                try {
                    new HostPort(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException refused) {
                    return false;
                }
                at++;
            } else {
                while (at < to && bytes[at] >= 0 && HOST[bytes[at]]) {
                    at++;
                }
                if (at == from) {
                    return false;
                }
            }
            if (at == to) {
                return true;
            }
            if (bytes[at] != ':' || to - at < 2 || to - at > 6) {
                return false;
            }
            int port = 0;
            for (int i = at + 1; i < to; i++) {
                if (bytes[i] < '0' || bytes[i] > '9') {
                    return false;
                }
                port = port * 10 + bytes[i] - '0';
            }
            // Jetty refuses port 0 (in any spelling, 00000 too) as a bad HostPort.
            return port > 0 && port < 65536;
        }
    }
}
