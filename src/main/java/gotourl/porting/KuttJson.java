package gotourl.porting;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Kutt's links as its API lists them ({@code GET /api/v2/links}: {@code {"total", "limit",
 * "skip", "data": [link...]}}), or a bare array of such links. A link's fields are Kutt's
 * ({@code server/utils/utils.js}, {@code sanitize.link}): {@code address} (the short code),
 * {@code target}, {@code description} (kept as the title), {@code created_at}, {@code expire_in}
 * (kept as validUntil), {@code visit_count}, {@code password}. Kutt's dates are ISO-8601 from its
 * API, or SQLite's {@code YYYY-MM-DD HH:MM:SS} in UTC from its database.
 */
final class KuttJson {
    private KuttJson() {}

    static void read(Reader in, LinkReaders.Sink sink) throws IOException {
        try (JsonParser json = ExportFormat.MAPPER.createParser(in)) {
            JsonToken token = json.nextToken();
            if (token == JsonToken.START_OBJECT) {
                while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    token = json.nextToken();
                    if (field.equals("data") && token == JsonToken.START_ARRAY) {
                        links(json, sink);
                    } else {
                        json.skipChildren();
                    }
                }
            } else if (token == JsonToken.START_ARRAY) {
                links(json, sink);
            } else {
                sink.invalid(1, "not a Kutt link list: expected {\"data\": [...]} or an array of links");
            }
        }
    }

    private static void links(JsonParser json, LinkReaders.Sink sink) throws IOException {
        while (json.nextToken() == JsonToken.START_OBJECT) {
            long line = json.currentTokenLocation().getLineNr();
            JsonNode link = json.readValueAsTree();
            try {
                sink.link(new PortableLink(line, LinkReaders.blankToNull(text(link, "address")), text(link, "target"),
                        Dates.parse("created_at", dateText(link, "created_at")), text(link, "description"), List.of(), null,
                        Dates.parse("expire_in", dateText(link, "expire_in")), null, null, null, null, null, null,
                        link.path("password").asBoolean(false) || link.path("password").isTextual() && !link.path("password").asText().isEmpty()));
            } catch (IllegalArgumentException e) {
                sink.invalid(line, e.getMessage());
            }
        }
    }

    /**
     * A date field of a Kutt link as text for {@link Dates#parse}: a string, or a number as
     * goto's own JSON takes one ({@link LinkReaders#numberText}: Unix seconds from 9 digits on);
     * any other JSON type is refused naming the field and its type.
     */
    private static String dateText(JsonNode link, String field) {
        JsonNode node = link.get(field);
        if (node != null && node.isNumber()) {
            return LinkReaders.numberText(node);
        }
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string or a number, not " + LinkReaders.kind(node));
        }
        return text(link, field);
    }

    /** A text field of a Kutt link, null for null or absent; any other JSON type is refused naming the field and its type. */
    private static String text(JsonNode link, String field) {
        JsonNode node = link.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, not " + LinkReaders.kind(node));
        }
        return node.textValue();
    }
}
