package gotourl.porting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.link.CsvCells;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * goto's two export formats, and their writers. Both carry every field of a link, under Shlink's
 * names, with dates as Shlink writes them (UTC, {@code 2026-11-30T15:40:00+00:00}):
 * <ul>
 *   <li>JSON Lines ({@code jsonl}): one object per line, {@code {"shortCode", "longUrl",
 *       "dateCreated", "title", "tags": [...], "validSince", "validUntil", "maxVisits",
 *       "crawlable", "forwardQuery", "author", "codeOrigin", "passwordProtected", "redirectRules":
 *       [...] (only for a link that has some, in Shlink's shape: {@code {"longUrl", "conditions":
 *       [{"type", "matchKey", "matchValue"}]}}, by priority), "visitsSummary": {"total",
 *       "nonBots", "bots"}}}, absent values as null; then, as its last line, the
 *       {@link ExportEnd} record {@code {"gotoExport": {"version": 1, "nextKey", "links",
 *       "releasedSlugs": [...], "retiredCodes": [...]}}} (the two lists only when not empty): the
 *       key counter's position and the deleted codes it must not hand out, which a restore into a
 *       file carries over;</li>
 *   <li>CSV ({@code csv}, RFC 4180): a header row of {@link #CSV_COLUMNS}, then one row per link;
 *       tags as a JSON array (a tag may hold any character but a control one, a comma or a bar
 *       among them), absent values empty; a text cell that a spreadsheet would read as a formula
 *       (starting with {@code = + - @}, a tab or a carriage return) with a {@code '} before it,
 *       as {@link CsvCells} says, which goto's import takes off again. It has no column for
 *       redirect rules and no record of the key counter's position: a link's rules, and the
 *       counter, travel in JSON Lines only.</li>
 * </ul>
 * {@code codeOrigin} is {@code counter}, {@code random} or {@code slug}: an import keeps a
 * counter key a key (the counter moves past it) rather than making it a custom slug.
 */
public enum ExportFormat {
    JSONL, CSV;

    static final List<String> CSV_COLUMNS = List.of("shortCode", "longUrl", "dateCreated", "title", "tags", "validSince",
            "validUntil", "maxVisits", "crawlable", "forwardQuery", "author", "codeOrigin", "visitsTotal", "visitsNonBots",
            "visitsBots", "passwordProtected");

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder().build());

    /** Writes links one at a time, then their {@link #end}; closing flushes (and closes the stream it was given). */
    interface Writer extends AutoCloseable {
        void write(PortableLink link) throws IOException;

        /**
         * Written after the last link, once: JSON Lines ends with the {@link ExportEnd} record (the
         * key counter's position); CSV has no place for it and writes nothing.
         */
        void end(ExportEnd end) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A writer of this format onto {@code out}, in UTF-8. */
    Writer writer(OutputStream out) throws IOException {
        return switch (this) {
            case JSONL -> jsonLines(out);
            case CSV -> csv(out);
        };
    }

    static String origin(gotourl.link.Link.CodeOrigin origin) {
        return origin == null ? null : switch (origin) {
            case COUNTER -> "counter";
            case RANDOM -> "random";
            case CUSTOM_SLUG -> "slug";
        };
    }

    static gotourl.link.Link.CodeOrigin origin(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "counter" -> gotourl.link.Link.CodeOrigin.COUNTER;
            case "random" -> gotourl.link.Link.CodeOrigin.RANDOM;
            case "slug" -> gotourl.link.Link.CodeOrigin.CUSTOM_SLUG;
            default -> throw new IllegalArgumentException("codeOrigin '" + Dates.abbreviate(text) + "' is none of counter, random, slug");
        };
    }

    private static Writer jsonLines(OutputStream out) throws IOException {
        JsonGenerator json = MAPPER.createGenerator(out);
        // One object per line, the line ends written as the separator between root values.
        json.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter("\n"));
        return new Writer() {
            private boolean any;

            @Override
            public void write(PortableLink link) throws IOException {
                any = true;
                json.writeStartObject();
                json.writeStringField("shortCode", link.shortCode());
                json.writeStringField("longUrl", link.longUrl());
                json.writeStringField("dateCreated", Dates.format(link.dateCreated()));
                json.writeStringField("title", link.title());
                json.writeArrayFieldStart("tags");
                for (String tag : link.tags()) {
                    json.writeString(tag);
                }
                json.writeEndArray();
                json.writeStringField("validSince", Dates.format(link.validSince()));
                json.writeStringField("validUntil", Dates.format(link.validUntil()));
                if (link.maxVisits() == null) {
                    json.writeNullField("maxVisits");
                } else {
                    json.writeNumberField("maxVisits", link.maxVisits());
                }
                json.writeBooleanField("crawlable", Boolean.TRUE.equals(link.crawlable()));
                json.writeBooleanField("forwardQuery", !Boolean.FALSE.equals(link.forwardQuery()));
                json.writeStringField("author", link.author());
                json.writeStringField("codeOrigin", origin(link.origin()));
                json.writeBooleanField("passwordProtected", link.passwordProtected());
                if (!link.redirectRules().isEmpty()) {
                    PortableRules.write(json, link.redirectRules());
                }
                json.writeObjectFieldStart("visitsSummary");
                json.writeNumberField("total", link.visits() == null ? 0 : link.visits().total());
                json.writeNumberField("nonBots", link.visits() == null ? 0 : link.visits().nonBots());
                json.writeNumberField("bots", link.visits() == null ? 0 : link.visits().bots());
                json.writeEndObject();
                json.writeEndObject();
            }

            @Override
            public void end(ExportEnd end) throws IOException {
                any = true;
                end.write(json);
            }

            @Override
            public void close() throws IOException {
                if (any) {
                    json.writeRaw('\n');
                }
                json.close();
            }
        };
    }

    private static Writer csv(OutputStream out) throws IOException {
        java.io.Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get().print(text);
        return new Writer() {
            @Override
            public void write(PortableLink link) throws IOException {
                // Text a link's creator chose is guarded against formula injection (CsvCells); the
                // other cells are dates, numbers, booleans, fixed words and a JSON array ('[').
                printer.printRecord(CsvCells.guard(link.shortCode()), CsvCells.guard(link.longUrl()),
                        Dates.format(link.dateCreated()), CsvCells.guard(link.title()),
                        link.tags().isEmpty() ? "" : MAPPER.writeValueAsString(link.tags()), Dates.format(link.validSince()),
                        Dates.format(link.validUntil()), link.maxVisits(), Boolean.TRUE.equals(link.crawlable()),
                        !Boolean.FALSE.equals(link.forwardQuery()), CsvCells.guard(link.author()), origin(link.origin()),
                        link.visits() == null ? 0 : link.visits().total(), link.visits() == null ? 0 : link.visits().nonBots(),
                        link.visits() == null ? 0 : link.visits().bots(), link.passwordProtected());
            }

            @Override
            public void end(ExportEnd end) {
                // A row of its own would be read as a link by every other tool (and by spreadsheets
                // as data): CSV carries no counter position, as the README says.
            }

            @Override
            public void close() throws IOException {
                printer.close(true);
            }
        };
    }

    /** As written on the command line: {@code jsonl} or {@code csv}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
