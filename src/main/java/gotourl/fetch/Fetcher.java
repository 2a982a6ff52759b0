package gotourl.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * goto's one way to fetch a page from another server, guarded (see the package). Thread-safe;
 * one per process, shared by the link checker and the title resolver. Blocking: call it from a
 * virtual thread. Start with {@link #start}, stop with {@link #close}.
 */
public final class Fetcher implements AutoCloseable {
    /** The redirect statuses followed (RFC 9110 §15.4): 301, 302, 303, 307, 308. */
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Enough for any Location header or page head; a body longer than the caller's bound is cut. */
    private static final int READ_CHUNK_BYTES = 8 * 1024;

    /**
     * An answer, after any redirects.
     *
     * @param status      the final HTTP status
     * @param url         the URL that answered it (the last hop)
     * @param redirects   the redirects followed, in order; empty when the first URL answered
     * @param body        up to the asked bound of the body's bytes (decoded if it was compressed);
     *                    empty for HEAD
     * @param truncated   true when the body was longer than the bound and the rest was not read
     * @param contentType the Content-Type header, or null
     * @param retryAfter  the Retry-After header as sent (seconds or an HTTP date), or null
     */
    public record Response(int status, String url, List<Redirect> redirects, byte[] body, boolean truncated, String contentType,
                           String retryAfter) {}

    /** One redirect followed: {@code from} answered {@code status} with a Location pointing at {@code to}. */
    public record Redirect(String from, int status, String to) {}

    private final HttpClient client;
    private final FetchOptions options;

    private Fetcher(HttpClient client, FetchOptions options) {
        this.client = client;
        this.options = options;
    }

    /**
     * A started fetcher: Jetty's client on a pool of named threads ({@code goto-fetch}), its
     * resolver replaced by the guard. Throws {@link IllegalStateException} if the client cannot start.
     */
    public static Fetcher start(FetchOptions options, HostResolver resolver) {
        HttpClient client = new HttpClient();
        client.setSocketAddressResolver(new GuardedResolver(resolver, options.policy()));
        client.setFollowRedirects(false); // followed here, each hop checked
        client.setConnectTimeout(options.connectTimeout().toMillis());
        client.setIdleTimeout(30_000);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, options.userAgent()));
        // The checker's global and per-host bounds come first; these only keep the client from
        // refusing what they let through.
        client.setMaxConnectionsPerDestination(256);
        client.setMaxRequestsQueuedPerDestination(4096);
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("goto-fetch");
        threads.setDaemon(true);
        client.setExecutor(threads);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for outbound fetches: " + e.getMessage(), e);
        }
        return new Fetcher(client, options);
    }

    public FetchOptions options() {
        return options;
    }

    /**
     * Fetches {@code url} with {@code method} (HEAD or GET), following redirects up to the limit
     * (a 303 turns a GET's next hop into a GET, as any other redirect keeps the method), reading
     * up to {@code maxBodyBytes} of the final body, all within the total timeout. Throws
     * {@link FetchException} when there is no answer to judge (refused, unreachable, timed out,
     * a redirect loop or too many redirects, cancelled), and {@link InterruptedException} if the
     * calling thread is interrupted (the request is aborted first).
     */
    public Response fetch(String url, String method, int maxBodyBytes, Cancellation cancel) throws FetchException, InterruptedException {
        long deadline = System.nanoTime() + options.totalTimeout().toNanos();
        URI current = checkedUri(url, null);
        Set<String> seen = new HashSet<>();
        seen.add(current.toString());
        List<Redirect> redirects = new ArrayList<>();
        while (true) {
            Answer answer = once(current, method, maxBodyBytes, deadline, cancel, redirects);
            if (answer.location() == null) {
                return answer.response();
            }
            String location = answer.location();
            if (redirects.size() == options.maxRedirects()) {
                throw new FetchException(FetchException.Kind.TOO_MANY_REDIRECTS, "more than " + options.maxRedirects()
                        + " redirects from " + url + " (the last to " + location + ")");
            }
            URI next = checkedUri(location, current);
            redirects.add(new Redirect(current.toString(), answer.status(), next.toString()));
            if (!seen.add(next.toString())) {
                throw new FetchException(FetchException.Kind.REDIRECT_LOOP, "redirect loop: " + current + " redirects back to "
                        + next + " after " + redirects.size() + " redirect" + (redirects.size() == 1 ? "" : "s"));
            }
            current = next;
        }
    }

    /** One hop's answer: a redirect to follow ({@code location} set, no body read), or the final response. */
    private record Answer(int status, String location, Response response) {}

    /** One request; a redirect without a Location is a final answer. */
    private Answer once(URI uri, String method, int maxBodyBytes, long deadline, Cancellation cancel, List<Redirect> redirects)
            throws FetchException, InterruptedException {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            throw timeout(uri, null);
        }
        Request request = client.newRequest(uri).method(method).followRedirects(false)
                .timeout(TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1, TimeUnit.MILLISECONDS)
                .headers(headers -> headers.put(HttpHeader.ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8"));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        cancel.register(request);
        try {
            request.send(listener);
            org.eclipse.jetty.client.Response response = listener.get(remainingNanos, TimeUnit.NANOSECONDS);
            int status = response.getStatus();
            String location = response.getHeaders().get(HttpHeader.LOCATION);
            try (InputStream body = listener.getInputStream()) {
                if (REDIRECTS.contains(status) && location != null && !location.isBlank()) {
                    return new Answer(status, location.strip(), null);
                }
                byte[] bytes = "HEAD".equals(method) ? new byte[0] : body.readNBytes(maxBodyBytes);
                boolean truncated = !"HEAD".equals(method) && body.read() >= 0;
                if (truncated) {
                    request.abort(new IOException("body longer than " + maxBodyBytes + " bytes; goto read no further"));
                }
                return new Answer(status, null, new Response(status, uri.toString(), List.copyOf(redirects), bytes, truncated,
                        response.getHeaders().get(HttpHeader.CONTENT_TYPE), response.getHeaders().get(HttpHeader.RETRY_AFTER)));
            } catch (IOException e) {
                throw failure(uri, e, cancel);
            }
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        } catch (TimeoutException e) {
            request.abort(e);
            throw timeout(uri, e);
        } catch (ExecutionException e) {
            throw failure(uri, e.getCause(), cancel);
        } finally {
            cancel.unregister(request);
        }
    }

    private static FetchException failure(URI uri, Throwable failure, Cancellation cancel) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FetchException fetch) {
                return fetch;
            }
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
                return timeout(uri, cause);
            }
            if (cause instanceof UnknownHostException) {
                return new FetchException(FetchException.Kind.UNREACHABLE, "unknown host " + uri.getHost(), cause);
            }
            if (cause instanceof ConnectException) {
                return new FetchException(FetchException.Kind.UNREACHABLE, "cannot connect to " + hostPort(uri) + ": "
                        + cause.getMessage(), cause);
            }
            if (cause instanceof SSLException) {
                return new FetchException(FetchException.Kind.UNREACHABLE, "TLS failed with " + hostPort(uri) + ": "
                        + cause.getMessage(), cause);
            }
        }
        if (cancel.isCancelled()) {
            return cancel.cancelled();
        }
        return new FetchException(FetchException.Kind.UNREACHABLE, "fetching " + uri + " failed: " + failure, failure);
    }

    private static FetchException timeout(URI uri, Throwable cause) {
        return new FetchException(FetchException.Kind.TIMEOUT, "no answer from " + hostPort(uri) + " in time"
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }

    private static String hostPort(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /**
     * {@code text} as a URI to fetch, resolved against {@code base} when it is a redirect's
     * Location: refused ({@code REFUSED}) unless http or https with a host; {@code BAD_REDIRECT}
     * when it cannot be read as a URL at all. Characters RFC 3986 does not allow (a browser-style
     * URL may have {@code |} or {@code ^}) are percent-encoded first.
     */
    static URI checkedUri(String text, URI base) throws FetchException {
        URI uri;
        try {
            uri = new URI(encodeIllegal(text.strip()));
            if (base != null) {
                uri = base.resolve(uri);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(base == null ? FetchException.Kind.REFUSED : FetchException.Kind.BAD_REDIRECT,
                    (base == null ? "not a URL: " : "redirect from " + base + " to something that is not a URL: ") + text, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(FetchException.Kind.REFUSED, "refused: " + (base == null ? "" : "a redirect from " + base
                    + " to ") + text + ": goto fetches http:// and https:// URLs only");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new FetchException(base == null ? FetchException.Kind.REFUSED : FetchException.Kind.BAD_REDIRECT,
                    "no host in " + text);
        }
        // The fragment stays with the browser; it is never sent.
        if (uri.getRawFragment() != null) {
            try {
                uri = new URI(uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(), null);
                uri = URI.create(uri.toString());
            } catch (URISyntaxException e) {
                throw new FetchException(FetchException.Kind.BAD_REDIRECT, "not a URL: " + text, e);
            }
        }
        return uri;
    }

    private static String encodeIllegal(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            boolean legal = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0);
            if (legal) {
                if (out != null) {
                    out.append((char) c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            for (byte b : Character.toString(c).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out == null ? text : out.toString();
    }

    /** Stops the client: connections closed, threads ended. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP client failed: " + e.getMessage(), e);
        }
    }
}
