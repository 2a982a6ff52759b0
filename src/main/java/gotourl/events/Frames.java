package gotourl.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import gotourl.visits.Visit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Server-Sent Events frames (HTML Living Standard §9.2, "event stream format"): {@code event:}
 * then one {@code data:} line of JSON (JSON never holds a raw line break), then a blank line. The
 * shapes are goto's live-feed contract: {@code link} carries Shlink's {@code ShortUrl} as the REST
 * API writes it; {@code visit} carries {@code shortCode}, {@code date}, {@code potentialBot},
 * {@code referer}, {@code userAgent}, and {@code type} for an orphan visit (whose
 * {@code shortCode} is null).
 */
final class Frames {
    /** Shlink's date format, as the REST API writes dates: {@code 2026-11-30T15:40:00+00:00}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] LINK = "event: link\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VISIT = "event: visit\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private Frames() {}

    static byte[] link(byte[] shortUrlJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(LINK.length + shortUrlJson.length + 2);
        out.writeBytes(LINK);
        out.writeBytes(shortUrlJson);
        out.writeBytes(END);
        return out.toByteArray();
    }

    static byte[] visit(Visit visit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(VISIT);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (visit.shortCode() == null) {
                json.writeNullField("shortCode");
            } else {
                json.writeStringField("shortCode", visit.shortCode());
            }
            json.writeStringField("date", DATE.format(visit.date()));
            json.writeBooleanField("potentialBot", visit.potentialBot());
            json.writeStringField("referer", visit.referer());
            json.writeStringField("userAgent", visit.userAgent());
            if (visit.isOrphan()) {
                json.writeStringField("type", visit.type().shlinkName());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(END);
        return out.toByteArray();
    }

    /** A comment line, which EventSource ignores: heartbeats and notes for a human reading the stream. */
    static byte[] comment(String text) {
        return (": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
