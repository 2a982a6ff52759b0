package gotourl.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import gotourl.link.CsvCells;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code goto check} found, as a report file: CSV (RFC 4180, a header line, one link a line)
 * or JSON ({@code {"summary":{"ok":N,...},"links":[{...}]}}), links sorted by short code, each with
 * {@code shortCode, longUrl, state, status, location, checkedAt, detail}.
 */
public final class CheckReport {
    /** The report formats. */
    public enum Format { CSV, JSON }

    private final List<CheckRun.Result> results;

    public CheckReport(List<CheckRun.Result> results) {
        this.results = results.stream().sorted(Comparator.comparing(r -> r.target().shortCode())).toList();
    }

    /** How many links got each state. */
    public Map<HealthState, Integer> summary() {
        Map<HealthState, Integer> counts = new EnumMap<>(HealthState.class);
        for (HealthState state : HealthState.values()) {
            counts.put(state, 0);
        }
        for (CheckRun.Result result : results) {
            counts.merge(result.health().state(), 1, Integer::sum);
        }
        return counts;
    }

    /** How many links are broken: client or server errors, or unreachable (a site that asks to be asked later is not). */
    public int broken() {
        Map<HealthState, Integer> counts = summary();
        return counts.get(HealthState.CLIENT_ERROR) + counts.get(HealthState.SERVER_ERROR) + counts.get(HealthState.UNREACHABLE);
    }

    /** "1,150 ok, 31 redirected, 12 client errors, 3 server errors, 8 unreachable", then ", 2 to try later" when some are. */
    public String summaryLine() {
        Map<HealthState, Integer> counts = summary();
        return String.format(Locale.ROOT, "%,d ok, %,d redirected, %,d client error%s, %,d server error%s, %,d unreachable",
                counts.get(HealthState.OK), counts.get(HealthState.REDIRECTED),
                counts.get(HealthState.CLIENT_ERROR), counts.get(HealthState.CLIENT_ERROR) == 1 ? "" : "s",
                counts.get(HealthState.SERVER_ERROR), counts.get(HealthState.SERVER_ERROR) == 1 ? "" : "s",
                counts.get(HealthState.UNREACHABLE))
                + (counts.get(HealthState.TRY_LATER) == 0 ? ""
                        : String.format(Locale.ROOT, ", %,d to try later", counts.get(HealthState.TRY_LATER)));
    }

    /** Writes the report in {@code format} to {@code out} (not closed). */
    public void write(Format format, OutputStream out) throws IOException {
        if (format == Format.CSV) {
            Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            PrintWriter csv = new PrintWriter(writer);
            csv.print("shortCode,longUrl,state,status,location,checkedAt,detail\r\n");
            for (CheckRun.Result result : results) {
                LinkHealth health = result.health();
                csv.print(String.join(",", csv(result.target().shortCode()), csv(result.target().longUrl()), health.state().label(),
                        health.status() == null ? "" : health.status().toString(), csv(health.location()),
                        health.checkedAt().toString(), csv(health.detail())));
                csv.print("\r\n");
            }
            if (csv.checkError()) { // a PrintWriter keeps its errors to itself: a full disk must not pass for a report
                throw new IOException("the report could not be written in full");
            }
            return;
        }
        try (JsonGenerator json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("checked", results.size());
            for (Map.Entry<HealthState, Integer> count : summary().entrySet()) {
                json.writeNumberField(count.getKey().label(), count.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("links");
            for (CheckRun.Result result : results) {
                LinkHealth health = result.health();
                json.writeStartObject();
                json.writeStringField("shortCode", result.target().shortCode());
                json.writeStringField("longUrl", result.target().longUrl());
                json.writeStringField("state", health.state().label());
                if (health.status() == null) {
                    json.writeNullField("status");
                } else {
                    json.writeNumberField("status", health.status());
                }
                json.writeStringField("location", health.location());
                json.writeStringField("checkedAt", health.checkedAt().toString());
                json.writeStringField("detail", health.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.flush();
    }

    /**
     * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, or when it was
     * guarded against formula injection ({@link CsvCells#guard}: a location or detail comes
     * from the checked site).
     */
    static String csv(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = CsvCells.guard(value);
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0 && text.equals(value)) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
