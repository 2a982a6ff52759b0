package gotourl.porting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import gotourl.link.CsvCells;
import gotourl.link.Link;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads each input format into {@link PortableLink}s, in input order, with the line each starts
 * on. A record that cannot be read (a bad date, a missing column) is reported to the sink as
 * invalid, and reading goes on; only an unreadable input as a whole (broken quoting that runs to
 * the end, invalid UTF-8) stops it, with an IOException.
 */
final class LinkReaders {
    /** Where read links go. */
    interface Sink {
        void link(PortableLink link) throws IOException;

        void invalid(long line, String problem) throws IOException;

        /**
         * Line {@code line} could not be read as a record at all (not JSON, or torn): skipped as
         * {@link #invalid}, and it makes an export's end record after it not trusted (see
         * {@link Importer#exportEnd}). JSON Lines only.
         */
        default void unreadable(long line, String problem) throws IOException {
            invalid(line, problem);
        }

        /** Line {@code line} is goto's end-of-export record (JSON Lines only): the source's key counter position. */
        void exportEnd(long line, ExportEnd end) throws IOException;
    }

    private LinkReaders() {}

    static void read(InputFormat format, BufferedReader in, Sink sink) throws IOException {
        switch (format) {
            case PLAIN -> plain(in, sink);
            case GOTO_JSONL -> jsonLines(in, sink);
            case GOTO_CSV, YOURLS_CSV, SHLINK_CSV, BITLY_CSV -> csv(format, in, sink);
            case YOURLS_SQL -> YourlsSql.read(in, sink);
            case KUTT_JSON -> KuttJson.read(in, sink);
        }
    }

    /** goto's plain list: a URL per line, or {@code SLUG URL}; blank lines skipped. */
    private static void plain(BufferedReader in, Sink sink) throws IOException {
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            plainLine(++number, line, sink);
        }
    }

    /** Line {@code number} of a plain list, which is read line by line ({@link ImportPipeline} judges lines apart). */
    static void plainLine(long number, String line, Sink sink) throws IOException {
        if (line.isBlank()) {
            return;
        }
        // 'SLUG URL': a slug holds no ':', so a first field with one is the start of a URL
        // that has a space in it, which the URL rules judge whole.
        String stripped = line.strip();
        int space = firstWhitespace(stripped);
        boolean hasSlug = space > 0 && stripped.lastIndexOf(':', space) < 0;
        sink.link(PortableLink.of(number, hasSlug ? stripped.substring(0, space) : null,
                hasSlug ? stripped.substring(space).strip() : stripped));
    }

    private static int firstWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** goto's JSON Lines export ({@link ExportFormat}): one object per line; blank lines skipped. */
    private static void jsonLines(BufferedReader in, Sink sink) throws IOException {
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            GotoJsonLines.line(++number, line, sink);
        }
    }

    /**
     * Line {@code number} of goto's JSON Lines read as a tree: the reference reading, and the one
     * whose words a line the streaming reader ({@link GotoJsonLines}) leaves gets.
     */
    static void jsonLineByTree(long number, String line, Sink sink) throws IOException {
        if (line.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = ExportFormat.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            sink.unreadable(number, "not a JSON object: " + e.getOriginalMessage());
            return;
        }
        if (node == null || !node.isObject()) {
            sink.unreadable(number, "not a JSON object: each line of goto's export is one link");
            return;
        }
        if (ExportEnd.is(node)) {
            ExportEnd end;
            try {
                end = ExportEnd.read(node);
            } catch (IllegalArgumentException e) {
                sink.invalid(number, e.getMessage());
                return;
            }
            sink.exportEnd(number, end);
            return;
        }
        try {
            sink.link(fromGoto(number, field -> typedText(field, node.get(field)), tags(node.get("tags")),
                    PortableRules.read(node.get(PortableRules.FIELD))));
        } catch (IllegalArgumentException e) {
            sink.invalid(number, e.getMessage());
        }
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.textValue() : node.toString();
    }

    /**
     * The JSON type each field of goto's export holds ({@link ExportFormat}): text, except
     * {@code maxVisits} (a number) and the three flags (booleans). A date field takes a number
     * too ({@link #DATE_FIELDS}).
     */
    private static final Map<String, JsonNodeType> JSON_TYPES = Map.ofEntries(Map.entry("shortCode", JsonNodeType.STRING),
            Map.entry("longUrl", JsonNodeType.STRING), Map.entry("dateCreated", JsonNodeType.STRING),
            Map.entry("title", JsonNodeType.STRING), Map.entry("validSince", JsonNodeType.STRING),
            Map.entry("validUntil", JsonNodeType.STRING), Map.entry("author", JsonNodeType.STRING),
            Map.entry("codeOrigin", JsonNodeType.STRING), Map.entry("maxVisits", JsonNodeType.NUMBER),
            Map.entry("crawlable", JsonNodeType.BOOLEAN), Map.entry("forwardQuery", JsonNodeType.BOOLEAN),
            Map.entry("passwordProtected", JsonNodeType.BOOLEAN));

    /**
     * The date fields, which goto's export writes as text but which take a JSON number too, read
     * as a bare number in a CSV cell is ({@link Dates#parse}: Unix seconds from 9 digits on).
     */
    private static final Set<String> DATE_FIELDS = Set.of("dateCreated", "validSince", "validUntil");

    /**
     * A field of a JSON link as text (null for null or absent), when it holds the JSON type goto's
     * export writes it in ({@link #JSON_TYPES}; any type for a field not listed there), or for a
     * date field a number. A number is given as {@link #numberText} writes it, so that
     * {@code "maxVisits": 1e2} is 100 and {@code "dateCreated": 1764517200} Unix seconds.
     *
     * @throws IllegalArgumentException naming the field, the type it takes and the one it holds
     *         ({@code "shortCode must be a string, not a number (123)"}): a line's value of
     *         another type was taken as its text before, so {@code "shortCode": 123} made a link
     *         {@code 123} and {@code "crawlable": "no"} a link that is not crawlable, unseen
     */
    static String typedText(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNodeType type = JSON_TYPES.get(field);
        boolean date = DATE_FIELDS.contains(field);
        if (node.isNumber() && (type == JsonNodeType.NUMBER || date)) {
            return numberText(node);
        }
        if (type != null && node.getNodeType() != type) {
            throw new IllegalArgumentException(field + " must be " + switch (type) {
                case NUMBER -> "a number";
                case BOOLEAN -> "true or false";
                default -> date ? "a string or a number" : "a string";
            } + ", not " + kind(node));
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    /**
     * A JSON number ({@code node}) as a CSV cell would hold it: its value in plain decimal digits,
     * whole when it is ({@code 1e2}, {@code 100.0} and {@code 100} all give {@code 100};
     * {@code 1.5e1} gives {@code 15}, {@code 1.25e1} gives {@code 12.5}), or {@code Infinity}
     * for one past what a double holds ({@code 1e400}). Jackson reads a number with a fraction
     * or an exponent as a double, so one whose fraction is below a double's precision
     * ({@code 1.0000000000000000001}) reads whole.
     */
    static String numberText(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return node.doubleValue() > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal value = node.decimalValue().stripTrailingZeros();
        return value.scale() <= 0 ? value.toBigIntegerExact().toString() : value.toPlainString();
    }

    /** True when goto's export writes {@code field} as a JSON string. */
    static boolean holdsString(String field) {
        return JSON_TYPES.get(field) == JsonNodeType.STRING;
    }

    /** A JSON value as a refusal names it: {@code a number (123)}, {@code a string ("12")}, {@code an array}... */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean (" + node.booleanValue() + ")";
            case NUMBER -> "a number (" + Dates.abbreviate(numberText(node)) + ")";
            case STRING -> "a string (\"" + Dates.abbreviate(node.textValue()) + "\")";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A JSON array of strings, as a list (empty for null); anything else throws naming what it holds. */
    static List<String> tags(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("tags must be a list of strings, not " + kind(node));
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : node) {
            if (!tag.isTextual()) {
                throw new IllegalArgumentException("tags must be a list of strings, not a list that holds " + kind(tag));
            }
            tags.add(tag.textValue());
        }
        return tags;
    }

    /** A link of goto's own exports, its fields by name, with redirect rules as read ({@link PortableRules#read}). */
    static PortableLink fromGoto(long line, java.util.function.Function<String, String> field, List<String> tags,
                                 gotourl.link.RedirectRules redirectRules) {
        String maxVisits = field.apply("maxVisits");
        Link.CodeOrigin origin = ExportFormat.origin(field.apply("codeOrigin"));
        return new PortableLink(line, blankToNull(field.apply("shortCode")), field.apply("longUrl"),
                Dates.parse("dateCreated", field.apply("dateCreated")), field.apply("title"), tags,
                Dates.parse("validSince", field.apply("validSince")), Dates.parse("validUntil", field.apply("validUntil")),
                maxVisits == null || maxVisits.isBlank() ? null : integer("maxVisits", maxVisits), bool("crawlable", field.apply("crawlable")),
                bool("forwardQuery", field.apply("forwardQuery")), blankToNull(field.apply("author")), origin, null,
                Boolean.TRUE.equals(bool("passwordProtected", field.apply("passwordProtected"))), redirectRules);
    }

    private static void csv(InputFormat format, BufferedReader in, Sink sink) throws IOException {
        CSVFormat csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).setIgnoreSurroundingSpaces(true).setTrim(true).get();
        try (CSVParser parser = csv.parse(in)) {
            Map<String, String> names = new HashMap<>();
            for (String header : parser.getHeaderNames()) {
                names.putIfAbsent(InputFormat.column(header), header);
            }
            long startLine = parser.getCurrentLineNumber() + 1;
            for (CSVRecord record : parser) {
                long line = startLine;
                startLine = parser.getCurrentLineNumber() + 1;
                java.util.function.Function<String, String> field = name -> {
                    String header = names.get(InputFormat.column(name));
                    return header == null || !record.isSet(header) ? null : blankToNull(record.get(header));
                };
                try {
                    sink.link(switch (format) {
                        // goto's export guarded its text cells against formula injection: unguarded here.
                        case GOTO_CSV -> fromGoto(line, field.andThen(CsvCells::unguard), jsonTags(field.apply("tags")),
                                gotourl.link.RedirectRules.NONE);
                        case YOURLS_CSV -> yourls(line, field);
                        case SHLINK_CSV -> shlink(line, field);
                        default -> bitly(line, field);
                    });
                } catch (IllegalArgumentException e) {
                    sink.invalid(line, e.getMessage());
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw csvProblem(e.getCause());
        } catch (IOException e) {
            throw csvProblem(e); // the header row's quoting
        }
    }

    private static final java.util.regex.Pattern CSV_LINE = java.util.regex.Pattern.compile("\\((?:start)?line (\\d+)\\)|at line: (\\d+)");

    /**
     * Commons CSV's own words for broken quoting ("(startline 2) EOF reached before encapsulated
     * token finished", "Invalid character between encapsulated token and delimiter at line: 2,
     * position: 49") as what is wrong in the file, on which line, and how to write it; any other
     * IOException as it is.
     */
    static IOException csvProblem(IOException e) {
        String message = String.valueOf(e.getMessage());
        java.util.regex.Matcher at = CSV_LINE.matcher(message);
        String line = at.find() ? "line " + (at.group(1) != null ? at.group(1) : at.group(2)) + ": " : "";
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new IOException(line + "a quoted field starts there and its closing quote never comes, so the rest of"
                    + " the file would be one field; close the quote (a quote inside a quoted field is written twice: \"\")", e);
        }
        if (message.toLowerCase(java.util.Locale.ROOT).contains("between encapsulated token and delimiter")) {
            return new IOException(line + "a quoted field is followed by more text before the next comma (such as \"a\"b);"
                    + " quote the whole field, writing each quote inside it twice (\"a\"\"b\")", e);
        }
        return e;
    }

    private static List<String> jsonTags(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return tags(ExportFormat.MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tags '" + Dates.abbreviate(text) + "' is not a JSON array of strings");
        }
    }

    /**
     * YOURLS: the columns of its {@code yourls_url} table ({@code keyword, url, title, timestamp,
     * ip, clicks}; includes/functions-install.php), as its admin's and the Export plugins' CSV
     * files name them; or the Import/Export plugin's {@code source, target, hits}
     * (GautamGupta/YOURLS-Import-Export, fileio/csv.php), whose source is {@code /keyword/}.
     * The timestamp is MySQL's {@code YYYY-MM-DD HH:MM:SS}, read as UTC.
     */
    private static PortableLink yourls(long line, java.util.function.Function<String, String> field) {
        String keyword = field.apply("keyword");
        if (keyword == null && field.apply("source") != null) {
            keyword = field.apply("source").replace("/", "");
        }
        String url = field.apply("url") != null ? field.apply("url") : field.apply("target");
        return new PortableLink(line, blankToNull(keyword), url, Dates.parse("timestamp", field.apply("timestamp")),
                field.apply("title"), List.of(), null, null, null, null, null, null, null, null, false);
    }

    /**
     * Shlink: the CSV its web client exports ({@code ExportShortUrlsBtn}: {@code createdAt, domain,
     * shortCode, shortUrl, longUrl, title, tags, visits}, tags joined by {@code |}); older clients
     * wrote no shortCode, so it is taken from the short URL's path then.
     */
    private static PortableLink shlink(long line, java.util.function.Function<String, String> field) {
        String code = field.apply("shortcode");
        if (code == null && field.apply("shorturl") != null) {
            code = pathOf(field.apply("shorturl"));
        }
        String tags = field.apply("tags");
        return new PortableLink(line, code, field.apply("longurl"), Dates.parse("createdAt", field.apply("createdat")),
                field.apply("title"), tags == null ? List.of() : List.of(tags.split("\\|")), null, null, null, null, null, null,
                null, null, false);
    }

    /**
     * Bitly: a link export's columns as Bitly's API v4 names a bitlink's fields ({@code link} or
     * {@code bitlink}, {@code long_url}, {@code title}, {@code created_at}, {@code tags}), in any
     * spelling ("Long URL", "long_url"); the short code is the bitlink's path (its back-half).
     */
    private static PortableLink bitly(long line, java.util.function.Function<String, String> field) {
        String link = firstOf(field, "bitlink", "link", "shortlink");
        String created = firstOf(field, "createdat", "created", "datecreated", "creationdate");
        String tags = field.apply("tags");
        return new PortableLink(line, link == null ? null : pathOf(link), field.apply("longurl"), Dates.parse("created_at", created),
                field.apply("title"), tags == null ? List.of() : List.of(tags.split("\\s*[|,]\\s*")), null, null, null, null, null,
                null, null, null, false);
    }

    private static String firstOf(java.util.function.Function<String, String> field, String... names) {
        for (String name : names) {
            String value = field.apply(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The path of a short URL without its slashes: {@code https://bit.ly/abc} and {@code bit.ly/abc} give {@code abc}. */
    static String pathOf(String shortUrl) {
        String text = shortUrl.strip();
        String withScheme = text.contains("://") ? text : "https://" + text;
        try {
            String path = URI.create(withScheme).getPath();
            return blankToNull(path == null ? null : path.replaceAll("^/+|/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("short URL '" + Dates.abbreviate(text) + "' is not a URL");
        }
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("[+-]?\\d+");

    /**
     * {@code text} (a cell, or a JSON number as {@link #numberText} writes it) as a whole number
     * of {@code field}; throws naming it as given when it is not one ({@code '1.5'}, {@code '1e2'}
     * in a cell) or past what an int holds, saying the limit.
     */
    private static Integer integer(String field, String text) {
        String number = text.strip();
        try {
            return Integer.valueOf(number);
        } catch (NumberFormatException e) {
            String quoted = field + " '" + Dates.abbreviate(number) + "'";
            if (number.equals("-Infinity") || number.startsWith("-") && WHOLE.matcher(number).matches()) {
                throw new IllegalArgumentException(quoted + " is too small (the least is " + Integer.MIN_VALUE + ")");
            }
            if (number.equals("Infinity") || WHOLE.matcher(number).matches()) {
                throw new IllegalArgumentException(quoted + " is too large (the limit is " + Integer.MAX_VALUE + ")");
            }
            throw new IllegalArgumentException(quoted + " is not a whole number");
        }
    }

    private static Boolean bool(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(field + " '" + Dates.abbreviate(text) + "' is not true or false");
        };
    }
}
