package gotourl.porting;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.List;

/**
 * A line of goto's JSON Lines export read with Jackson's streaming parser: the fields an import
 * keeps are taken as the tokens pass, the others ({@code visitsSummary}) skipped, with no tree of
 * nodes built per line (the trees were a large share of the time of importing an export).
 *
 * <p>It reads exactly what the tree reading ({@link LinkReaders#jsonLineByTree}) reads: a field's
 * text when it holds the JSON type goto's export writes it in (a string, or for {@code maxVisits}
 * a number and for the flags a boolean; a date field takes a number too), a number as
 * {@link LinkReaders#numberText} writes it, null for null, and otherwise the refusal
 * {@link LinkReaders#typedText} words; the last of a repeated field. A line it cannot read (not an object,
 * broken JSON, anything after the object) is handed to the tree reading, so
 * every refusal keeps the words it had ({@code GotoJsonLinesTest} compares the two); so is the
 * export's last line, its {@link ExportEnd} record, met once per export.
 */
final class GotoJsonLines {
    /** The fields {@link LinkReaders#fromGoto} asks for, by index. */
    private static final List<String> FIELDS = List.of("shortCode", "longUrl", "dateCreated", "title", "validSince", "validUntil",
            "maxVisits", "crawlable", "forwardQuery", "author", "codeOrigin", "passwordProtected");

    /** Which of {@link #FIELDS} hold a string: a string token there is taken as it is, no node built. */
    private static final boolean[] STRINGS = new boolean[FIELDS.size()];

    static {
        for (int i = 0; i < FIELDS.size(); i++) {
            STRINGS[i] = LinkReaders.holdsString(FIELDS.get(i));
        }
    }

    private GotoJsonLines() {}

    /** Reads line {@code number}: a link, or an invalid line, to {@code sink}; a blank line gives nothing. */
    static void line(long number, String line, LinkReaders.Sink sink) throws IOException {
        if (line.isBlank()) {
            return;
        }
        PortableLink link;
        try {
            link = streamed(number, line);
        } catch (IllegalArgumentException e) {
            sink.invalid(number, e.getMessage());
            return;
        }
        if (link == null) {
            LinkReaders.jsonLineByTree(number, line, sink);
            return;
        }
        try {
            sink.link(link);
        } catch (IllegalArgumentException e) {
            sink.invalid(number, e.getMessage());
        }
    }

    /**
     * The link on {@code line}, or null when the tree reading must decide (it is not one JSON
     * object); throws IllegalArgumentException for a field goto cannot read, as the tree reading does.
     */
    static PortableLink streamed(long number, String line) throws IOException {
        String[] values = new String[FIELDS.size()];
        // A field of the wrong JSON type is refused when fromGoto asks for it, as the tree reading refuses it then.
        String[] wrongType = new String[FIELDS.size()];
        JsonNode tags = null;
        JsonNode rules = null;
        try (JsonParser parser = ExportFormat.MAPPER.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("tags")) {
                    tags = value == JsonToken.VALUE_NULL ? null : parser.readValueAsTree();
                    continue;
                }
                if (name.equals(PortableRules.FIELD)) {
                    rules = parser.readValueAsTree();
                    continue;
                }
                if (name.equals(ExportEnd.FIELD)) {
                    return null; // the export's last line, or a link that has the field: the tree reading tells them apart
                }
                int at = FIELDS.indexOf(name);
                if (at < 0) {
                    parser.skipChildren();
                } else {
                    wrongType[at] = null;
                    if (value == JsonToken.VALUE_STRING && STRINGS[at]) {
                        values[at] = parser.getText();
                    } else if (value == JsonToken.VALUE_NULL) {
                        values[at] = null;
                    } else {
                        JsonNode node = value == JsonToken.VALUE_STRING ? TextNode.valueOf(parser.getText()) : parser.readValueAsTree();
                        try {
                            values[at] = LinkReaders.typedText(name, node);
                        } catch (IllegalArgumentException e) {
                            values[at] = null;
                            wrongType[at] = e.getMessage();
                        }
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (JsonProcessingException brokenOrTrailing) {
            return null;
        }
        List<String> tagList = LinkReaders.tags(tags);
        return LinkReaders.fromGoto(number, field -> {
            int at = FIELDS.indexOf(field);
            if (wrongType[at] != null) {
                throw new IllegalArgumentException(wrongType[at]);
            }
            return values[at];
        }, tagList, PortableRules.read(rules));
    }
}
