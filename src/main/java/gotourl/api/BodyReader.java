package gotourl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gotourl.http.RefusedBodies;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.UrlEncoded;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A REST request's body read into JSON without blocking ({@link #readJson}, {@link #readBody}):
 * a JSON body; on a short URL's create and edit, also a form, read into the JSON object it stands
 * for ({@link #readForm}); a compressed or multipart body refused before it is read.
 *
 * <p>Forms, why: Shlink takes them. Its own {@code BodyParserMiddleware} parses JSON alone since
 * 3.0 ("supporting only JSON requests", {@code module/Rest/src/Middleware/BodyParserMiddleware.php}),
 * but it steps aside when the request already has a parsed body, and both servers Shlink runs on
 * parse a form before it: RoadRunner ({@code spiral/roadrunner-http}'s {@code PSR7Worker} hands
 * the form it parsed to {@code withParsedBody}) and PHP-FPM ({@code $_POST}). So
 * {@code longUrl=...&customSlug=...&tags[]=a&tags[]=b} creates a link there. {@link LinkInput}
 * judges a form's fields as it judges JSON (it takes {@code "5"} for a number and {@code "true"}
 * for a boolean), so a form's text needs no conversion here.
 *
 * <p>A form's shape: {@code name=value} is the field {@code "name": "value"}; {@code name[]=a} and
 * {@code name[0]=a} (PHP's and Shlink's SDKs' spelling of a list) gather into
 * {@code "name": ["a", ...]} in order; an empty value is a field left out (an HTML form sends its
 * blank inputs so); a plain name sent twice is refused 400 {@code invalid-data}, as {@code /add}
 * refuses two {@code url}s, where PHP would keep the last unseen. Decoded in the charset the
 * {@code Content-Type} declares, UTF-8 when it declares none.
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
     * The form in {@code bytes} as a JSON object of strings and arrays of strings.
     *
     * @throws Problem 400 {@code invalid-data} naming a field sent twice; 400
     *                 {@code malformed-request-body} for a form that is not valid in its charset,
     *                 or a charset goto does not know
     */
    static ObjectNode readForm(byte[] bytes, String contentType) {
        Charset charset = charset(contentType);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        try {
            UrlEncoded.decodeTo(new String(bytes, charset), (name, value) ->
                    fields.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value), charset);
        } catch (IllegalArgumentException e) {
            throw Problem.malformedBody("the form is not valid URL encoding in " + charset.name() + ": " + e.getMessage()
                    + "; percent-encode each value as " + charset.name());
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            String name = field.getKey();
            int bracket = name.indexOf('[');
            // tags[] or tags[0]: a list, as Exchange#values reads one in a query
            String list = bracket > 0 && name.endsWith("]") && Exchange.digits(name, bracket + 1, name.length() - 1)
                    ? name.substring(0, bracket) : null;
            if (list == null) {
                if (field.getValue().size() > 1) {
                    throw Problem.invalidData(name, "the form sends " + name + " " + field.getValue().size() + " times;"
                            + " send it once, or as " + name + "[] for a list");
                }
                if (!field.getValue().getFirst().isEmpty()) {
                    if (body.get(name) instanceof ArrayNode) {
                        throw Problem.invalidData(name, "the form sends " + name + " both as one value and as a list ("
                                + name + "[]); send one of them");
                    }
                    body.put(name, field.getValue().getFirst());
                }
                continue;
            }
            if (body.has(list) && !(body.get(list) instanceof ArrayNode)) {
                throw Problem.invalidData(list, "the form sends " + list + " both as one value and as a list (" + list
                        + "[]); send one of them");
            }
            ArrayNode values = body.has(list) ? (ArrayNode) body.get(list) : body.putArray(list);
            field.getValue().stream().filter(v -> !v.isEmpty()).forEach(values::add);
        }
        return body;
    }

    private static Charset charset(String contentType) {
        String name = MimeTypes.getCharsetFromContentType(contentType);
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            throw Problem.malformedBody("the form declares the charset '" + name + "', which goto does not know; send it in"
                    + " UTF-8");
        }
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
     * object its JSON would be ({@link #readForm}): the create and edit of a short URL, which
     * Shlink takes as forms.
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
                    body = readForm(bytes, contentType);
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
