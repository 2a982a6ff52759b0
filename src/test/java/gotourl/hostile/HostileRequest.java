package gotourl.hostile;

import java.io.IOException;
import java.net.Socket;
import java.util.List;

/**
 * What a hostile client sends on one connection: requests Jetty refuses while parsing them,
 * requests cut off by a reset, and valid requests with garbage pipelined behind them. Each names
 * what it is, so a failure report says which kind provoked it.
 */
public enum HostileRequest {
    /** The smallest request Jetty refuses: HTTP/1.1 without Host (400 "No Host"). */
    NO_HOST(false, 400, "No Host") {
        @Override
        String text(String host, String key, String marker) {
            return "GET / HTTP/1.1\r\n\r\n";
        }
    },
    DUPLICATE_HOST(false, 400, "Duplicate Host") {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\nHost: evil.example\r\n\r\n";
        }
    },
    BAD_HOST(false, 400, null) {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: [" + marker + "\r\n\r\n";
        }
    },
    ILLEGAL_HEADER_CHARACTER(false, 400, "Illegal character") {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\nX-" + marker + "\u0001: y\r\n\r\n";
        }
    },
    GARBAGE_REQUEST_LINE(false, 400, null) {
        @Override
        String text(String host, String key, String marker) {
            return "\u0016\u0003\u0001\u0002\u0000 " + marker + " \u00ff\u00fe\r\n\r\n";
        }
    },
    UNKNOWN_VERSION(false, 505, null) {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/7.1\r\nHost: " + host + "\r\n\r\n";
        }
    },
    HEADERS_TOO_LARGE(false, 431, null) {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
        }
    },
    BAD_CHUNK(false, 400, null) {
        @Override
        String text(String host, String key, String marker) {
            return "POST /add HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n\r\nzz" + marker + "\r\nurl=x\r\n0\r\n\r\n";
        }
    },
    /** A request whose headers stop half-way, then a reset (RST), not a close. */
    RESET_IN_HEADERS(true, 0, null) {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\nX-" + marker + ": ha";
        }
    },
    /** An add whose declared body is cut off by a reset. */
    RESET_IN_BODY(true, 0, null) {
        @Override
        String text(String host, String key, String marker) {
            return "POST /add HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 200\r\n\r\nurl=https%3A%2F%2Freset.example%2F" + marker;
        }
    },
    /** A valid lookup with garbage pipelined behind it on the same connection. */
    PIPELINED_GARBAGE(false, 302, null) {
        @Override
        String text(String host, String key, String marker) {
            return "GET /" + key + " HTTP/1.1\r\nHost: " + host + "\r\n\r\nGET /" + marker + " HTTP/1.1\r\n\u0000\u0001garbage\r\n\r\n";
        }
    },
    /** Two valid adds and a request Jetty refuses, in one write. The adds may be stored: they are answered. */
    PIPELINED_ADDS_THEN_BAD(false, 200, null) {
        @Override
        String text(String host, String key, String marker) {
            StringBuilder text = new StringBuilder();
            for (String url : addedUrls(marker)) {
                String form = "url=" + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8);
                text.append("POST /add HTTP/1.1\r\nHost: ").append(host)
                        .append("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(form.length())
                        .append("\r\n\r\n").append(form);
            }
            return text + "GET / HTTP/1.1\r\n\r\n";
        }

        @Override
        List<String> addedUrls(String marker) {
            return List.of("https://hostile.example/" + marker + "/1", "https://hostile.example/" + marker + "/2");
        }
    },
    /**
     * An add of a URL made of random pieces (schemes, hosts in several scripts and notations,
     * ports, credentials, encodings, lengths), as a form or in the query: goto must answer 200
     * or a 4xx saying why, never a 5xx. The URL holds the marker, so no two are the same; goto
     * may normalize an accepted one, so only its key is checked, not its text.
     */
    RANDOM_ADD(false, 0, null) {
        @Override
        String text(String host, String key, String marker) {
            String url = RandomUrls.url(marker);
            boolean form = (marker.hashCode() & 1) == 0;
            String encoded = java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8);
            if (!form) {
                return "GET /add?url=" + encoded + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            }
            String body = "url=" + encoded;
            return "POST /add HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        }

        @Override
        boolean addsUncheckedUrl() {
            return true;
        }
    },
    /**
     * Once a 500: the validator split the port off at the last ':' before IDNA mapping turned
     * the full-width solidus into '/'. A browser refuses this URL, and so does goto, with a 400.
     */
    FULL_WIDTH_SOLIDUS_BEFORE_PORT(false, 400, "add refused") {
        @Override
        String text(String host, String key, String marker) {
            return "GET /add?url=http://x%EF%BC%8F:%C3%A9 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        }
    };

    /** Every kind: for the crosstalk test and the fuzzer. */
    public static final List<HostileRequest> ALL = List.of(values());

    private final boolean reset;
    private final int firstStatus;
    private final String firstText;

    /**
     * @param reset       the client resets the connection instead of reading
     * @param firstStatus the status of the first answer, or 0 when it depends on the draw
     * @param firstText   what the first answer's body must contain, or null
     */
    HostileRequest(boolean reset, int firstStatus, String firstText) {
        this.reset = reset;
        this.firstStatus = firstStatus;
        this.firstText = firstText;
    }

    /**
     * True if {@code status} and {@code body} can answer the first request of this kind: a
     * hostile client is owed its own answer as much as any other; another client's answer
     * (a redirect to another key, another client's 404) is crosstalk.
     */
    boolean answersFirst(int status, String body, String locationOfKey, String location) {
        if (firstStatus == 0) {
            return true;
        }
        if (status != firstStatus || firstText != null && !body.contains(firstText)) {
            return false;
        }
        return firstStatus != 302 || locationOfKey.equals(location);
    }

    abstract String text(String host, String key, String marker);

    /** The long URLs of the valid adds this kind carries, in the order they are sent. */
    List<String> addedUrls(String marker) {
        return List.of();
    }

    /** True if an accepted add of this kind may be stored as goto normalized it: its key is checked, not its URL. */
    boolean addsUncheckedUrl() {
        return false;
    }

    /** True if the client resets the connection after sending instead of reading answers. */
    boolean reset() {
        return reset;
    }

    void send(Socket socket, String host, String key, String marker) throws IOException {
        HostileTraffic.send(socket, text(host, key, marker));
    }
}
