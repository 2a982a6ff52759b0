package gotourl.http;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Refusing a request body (too large, or sent with a bad API key) without losing the refusal.
 *
 * <p>Most clients send their whole body before they read the answer. When goto answers 413 from
 * the declared {@code Content-Length} alone and the connection then closes with the body still
 * arriving, the client's TCP stack meets a reset and may drop the answer it had already been
 * sent: the client sees "connection reset" or no bytes instead of the 413 that says what to do.
 * RFC 9112 §9.6 asks a server that closes to read on until the client has seen the answer;
 * goto does the bounded form of that: the answer is written at once, then a body declared up to
 * {@link #DRAIN_LIMIT} bytes is read and thrown away before the exchange ends. Larger or
 * undeclared bodies are not read, so a refused upload never costs more than this bound.
 */
public final class RefusedBodies {
    /**
     * {@code Accept-Encoding: identity}, sent with a 415 for a compressed body: the codings goto
     * decodes in a request, none (RFC 7694 §3).
     */
    public static final HttpField ACCEPT_IDENTITY = new PreEncodedHttpField(HttpHeader.ACCEPT_ENCODING, "identity");

    /** The largest declared body, in bytes, that is read and discarded before a refusal: 1 MiB. */
    public static final long DRAIN_LIMIT = 1L << 20;

    private RefusedBodies() {
    }

    /**
     * The content codings a request's body is sent in ({@code Content-Encoding}, all its lines, as
     * sent: {@code "gzip"}, {@code "deflate, br"}), or null when it names none but {@code identity}.
     * goto decodes no coding: a {@code /add} form or an API body so sent is refused 415 with
     * {@link #ACCEPT_IDENTITY} (RFC 9110 §15.5.16, §8.4: a server may refuse a coding it does not
     * take; RFC 7694 §3: it says which it takes in {@code Accept-Encoding}), before its body is
     * read, where reading gzip's bytes as a form or as JSON failed with a charset or syntax error
     * that did not name the cause.
     */
    public static String contentCoding(Request request) {
        if (!request.getHeaders().contains(HttpHeader.CONTENT_ENCODING)) {
            return null; // the common case, on every form add: no list built
        }
        List<String> codings = request.getHeaders().getCSV(HttpHeader.CONTENT_ENCODING, false);
        for (String coding : codings) {
            if (!coding.isBlank() && !coding.trim().toLowerCase(Locale.ROOT).equals("identity")) {
                return String.join(", ", codings);
            }
        }
        return null;
    }

    /**
     * How a form that is not valid in its charset is not valid, after "is not valid ": in the
     * charset its {@code contentType} declares, or in UTF-8, read when it declares none, and how
     * to declare one.
     */
    public static String charsetRefused(String contentType) {
        String declared = String.valueOf(contentType);
        return declared.toLowerCase(Locale.ROOT).contains("charset=") ? "in the charset it declares (" + declared + ")"
                : "UTF-8, the charset a form without one is read in; declare its charset, e.g. Content-Type:"
                + " application/x-www-form-urlencoded; charset=ISO-8859-1";
    }

    /** What a client that sent a body in {@code coding} ({@link #contentCoding}) is told: what goto does not do, and what to do instead. */
    public static String codingRefused(String coding) {
        return "the body is sent with Content-Encoding: " + coding + ", which goto does not decode; send the body"
                + " uncompressed, without a Content-Encoding header";
    }

    /**
     * Wraps the callback that completes a refused request so that, once the refusal has been
     * written, goto reads and discards the request's body before the exchange ends (a lingering
     * close, RFC 9112 §9.6): the refusal goes out at once, from the headers alone, and a client
     * still sending its body is read to the end instead of reset. Only a body declared up to
     * {@link #DRAIN_LIMIT} bytes is drained; a larger or undeclared one gets {@code callback}
     * back unchanged. Never blocks: the body is consumed by Jetty's asynchronous reads.
     *
     * @param request  the refused request, whose body has not been read
     * @param callback Jetty's callback for the exchange
     * @return the callback to write the refusal with (a 413, RFC 9110 §15.5.14, or any answer
     *         given from the headers alone, such as the API's 401 for a bad key)
     */
    public static Callback drainAfter(Request request, Callback callback) {
        long length = request.getLength();
        if (length <= 0 || length > DRAIN_LIMIT) {
            return callback;
        }
        // The wrapper is as blocking as the callback it wraps (Callback.from's default is BLOCKING),
        // so that Jetty may complete a form add's exchange where it would without the wrapper.
        return Callback.from(callback.getInvocationType(), () -> Content.Source.consumeAll(request, callback), callback::failed);
    }
}
