package gotourl.porting;

import java.util.Arrays;

/**
 * A batch of an import's judged links, in input order: for each, the line it starts on and what
 * goto's rules made of it, either a bare URL they accept (a {@code String}: a plain link to it
 * under the counter's next key, created at the time of the import, unless a link to it exists) or
 * an {@link Importer.Judgement} (any other link, or why its line is skipped); or, on the last line
 * of goto's JSON Lines export, its {@link ExportEnd} record.
 *
 * <p>Why a String rather than a judgement for the common case: a plain list of a million URLs
 * made a link read, a draft and a judgement per line on the judging threads, only for the
 * appending thread to take each apart again; held flat, a line costs its URL.
 */
final class Judged {
    private long[] lines;
    private Object[] outcomes;
    private int size;

    Judged(int capacity) {
        lines = new long[capacity];
        outcomes = new Object[capacity];
    }

    /** Adds a bare URL accepted on {@code line} (in the form the URL rules give, its hash computed). */
    void plain(long line, String url) {
        add(line, url);
    }

    void add(Importer.Judgement judgement) {
        add(judgement.line(), judgement);
    }

    /** Adds the export's end record read on {@code line}: no link, the source's key counter position. */
    void end(long line, ExportEnd end) {
        add(line, end);
    }

    private void add(long line, Object outcome) {
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, Math.max(16, size * 2));
            outcomes = Arrays.copyOf(outcomes, lines.length);
        }
        lines[size] = line;
        outcomes[size++] = outcome;
    }

    int size() {
        return size;
    }

    long line(int index) {
        return lines[index];
    }

    /** The accepted bare URL at {@code index}, or null when that link is a {@link #judgement}. */
    String plainUrl(int index) {
        return outcomes[index] instanceof String url ? url : null;
    }

    /** The export's end record at {@code index}, or null when it is a link. */
    ExportEnd exportEnd(int index) {
        return outcomes[index] instanceof ExportEnd end ? end : null;
    }

    /** The judgement at {@code index}, or null when that link is a {@link #plainUrl} or an {@link #exportEnd}. */
    Importer.Judgement judgement(int index) {
        return outcomes[index] instanceof Importer.Judgement judgement ? judgement : null;
    }
}
