package gotourl.porting;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What {@code goto import} reads, recognised from the content (never the file name): the first
 * bytes of the input decide, as {@link #detect} says.
 */
public enum InputFormat {
    GOTO_JSONL("goto's JSON Lines export"),
    GOTO_CSV("goto's CSV export"),
    YOURLS_CSV("a YOURLS CSV export"),
    YOURLS_SQL("a YOURLS yourls_url table dump (SQL)"),
    SHLINK_CSV("a Shlink CSV export"),
    KUTT_JSON("a Kutt link list (JSON)"),
    BITLY_CSV("a Bitly CSV export"),
    PLAIN("a plain list of URLs");

    /** How much of the input {@link #detect} looks at. */
    static final int HEAD_CHARS = 64 * 1024;
    private static final Pattern SQL = Pattern.compile("(?is)^\\s*(--|/\\*|#|CREATE\\s+TABLE|INSERT\\s+INTO|SET\\s|DROP\\s|LOCK\\s)");
    private static final Pattern URL_TABLE_INSERT = Pattern.compile("(?is)INSERT\\s+INTO\\s+[`\"]?\\w*url[`\"]?\\s*[(V]");

    private final String description;

    InputFormat(String description) {
        this.description = description;
    }

    /** Says which format, in words: "a YOURLS CSV export". */
    public String description() {
        return description;
    }

    /**
     * The format of an input that starts with {@code head}: a JSON array or an object with a
     * {@code data} array is Kutt's; other objects, one per line, are goto's JSON Lines (an export
     * of no links is its {@link ExportEnd} record alone, which is such an object too); SQL with
     * an {@code INSERT INTO} a {@code ..._url} table is a YOURLS dump; a CSV header row names the
     * CSV exports by their columns; anything else is a plain list of URLs.
     */
    static InputFormat detect(String head) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("[")) {
            return KUTT_JSON;
        }
        if (trimmed.startsWith("{")) {
            int end = trimmed.indexOf('\n');
            String first = end < 0 ? trimmed : trimmed.substring(0, end);
            return first.contains("\"longUrl\"") || !(first.contains("\"data\"") || first.contains("\"target\"")
                    || first.strip().equals("{")) ? GOTO_JSONL : KUTT_JSON;
        }
        if (SQL.matcher(trimmed).find() && URL_TABLE_INSERT.matcher(text).find()) {
            return YOURLS_SQL;
        }
        Set<String> columns = headerColumns(trimmed);
        if (columns.containsAll(List.of("shortcode", "longurl", "datecreated", "forwardquery"))) {
            return GOTO_CSV;
        }
        if (columns.containsAll(List.of("keyword", "url")) || columns.containsAll(List.of("source", "target"))) {
            return YOURLS_CSV;
        }
        if ((columns.contains("shortcode") || columns.contains("shorturl")) && columns.contains("longurl")
                && columns.contains("createdat")) {
            return SHLINK_CSV;
        }
        if ((columns.contains("bitlink") || columns.contains("link") || columns.contains("shortlink")) && columns.contains("longurl")) {
            return BITLY_CSV;
        }
        return PLAIN;
    }

    /**
     * The columns of a CSV header row that {@link #detect} did not recognise, or null when
     * {@code head} does not start with one. An input read as a {@link #PLAIN} list whose first
     * line has two or more comma-separated fields and no URL in it ({@code Long URL,Short code})
     * is another tool's CSV: read as a plain list, each row after it would become one long URL
     * with the other columns glued on ({@code https://example.com/,abc,2024-01-02}), which goto's
     * URL rules accept (a comma is valid in a URL). The caller refuses such an input whole.
     *
     * @return the header's fields as written, in order (e.g. {@code [Long URL, Short code]})
     */
    static List<String> unknownCsvHeader(String head) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        String trimmed = text.stripLeading();
        int end = trimmed.indexOf('\n');
        String first = (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
        if (!first.contains(",") || first.contains("://")) {
            return null;
        }
        try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(first))) {
            for (CSVRecord record : parser) {
                List<String> fields = record.toList().stream().map(String::strip).toList();
                return fields.size() >= 2 ? fields : null;
            }
            return null;
        } catch (IOException | RuntimeException notCsv) {
            return null;
        }
    }

    /**
     * The separator of a first line that is a header of fields separated by {@code ;} or a tab
     * instead of commas ({@code keyword;url;title}, as spreadsheets in many locales save "CSV"),
     * or 0: a line without a comma and without a URL, splitting into two or more names. Read as
     * a {@link #PLAIN} list, every row after it would be refused as a URL that is not absolute;
     * the caller refuses the input whole, saying what to save it as.
     */
    static char foreignSeparator(String head) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        String trimmed = text.stripLeading();
        int end = trimmed.indexOf('\n');
        String first = (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
        if (first.contains(",") || first.contains("://")) {
            return 0;
        }
        for (char separator : new char[] {';', '\t'}) {
            if (first.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1).length >= 2
                    && java.util.Arrays.stream(first.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1))
                            .noneMatch(String::isBlank)) {
                return separator;
            }
        }
        return 0;
    }

    /** The normalized names of the first row read as CSV (lower case, letters and digits only), or none. */
    private static Set<String> headerColumns(String text) {
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        if (!first.contains(",")) {
            return Set.of();
        }
        try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(first))) {
            Set<String> names = new HashSet<>();
            for (CSVRecord record : parser) {
                for (String value : record) {
                    names.add(column(value));
                }
                break;
            }
            return names;
        } catch (IOException | RuntimeException notCsv) {
            return Set.of();
        }
    }

    /** A column name as matched: "Long URL", "long_url" and "longUrl" are all {@code longurl}. */
    static String column(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
