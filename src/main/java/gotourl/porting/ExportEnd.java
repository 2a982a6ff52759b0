package gotourl.porting;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.Keys;
import gotourl.link.ShortCodes;
import gotourl.store.log.BulkImport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The last line of goto's JSON Lines export: where the exported file's key counter stood,
 * {@code {"gotoExport": {"version": 1, "nextKey": "x", "links": 3}}}. {@code nextKey} is the key
 * that file's goto would hand out next (keys a custom slug holds skipped, as its counter skips
 * them): every key before it may have been handed out, its link deleted since, and a restore
 * moves its file's counter to it, so that no such key is ever handed out again.
 * {@code links} is how many link lines precede it: an import honours the record only when exactly
 * that many lines before it were read as links, none of them torn or no JSON, and no line follows
 * it ({@link Importer#exportEnd}), so that an export with links missing in the middle never moves
 * the counter past their keys; {@code version} is the record's shape: a record of another
 * version than {@value #VERSION} is refused as a bad line (a newer goto's fields may change what
 * {@code nextKey} means), and the counter moves past the imported keys only.
 *
 * <p>Why a trailer and not a header: a header is written before the links, so an export cut short
 * (a full disk under {@code > file}, a killed pipe, a copy that stopped) would still carry it.
 * Its import would then move the counter past keys whose links never arrived, and running the
 * import again with the whole export would refuse those links as keys the file had handed out.
 * The trailer is written only after the last link, so an export that has it was written whole,
 * and one cut short carries no position at all: its import moves the counter only past the keys
 * it holds (as before), says so, and the whole export imported later still goes in. The format
 * is still recognised by its first line, a link ({@link InputFormat#detect}); an export of no
 * links is this line alone, which is recognised too.
 *
 * <p>Two more fields carry what the file keeps of its deleted links' codes, each only when it has
 * some: {@code "releasedSlugs": [...]}, deleted custom slugs shaped like a key (free to claim
 * again by a slug, and skipped by the counter: without those at or past {@code nextKey} the
 * restore's counter would hand them out as keys, and without those before it the restore would
 * refuse them to a slug as keys its counter had passed; a slug of no key's shape is free to claim
 * wherever the counter stands, and is left out), and {@code "retiredCodes": [...]},
 * deleted random codes (never given again, by anyone). A file import records them as the file's
 * compaction does ({@code CODE_FREED} records), so the restore's goto, and its next start, hand out
 * what the source would have; sorted, so that the same file exports the same bytes.
 *
 * @param nextCounter   the counter of {@code nextKey}, from 0 to {@link ShortCodes#MAX_COUNTER}
 * @param links         how many links the export lists before this line, or -1 when the record did not say
 * @param releasedSlugs the deleted custom slugs shaped like a key, sorted
 * @param retiredCodes  the deleted random codes, sorted
 */
record ExportEnd(long nextCounter, long links, List<String> releasedSlugs, List<String> retiredCodes) {
    /** The record's one field, which no link has. */
    static final String FIELD = "gotoExport";
    /** The shape written: version, nextKey, links. */
    static final int VERSION = 1;

    ExportEnd {
        if (nextCounter < 0 || nextCounter > ShortCodes.MAX_COUNTER) {
            throw new IllegalArgumentException("key counter " + nextCounter + " is outside 0.." + ShortCodes.MAX_COUNTER);
        }
        releasedSlugs = List.copyOf(releasedSlugs);
        retiredCodes = List.copyOf(retiredCodes);
    }

    /**
     * The record of a file whose counter hands out {@code nextCounter} next, after {@code links}
     * links, with what it keeps of deleted codes: its {@code released} slugs (those of a key's
     * shape kept) and {@code retired} random codes.
     */
    static ExportEnd of(long nextCounter, long links, Collection<String> released, Collection<String> retired) {
        return new ExportEnd(nextCounter, links, released.stream().filter(code -> ShortCodes.counterOf(code) >= 0).sorted().toList(),
                retired.stream().sorted().toList());
    }

    /** The key the counter hands out next: {@code nextKey}. */
    String nextKey() {
        return Keys.encode(nextCounter);
    }

    /** Writes the record as one root value; the caller ends the line. */
    void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart(FIELD);
        json.writeNumberField("version", VERSION);
        json.writeStringField("nextKey", nextKey());
        json.writeNumberField("links", links);
        writeCodes(json, "releasedSlugs", releasedSlugs);
        writeCodes(json, "retiredCodes", retiredCodes);
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void writeCodes(JsonGenerator json, String field, List<String> codes) throws IOException {
        if (!codes.isEmpty()) {
            json.writeArrayFieldStart(field);
            for (String code : codes) {
                json.writeString(code);
            }
            json.writeEndArray();
        }
    }

    /** The codes of {@code field} (absent: none); throws IllegalArgumentException for one that is no string or no such code. */
    private static List<String> readCodes(JsonNode record, String field, boolean retired) {
        JsonNode codes = record.get(field);
        if (codes == null || codes.isNull()) {
            return List.of();
        }
        if (!codes.isArray()) {
            throw new IllegalArgumentException(FIELD + "." + field + " must be an array of short codes");
        }
        List<String> read = new ArrayList<>(codes.size());
        for (JsonNode code : codes) {
            String problem = code.isTextual() ? BulkImport.freedCodeProblem(code.textValue(), retired) : "a code must be a string";
            if (problem != null) {
                throw new IllegalArgumentException(FIELD + "." + field + ": " + Dates.abbreviate(problem));
            }
            read.add(code.textValue());
        }
        return read;
    }

    /** True when {@code line} (an object) is this record rather than a link: it has {@link #FIELD} and no {@code longUrl}. */
    static boolean is(JsonNode line) {
        return line.has(FIELD) && !line.has("longUrl");
    }

    /**
     * The record {@code line} holds ({@link #is} true of it); throws IllegalArgumentException,
     * saying what is wrong, when its {@code nextKey} is missing or no key goto's counter makes.
     */
    static ExportEnd read(JsonNode line) {
        JsonNode record = line.get(FIELD);
        if (record == null || !record.isObject()) {
            throw new IllegalArgumentException(FIELD + " must be an object: {\"" + FIELD + "\": {\"version\": 1, \"nextKey\": \"...\"}}");
        }
        JsonNode version = record.get("version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != VERSION) {
            throw new IllegalArgumentException(FIELD + " version " + (version == null ? "(none)" : Dates.abbreviate(version.toString()))
                    + " is not " + VERSION + ": written by a newer goto (or by hand), which this goto cannot read; the key counter"
                    + " moved past the imported keys only");
        }
        JsonNode key = record.get("nextKey");
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException(FIELD + ".nextKey must be the key goto's counter hands out next, as a string");
        }
        long counter = Keys.decode(key.textValue());
        if (counter < 0 || counter > ShortCodes.MAX_COUNTER) {
            throw new IllegalArgumentException(FIELD + ".nextKey '" + Dates.abbreviate(key.textValue())
                    + "' is no key goto's counter makes");
        }
        JsonNode links = record.get("links");
        return new ExportEnd(counter, links != null && links.canConvertToLong() && links.asLong() >= 0 ? links.asLong() : -1,
                readCodes(record, "releasedSlugs", false), readCodes(record, "retiredCodes", true));
    }
}
