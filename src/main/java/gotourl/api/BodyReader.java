package gotourl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import gotourl.http.RefusedBodies;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A REST request's body read into JSON without blocking ({@link #readJson}, {@link #readBody}):
 * a JSON body; on a short URL's create and edit, also a form, read into the JSON object it stands
 * for ({@link FormBody}); a compressed or multipart body refused before it is read.
 *
 * <p>Forms, why: Shlink takes them. Its own {@code BodyParserMiddleware} parses JSON alone since
 * 3.0 ("supporting only JSON requests", {@code module/Rest/src/Middleware/BodyParserMiddleware.php}),
 * but it steps aside when the request already has a parsed body, and both servers Shlink runs on
 * parse a form before it: RoadRunner ({@code spiral/roadrunner-http}'s {@code PSR7Worker} hands
 * the form it parsed to {@code withParsedBody}) and PHP-FPM ({@code $_POST}). So
 * {@code longUrl=...&customSlug=...&tags[]=a&tags[]=b} creates a link there. {@link LinkInput}
 * judges a form's fields as it judges JSON (it takes {@code "5"} for a number), with what
 * {@link FormBody} says of them.
 */
final class BodyReader {
    static final String FORM = "application/x-www-form-urlencoded";

    private BodyReader() {}

    /** True when {@code contentType} (a header value, may be null) is an urlencoded form. */
    static boolean isForm(String contentType) {
        return contentType != null && MimeTypes.getBase(contentType).trim().equalsIgnoreCase(FORM);
    }

    /** True when {@code contentType} is {@code multipart/form-data}, which no REST route reads. */
    static boolean isMultipart(String contentType) {
        return contentType != null && MimeTypes.getBase(contentType).trim().equalsIgnoreCase("multipart/form-data");
    }

    /**
     * Reads the body as JSON without blocking, at most {@code maxBytes}, and gives it to
     * {@code then}: 413 if larger, 400 {@code malformed-request-body} if it is not JSON. An empty
     * body reads as an empty object, as Shlink's body parser takes it. A body sent with a
     * {@code Content-Encoding} (gzip...) is 415 {@code unsupported-content-encoding} with
     * {@code Accept-Encoding: identity}, before it is read ({@link RefusedBodies#contentCoding}).
     * A form ({@code application/x-www-form-urlencoded}) that is not JSON is 415
     * {@code unsupported-media-type} naming {@code application/json}, and so is
     * {@code multipart/form-data}, before it is read: JSON is read whatever the
     * {@code Content-Type} says, as {@code curl -d '{...}'} labels its JSON a form.
     */
    static void readJson(Exchange exchange, int maxBytes, Consumer<JsonNode> then) {
        readBody(exchange, maxBytes, false, then);
    }

    /**
     * As {@link #readJson}, and with {@code forms} a form body that is not JSON is read into the
     * object its JSON would be ({@link FormBody#read}), kept as {@link Exchange#form}: the create
     * and edit of a short URL, which Shlink takes as forms.
     */
    static void readBody(Exchange exchange, int maxBytes, boolean forms, Consumer<JsonNode> then) {
        String coding = RefusedBodies.contentCoding(exchange.request);
        if (coding != null) {
            exchange.response.getHeaders().put(RefusedBodies.ACCEPT_IDENTITY);
            exchange.refuseBody(Problem.unsupportedCoding(RefusedBodies.codingRefused(coding)));
            return;
        }
        String contentType = exchange.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (isMultipart(contentType)) {
            exchange.refuseBody(Problem.unsupportedMediaType("the body is multipart/form-data, which goto's API does not"
                    + " read; send it as JSON (Content-Type: application/json)"
                    + (forms ? " or as a form (application/x-www-form-urlencoded)" : "")));
            return;
        }
        long length = exchange.request.getLength();
        if (length > maxBytes) {
            exchange.refuseBody(Problem.tooLarge(length, maxBytes));
            return;
        }
        // Declared non-blocking: the callback parses and hands over to the store, so Jetty may run
        // it on the thread that read the last bytes.
        Content.Source.asByteArrayAsync(exchange.request, maxBytes, Promise.Invocable.from(Invocable.InvocationType.NON_BLOCKING,
                (byte[] bytes, Throwable failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
                    exchange.problem(message.contains("max") || message.contains("large") || message.contains("exceed")
                            ? Problem.tooLarge(-1, maxBytes)
                            : Problem.malformedBody("the body could not be read: " + cause.getMessage()));
                    return;
                }
                JsonNode body;
                if (bytes.length == 0 || isBlank(bytes)) {
                    body = JsonNodeFactory.instance.objectNode();
                } else if (isForm(contentType) && !looksLikeJson(bytes)) {
                    if (!forms) {
                        throw Problem.unsupportedMediaType("the body is a form (application/x-www-form-urlencoded); this"
                                + " route reads JSON: send it with Content-Type: application/json");
                    }
                    exchange.form = FormBody.read(bytes, contentType);
                    body = exchange.form.json();
                } else {
                    try {
                        body = Json.MAPPER.readTree(bytes);
                    } catch (JsonProcessingException e) {
                        throw Problem.malformedBody("Provided request does not contain a valid JSON body: "
                                + e.getOriginalMessage() + (e.getLocation() == null ? ""
                                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
                    }
                }
                then.accept(body);
            } catch (RuntimeException e) {
                ShortUrlRoutes.failed(exchange, e);
            } catch (java.io.IOException e) {
                exchange.problem(Problem.malformedBody("the body could not be read: " + e.getMessage()));
            }
        }));
    }

    /** True when the first byte that is not white space opens a JSON object or array. */
    private static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
