package gotourl.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.ShortUrlBase;
import gotourl.link.Link;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Jackson for the REST API: one shared {@link ObjectMapper} (thread-safe once configured), and the
 * writing of Shlink's shapes ({@code ShortUrl}, {@code VisitsSummary}, dates) with a streaming
 * generator, in Shlink's member order.
 */
final class Json {
    /**
     * Shlink's date format, PHP's {@code Y-m-d\TH:i:sP} (ISO-8601 to the second with an offset,
     * never {@code Z}): goto answers in UTC, {@code 2026-11-30T15:40:00+00:00}.
     */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** Nesting deeper than this is no link: refused before it costs stack. */
    private static final int MAX_NESTING = 16;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build());

    private Json() {}

    /**
     * {@code instant} as {@link #DATE} writes it, or null. Written by hand for the years 0 to 9999
     * (every date a link has in practice): the formatter cost a REST create as much as writing
     * the rest of its JSON. Other years go through the formatter.
     */
    static String date(Instant instant) {
        if (instant == null) {
            return null;
        }
        java.time.LocalDateTime time = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = time.getYear();
        if (year < 0 || year > 9999) {
            return DATE.format(instant);
        }
        byte[] text = new byte[25];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        System.arraycopy(UTC_OFFSET, 0, text, 19, UTC_OFFSET.length);
        return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static final byte[] UTC_OFFSET = "+00:00".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** A JSON document written by {@code body} into bytes. */
    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** As {@link #shortUrl(JsonGenerator, Link, ShortUrlBase, ApiVisits, ApiHealth)}, with no health known. */
    static void shortUrl(JsonGenerator json, Link link, ShortUrlBase base, ApiVisits visits) throws IOException {
        shortUrl(json, link, base, visits, ApiHealth.NONE);
    }

    /**
     * A link as Shlink's v3 {@code ShortUrl}, with {@code shortUrl} built from {@code -host}, and
     * goto's {@code health} (the last link check, or null) after Shlink's fields.
     */
    static void shortUrl(JsonGenerator json, Link link, ShortUrlBase base, ApiVisits visits, ApiHealth health) throws IOException {
        json.writeStartObject();
        json.writeStringField("shortCode", link.shortCode());
        json.writeStringField("shortUrl", base.shortUrl(link.shortCode()));
        json.writeStringField("longUrl", link.longUrl());
        json.writeStringField("dateCreated", date(link.dateCreated()));
        json.writeFieldName("visitsSummary");
        gotourl.visits.VisitsSummary summary = visits.summary(link);
        visitsSummary(json, summary.total(), summary.nonBots());
        json.writeNumberField("visitsCount", summary.total()); // Shlink v3's, deprecated there, for older clients
        json.writeArrayFieldStart("tags");
        for (String tag : link.tags()) {
            json.writeString(tag);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("meta");
        nullableString(json, "validSince", date(link.validSince()));
        nullableString(json, "validUntil", date(link.validUntil()));
        if (link.maxVisits() == null) {
            json.writeNullField("maxVisits");
        } else {
            json.writeNumberField("maxVisits", link.maxVisits());
        }
        json.writeEndObject();
        json.writeNullField("domain"); // the default domain, as Shlink says it
        nullableString(json, "title", link.title());
        json.writeBooleanField("crawlable", link.crawlable());
        json.writeBooleanField("forwardQuery", link.forwardQuery());
        json.writeBooleanField("hasRedirectRules", link.hasRedirectRules());
        json.writeBooleanField("passwordProtected", link.passwordProtected()); // the password itself is write-only
        ApiHealth.Health checked = health.of(link);
        if (checked == null) {
            json.writeNullField("health");
        } else {
            json.writeObjectFieldStart("health");
            json.writeStringField("state", checked.state());
            if (checked.status() == null) {
                json.writeNullField("status");
            } else {
                json.writeNumberField("status", checked.status());
            }
            nullableString(json, "location", checked.location());
            json.writeStringField("checkedAt", date(checked.checkedAt()));
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** Shlink's {@code VisitsSummary}: {@code {total, nonBots, bots}}. */
    static void visitsSummary(JsonGenerator json, long total, long nonBots) throws IOException {
        json.writeStartObject();
        json.writeNumberField("total", total);
        json.writeNumberField("nonBots", nonBots);
        json.writeNumberField("bots", total - nonBots);
        json.writeEndObject();
    }

    /** Shlink's {@code pagination} object. */
    static void pagination(JsonGenerator json, long currentPage, int itemsPerPage, int itemsInCurrentPage, long totalItems)
            throws IOException {
        json.writeObjectFieldStart("pagination");
        json.writeNumberField("currentPage", currentPage);
        // As Pagerfanta, which Shlink pages with: at least one page, even an empty one.
        long pages = itemsPerPage <= 0 ? 1 : Math.max(1, (totalItems + itemsPerPage - 1) / itemsPerPage);
        json.writeNumberField("pagesCount", pages);
        // "All" (-1) answers as many as there are, and at least 1, as Shlink's Paginator::getMaxPerPage.
        json.writeNumberField("itemsPerPage", itemsPerPage < 0 ? Math.max(1, totalItems) : itemsPerPage);
        json.writeNumberField("itemsInCurrentPage", itemsInCurrentPage);
        json.writeNumberField("totalItems", totalItems);
        json.writeEndObject();
    }

    private static void nullableString(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }
}
