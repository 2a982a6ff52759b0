package gotourl.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gotourl.http.RefusedBodies;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.MimeTypes;

/**
 * A short URL's create or edit sent as a form ({@code application/x-www-form-urlencoded}), read
 * into the JSON object it stands for ({@link #json}), and what only a form needs said about its
 * fields ({@link #hint}).
 *
 * <p>A form's shape: {@code name=value} is the field {@code "name": "value"}; a list field
 * ({@code tags}) is sent {@code tags[]=a&tags[]=b} or {@code tags[0]=a&tags[1]=b} (PHP's and
 * Shlink's SDKs' spellings) and gathers into {@code "tags": ["a", "b"]} in order. Any other
 * bracket ({@code tags[x]}, {@code tags[ ]}, {@code tags[-1]}, {@code tags[0][1]}), the two
 * spellings mixed, or one index twice is refused 400 {@code invalid-data} naming the field, where
 * PHP would make a map or a nested list that Shlink then refuses or reads otherwise: goto does not
 * guess. A plain name sent twice is refused the same way, as {@code /add} refuses two {@code url}s.
 *
 * <p>An empty value ({@code title=}) is JSON's {@code null}: in a create a field left out, in an
 * edit a field cleared (but {@code password=}, always left out: {@link #KEPT_WHEN_EMPTY}), as
 * Shlink's {@code ShortUrlEdition::fromRawData} marks a field provided whenever it is there
 * ({@code array_key_exists}), even empty, and so changes it
 * ({@code module/Core/src/ShortUrl/Model/ShortUrlEdition.php}).
 *
 * <p>Booleans ({@link #BOOLEANS}) are read in any case as {@code true}/{@code false},
 * {@code 1}/{@code 0}, {@code on}/{@code off} or {@code yes}/{@code no} ({@link #bool}): Shlink
 * reads them with shlink-common's {@code InputFactory::boolean}, a Laminas {@code Filter\Boolean}
 * of {@code TYPE_PHP | TYPE_FALSE_STRING} with casting, so {@code "0"} and {@code "false"} (any
 * case) are false and any other text true, and PHP's {@code http_build_query} sends true as
 * {@code 1}. goto reads {@code off} and {@code no} as false, where Shlink's cast makes them true,
 * and refuses any other text rather than take it for true.
 *
 * <p>Decoded in the charset the {@code Content-Type} declares (UTF-8 when it declares none), each
 * name and value apart, so that a refusal names its field: a {@code %} not followed by two hex
 * digits, or bytes not valid in the charset, are 400 {@code invalid-data} naming the field.
 */
final class FormBody {
    /** The fields a create or edit reads as booleans. */
    static final Set<String> BOOLEANS = Set.of("crawlable", "forwardQuery", "findIfExists");
    /** The fields a create or edit reads as lists. */
    static final Set<String> LISTS = Set.of("tags");

    /**
     * Fields whose empty value is left out in an edit too, not cleared: a page's form with a blank
     * password box would otherwise take a link's password off unseen. A password is removed by
     * JSON's {@code "password": null}.
     */
    static final Set<String> KEPT_WHEN_EMPTY = Set.of("password");
    /** The spellings a form's boolean takes, for messages. */
    static final String BOOLEAN_SPELLINGS = "true/false, 1/0, on/off or yes/no (any case)";

    private static final byte[] ASCII_PROBE = "&=%+[]azAZ09".getBytes(StandardCharsets.US_ASCII);

    private final ObjectNode json = JsonNodeFactory.instance.objectNode();
    private final Set<String> plusSpaced = new HashSet<>();

    private FormBody() {}

    /** The form's fields as a JSON object: strings, nulls (empty values), booleans and arrays of strings. */
    ObjectNode json() {
        return json;
    }

    /**
     * What to add to a refusal of {@code field}: a space in its value that came from a {@code +}
     * is often a {@code +} meant ({@code maxVisits=+5}, {@code validUntil=...T00:00:00+00:00}),
     * so the message says how to send one; empty for other fields.
     */
    String hint(String field) {
        return plusSpaced.contains(field) ? " (a + in a form is a space: send %2B)" : "";
    }

    /** True or false for a form's boolean spelled as {@link #BOOLEAN_SPELLINGS} says, else null. */
    static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "on", "yes" -> Boolean.TRUE;
            case "false", "0", "off", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * The form in {@code bytes}, sent with {@code contentType} (a header value).
     *
     * @throws Problem 400 {@code invalid-data} naming a field sent twice, a list in a shape goto
     *                 does not read, or a name or value that is not valid percent-encoding in the
     *                 charset; 400 {@code malformed-request-body} for a charset goto does not know,
     *                 or one that does not write ASCII as ASCII (UTF-16...)
     */
    static FormBody read(byte[] bytes, String contentType) {
        Charset charset = charset(contentType);
        FormBody form = new FormBody();
        Map<String, List<String>> plain = new LinkedHashMap<>();
        Map<String, String> listShape = new LinkedHashMap<>();
        Set<String> indexes = new HashSet<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '&') {
                continue;
            }
            if (i > start) {
                int equals = start;
                while (equals < i && bytes[equals] != '=') {
                    equals++;
                }
                String name = decode(bytes, start, equals, null, charset, contentType);
                String value = equals < i ? decode(bytes, equals + 1, i, name, charset, contentType) : "";
                String field = form.field(name, value, plain, listShape, indexes);
                for (int b = equals + 1; b < i; b++) {
                    if (bytes[b] == '+') {
                        form.plusSpaced.add(field);
                        break;
                    }
                }
            }
            start = i + 1;
        }
        for (Map.Entry<String, List<String>> field : plain.entrySet()) {
            String name = field.getKey();
            if (field.getValue().size() > 1) {
                throw Problem.invalidData(name, "the form sends " + name + " " + field.getValue().size() + " times;"
                        + " send it once" + (LISTS.contains(name) ? ", or as " + name + "[] for a list" : ""));
            }
            if (form.json.has(name)) {
                throw Problem.invalidData(name, "the form sends " + name + " both as one value and as a list (" + name
                        + "[]); send one of them");
            }
            String value = field.getValue().getFirst();
            Boolean bool = BOOLEANS.contains(name) ? bool(value) : null;
            if (value.isEmpty()) {
                if (!KEPT_WHEN_EMPTY.contains(name)) {
                    form.json.putNull(name);
                }
            } else if (bool != null) {
                form.json.put(name, bool);
            } else {
                form.json.put(name, value); // a boolean spelled otherwise is refused by LinkInput, naming the spellings
            }
        }
        return form;
    }

    /**
     * Files one {@code name=value} pair: a list's item into {@link #json} at once, a plain field
     * into {@code plain}. Returns the field it belongs to.
     */
    private String field(String name, String value, Map<String, List<String>> plain, Map<String, String> listShape,
                         Set<String> indexes) {
        int bracket = name.indexOf('[');
        String base = bracket > 0 ? name.substring(0, bracket) : name;
        boolean listed = LISTS.contains(base);
        // [] or [digits] and nothing after: a list, as Exchange#values reads one in a query
        boolean listShaped = bracket > 0 && name.indexOf(']') == name.length() - 1
                && Exchange.digits(name, bracket + 1, name.length() - 1);
        if (listed && bracket > 0 && !listShaped) {
            throw Problem.invalidData(base, "the form sends " + base + " as " + name + ", a shape goto does not read; send a"
                    + " list as " + base + "[]=a&" + base + "[]=b or " + base + "[0]=a&" + base + "[1]=b");
        }
        if (!listShaped) {
            plain.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
            return name;
        }
        String shape = bracket + 2 == name.length() ? "[]" : "[0]";
        String other = listShape.putIfAbsent(base, shape);
        if (other != null && !other.equals(shape)) {
            throw Problem.invalidData(base, "the form sends " + base + " both as " + base + "[] and as " + base
                    + "[N]; send the list in one of the two shapes, which goto does not mix");
        }
        if (shape.equals("[0]") && !indexes.add(name)) {
            throw Problem.invalidData(base, "the form sends " + name + " twice; give each item of " + base + " its own index,"
                    + " or send them as " + base + "[]");
        }
        ArrayNode values = json.get(base) instanceof ArrayNode list ? list : json.putArray(base);
        if (!value.isEmpty()) {
            values.add(value);
        }
        return base;
    }

    /**
     * {@code bytes[from..to)} percent-decoded ({@code +} is a space) and read in {@code charset}.
     * {@code field} is the name the bytes are the value of, or null when they are a name.
     */
    private static String decode(byte[] bytes, int from, int to, String field, Charset charset, String contentType) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '+') {
                out[n++] = ' ';
            } else if (b != '%') {
                out[n++] = b;
            } else if (i + 2 < to && Character.digit(bytes[i + 1], 16) >= 0 && Character.digit(bytes[i + 2], 16) >= 0) {
                out[n++] = (byte) (Character.digit(bytes[i + 1], 16) << 4 | Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                String raw = abbreviate(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
                String named = field == null ? "the form's field name \"" + raw + "\"" : "the form's field " + field
                        + " (\"" + raw + "\")";
                throw Problem.invalidData(field == null ? raw : field, named + " holds a % not followed by two hex digits:"
                        + " a % in a form must be sent as %25");
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            String raw = abbreviate(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
            throw Problem.invalidData(field == null ? raw : field, (field == null ? "the form's field name \"" + raw + "\""
                    : "the form's field " + field) + " is not valid " + RefusedBodies.charsetRefused(contentType));
        }
    }

    private static Charset charset(String contentType) {
        String name = MimeTypes.getCharsetFromContentType(contentType);
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        Charset charset;
        try {
            charset = Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            throw Problem.malformedBody("the form declares the charset '" + name + "', which goto does not know; send it in"
                    + " UTF-8");
        }
        // A form's & = % + are ASCII bytes; a charset that writes them otherwise (UTF-16) is no form's.
        if (!charset.canEncode() || !Arrays.equals(new String(ASCII_PROBE, StandardCharsets.US_ASCII).getBytes(charset), ASCII_PROBE)) {
            throw Problem.malformedBody("the form declares the charset '" + name + "', which does not write ASCII as ASCII"
                    + " bytes, as a form's & = and % are; send it in UTF-8");
        }
        return charset;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
