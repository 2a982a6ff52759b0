package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.io.IOException;
import java.time.Instant;

/**
 * Where an import puts links: a stopped goto's data file ({@link FileTarget}) or a running goto's
 * batch API ({@link ApiTarget}). Outcomes go to {@link Results}, perhaps later than
 * {@link #put} (the API answers a batch at a time), always in input order per line.
 */
interface ImportTarget extends AutoCloseable {

    /**
     * Putting links into the target failed (the disk is full, the server went away): the cause
     * says why. Thrown by {@link Importer} around the target's own IOException, so that an import
     * tells a failure to write apart from a failure to read its input.
     */
    final class Failed extends IOException {
        Failed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** What became of each line. */
    interface Results {
        /** A new link was stored (its code is not needed: the summary counts, and a file's bulk path never builds it). */
        void added(long line);

        /** The link was there already: the same short code with the same long URL, or (without a code) a link to the URL. */
        void unchanged(long line, String shortCode);

        /** The short code is taken by another long URL, reserved, or was a generated code. */
        void conflict(long line, String problem);

        void invalid(long line, String problem);
    }

    /**
     * Puts one link: {@code link} under its own short code, or (when null) a link made from
     * {@code draft} under the counter's next key, created at {@code created}.
     */
    void put(long line, Link link, LinkDraft draft, Instant created) throws IOException;

    /**
     * Puts a plain link to {@code url} (in the form goto's URL rules give) under the counter's next
     * key, created at {@code created}, unless a link to it exists: {@link #put} of
     * {@link LinkDraft#of}, which is what this does by default.
     */
    default void putPlain(long line, String url, Instant created) throws IOException {
        put(line, null, LinkDraft.of(url), created);
    }

    /**
     * The links of {@code batch} are about to be {@link #put}, in order: a target may look them
     * up ahead, all at once (a file's table of URLs, whose reads then overlap). Nothing by default.
     */
    default void upcoming(Judged batch) {}

    /**
     * Moves the target's key counter to at least {@code nextCounter} (never back), the position an
     * export's {@link ExportEnd} says its goto's counter stood at; true when it did, false when
     * this target cannot move its counter (a server's API: its counter is its own). It does not
     * change which of the input's keys are refused.
     */
    boolean reserveThrough(long nextCounter) throws IOException;

    /**
     * Records the codes of links deleted where the input comes from, as that goto kept them
     * ({@link ExportEnd#releasedSlugs}, {@link ExportEnd#retiredCodes}), before its counter moves
     * ({@link #reserveThrough}); a code a link has in the target, or freed there already, is left
     * as it is. Returns how many it recorded, or -1 when this target cannot (a server's API).
     */
    default long free(java.util.List<String> released, java.util.List<String> retired) throws IOException {
        return -1;
    }

    /** The counter of the key the target hands out next, or -1 when it cannot say (a server's API). */
    default long nextCounter() {
        return -1;
    }

    /** Sends or writes what is still held and makes it durable; every outcome is reported when this returns. */
    void finish() throws IOException;

    /** Where the links go, for the summary: a file, or a URL. */
    String describe();

    @Override
    void close() throws IOException;
}
