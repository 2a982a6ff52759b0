package gotourl.store.log;

import gotourl.link.Link;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A data file's records as lines of text, read with the store's own reader and record parsers
 * (salvaging: a damaged range is a line too, not the end), for tests that keep a failure's
 * evidence. Read-only: a torn tail is described, not truncated.
 *
 * <pre>java gotourl.store.log.LogDump FILE [CODE]</pre>
 */
final class LogDump {
    private LogDump() {}

    /** One line per record ({@code OFFSET TYPE what}), and the file's size and where its valid records end. */
    static List<String> records(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            LogReader reader = new LogReader(channel, file, (from, to, problem) -> lines.add(from + " DAMAGED up to " + to + ": " + problem));
            while (reader.next()) {
                lines.add(reader.recordOffset() + " " + describe(LinkRecords.Body.of(reader)));
            }
            lines.add("END valid records end at " + reader.validEnd() + " of " + reader.fileSize() + " bytes"
                    + (reader.validEnd() < reader.fileSize() ? " (a torn tail of " + (reader.fileSize() - reader.validEnd()) + ")" : ""));
        }
        return lines;
    }

    /** The records that name {@code code}, each with {@code around} records either side, and the summary line. */
    static List<String> around(List<String> records, String code, int around) {
        List<String> out = new ArrayList<>();
        int shownUpTo = -1;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).contains(" " + code + " ") || records.get(i).endsWith(" " + code)) {
                int from = Math.max(shownUpTo + 1, i - around);
                if (from > shownUpTo + 1 && shownUpTo >= 0) {
                    out.add("...");
                }
                for (int j = from; j <= Math.min(records.size() - 1, i + around); j++) {
                    out.add(records.get(j));
                    shownUpTo = j;
                }
            }
        }
        if (out.isEmpty()) {
            out.add("(no record names " + code + ")");
        }
        if (shownUpTo < records.size() - 1) {
            out.add(records.getLast());
        }
        return out;
    }

    private static String describe(LinkRecords.Body body) {
        try {
            return switch (body.type()) {
                case LogFormat.LINK -> {
                    Replay.LinkRecord link = Replay.LinkRecord.at(body);
                    yield "LINK " + new String(body.bytes(), link.keyOffset(), link.keyLength(), StandardCharsets.ISO_8859_1) + " "
                            + new String(body.bytes(), link.urlOffset(), link.urlLength(), StandardCharsets.ISO_8859_1);
                }
                case LogFormat.KEY_RESERVATION -> "RESERVATION through " + Replay.reservedThrough(body);
                case LogFormat.LINK_FIELDS, LogFormat.EDIT -> {
                    Link link = LinkRecords.readFields(body).link();
                    yield (body.type() == LogFormat.EDIT ? "EDIT " : "LINK_FIELDS ") + link.shortCode() + " " + link.longUrl() + " "
                            + (link.title() == null ? "-" : link.title())
                            + (link.passwordHash() == null ? "" : " password " + link.passwordHash());
                }
                case LogFormat.DELETE -> "DELETE " + LinkRecords.readDelete(body);
                case LogFormat.CODE_FREED -> {
                    LinkRecords.Freed freed = LinkRecords.readFreed(body);
                    yield "FREED " + freed.code() + (freed.retired() ? " retired" : " released");
                }
                case LogFormat.BATCH -> "BATCH of " + LogReader.intAt(body.bytes(), body.offset() + 1);
                default -> "TYPE " + (body.type() & 0xFF) + " (" + body.length() + " bytes)";
            };
        } catch (LogFormatException e) {
            return "UNREADABLE " + e.getMessage();
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> records = records(Path.of(args[0]));
        for (String line : args.length > 1 ? around(records, args[1], 8) : records) {
            System.out.println(line);
        }
    }
}
