package gotourl.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * A short URL's create or edit body sent as an HTML form ({@code application/x-www-form-urlencoded},
 * what {@code curl -d} sends), read into the JSON object a JSON body would be, for
 * {@link LinkInput} to judge field by field as it judges JSON (it takes {@code "5"} for a number
 * and {@code "true"} for a boolean, so a form's text needs no conversion here).
 *
 * <p>Why: Shlink takes such a form. Its own {@code BodyParserMiddleware} parses JSON alone since
 * 3.0 ("supporting only JSON requests", {@code module/Rest/src/Middleware/BodyParserMiddleware.php}),
 * but it steps aside when the request already has a parsed body, and both servers Shlink runs on
 * parse a form before it: RoadRunner ({@code spiral/roadrunner-http}'s {@code PSR7Worker} hands
 * the form it parsed to {@code withParsedBody}) and PHP-FPM ({@code $_POST}). So
 * {@code longUrl=...&customSlug=...&tags[]=a&tags[]=b} creates a link there.
 *
 * <p>Shape: {@code name=value} is the field {@code "name": "value"}; {@code name[]=a} and
 * {@code name[0]=a} (PHP's and Shlink's SDKs' spelling of a list) gather into
 * {@code "name": ["a", ...]} in order; an empty value is a field left out (an HTML form sends its
 * blank inputs so); a plain name sent twice is refused 400 {@code invalid-data}, as {@code /add}
 * refuses two {@code url}s, where PHP would keep the last unseen. Decoded in the charset the
 * {@code Content-Type} declares, UTF-8 when it declares none.
 */
final class FormBody {
    static final String FORM = "application/x-www-form-urlencoded";

    private FormBody() {}

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
    static ObjectNode read(byte[] bytes, String contentType) {
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
}
