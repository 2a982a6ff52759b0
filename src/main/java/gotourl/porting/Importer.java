package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrlRules;
import gotourl.link.LongUrls;
import gotourl.link.ShortCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Judges each link read by goto's rules, the ones {@code /add} and the REST API apply (the long
 * URL by {@link LongUrlRules}, with its messages; the slug by {@link ShortCodes#slugProblem}; the
 * title, tags, dates and limit as {@link LinkDraft} checks them), hands the good ones to the
 * target, and counts and reports what became of every line. A title is one line of text: line
 * breaks and tabs in a foreign title become spaces, and a title past {@value LinkDraft#MAX_TITLE_CHARS}
 * characters is cut there, as Shlink keeps the first 512.
 */
final class Importer implements LinkReaders.Sink, ImportTarget.Results {
    /** Lines reported one by one; past this, only counted (the summary says how many). */
    static final int MAX_REPORTED_LINES = 100;
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("[\\p{Cntrl}\\s]+");

    private final LongUrlRules rules;
    private final InputFormat format;
    private final PrintStream err;
    private final Instant now;
    private ImportTarget target;

    long added;
    long unchanged;
    long conflicts;
    long invalid;
    private long reported;
    /** A counter move past the imported keys is warned of past this many keys, and past {@link #LARGE_JUMP_RATIO} times them. */
    static final long LARGE_JUMP_KEYS = 1_000_000;
    static final long LARGE_JUMP_RATIO = 10;

    /** Lines before the end record read as links, whatever became of them (skipped for their content included). */
    private long linkLines;
    /** Lines that could not be read at all (torn, not JSON): an end record after them is not trusted. */
    private long unreadableLines;
    /** True once any end record was met, trusted or not. */
    private boolean endSeen;
    /** The end record met on {@link #pendingLine}, trusted so far: honoured at {@link #endOfInput} unless a line follows it. */
    private ExportEnd pending;
    private long pendingLine;
    /** The end record the target's counter moved to (or stood past already), or null. */
    private ExportEnd honoured;
    /** The target's next key's counter before and after it moved to {@link #honoured}. */
    private long counterBefore = -1;
    private long counterAfter = -1;

    Importer(LongUrlRules rules, InputFormat format, PrintStream err, Instant now) {
        this.rules = rules;
        this.format = format;
        this.err = err;
        this.now = now;
    }

    void target(ImportTarget newTarget) {
        this.target = newTarget;
    }

    /**
     * What goto's rules make of one link read: the link to put (under its own code, or from a
     * draft under the counter's next key), or why its line is skipped.
     *
     * @param line    the input line the link starts on
     * @param kept    the link to keep under its own short code, or null to create one from {@code draft}
     * @param draft   the checked draft (set whenever {@code problem} is null)
     * @param created when the link was created (the input's date, or the time of the import)
     * @param problem why the line is skipped, or null when it is not
     * @param unreadable true when the line could not be read at all (torn, or not JSON), not for its content
     */
    record Judgement(long line, Link kept, LinkDraft draft, Instant created, String problem, boolean unreadable) {
        static Judgement invalid(long line, String problem) {
            return new Judgement(line, null, null, null, problem, false);
        }

        /** A line that could not be read at all ({@link LinkReaders.Sink#unreadable}). */
        static Judgement unreadable(long line, String problem) {
            return new Judgement(line, null, null, null, problem, true);
        }
    }

    /** Judges and puts {@code link}, on the importing thread: {@link #apply}({@link #judge}). */
    @Override
    public void link(PortableLink link) throws IOException {
        apply(judge(link));
    }

    /**
     * Judges {@code link} by goto's rules without touching the target or the counts: safe on any
     * thread, so that an import can judge lines on several while one puts them in input order.
     */
    Judgement judge(PortableLink link) {
        String code = link.shortCode();
        LongUrlRules.Verdict verdict = link.longUrl() == null ? null : rules.check(link.longUrl());
        if (verdict == null) {
            return Judgement.invalid(link.line(), "no long URL");
        }
        if (!verdict.accepted()) {
            return Judgement.invalid(link.line(), format == InputFormat.PLAIN && code != null
                    ? "read as 'SLUG URL' with the slug '" + code + "': " + verdict.problem() : verdict.problem());
        }
        if (link.passwordProtected()) {
            // No export carries the password (goto keeps only its hash): imported, the link would be open to everyone.
            return Judgement.invalid(link.line(), "the link" + (code == null ? "" : " '" + code + "'") + " is password-protected,"
                    + " and no export carries its password; create it again with one (POST /rest/v3/short-urls with \"password\")");
        }
        Instant created = link.dateCreated() != null ? link.dateCreated() : now;
        Link.CodeOrigin origin = originOf(code, link.origin());
        LinkDraft draft;
        try {
            // One construction checks every field once; each with...() call would check them all again.
            draft = new LinkDraft(verdict.url(), code != null && origin == Link.CodeOrigin.CUSTOM_SLUG ? code : null, null,
                    title(link.title()), gotourl.link.Tags.normalize(link.tags()), link.validSince(), link.validUntil(), link.maxVisits(),
                    Boolean.TRUE.equals(link.crawlable()), !Boolean.FALSE.equals(link.forwardQuery()), link.author(), false);
        } catch (IllegalArgumentException e) {
            return Judgement.invalid(link.line(), e.getMessage());
        }
        // The URL's hash, computed here on a judge and cached in the String: the file's idempotency
        // check and its index of long URLs need it on the one thread that appends.
        draft.longUrl().hashCode();
        Link kept = code == null ? null : origin == Link.CodeOrigin.CUSTOM_SLUG ? draft.toLink(code, created)
                : new Link(code, draft.longUrl(), created, draft.title(), draft.tags(), draft.validSince(), draft.validUntil(),
                        draft.maxVisits(), draft.crawlable(), draft.forwardQuery(), draft.author(), origin);
        if (!link.redirectRules().isEmpty()) {
            if (kept == null) {
                return Judgement.invalid(link.line(), "a link with redirect rules needs its shortCode, which the rules belong to");
            }
            try {
                kept = kept.withRedirectRules(PortableRules.checked(link.redirectRules(), rules));
            } catch (IllegalArgumentException e) {
                return Judgement.invalid(link.line(), e.getMessage());
            }
        }
        return new Judgement(link.line(), kept, draft, created, null, false);
    }

    /**
     * Line {@code line} of a plain list judged at once when it is a bare URL goto's rules accept:
     * that URL in their form (its hash computed), a plain link to which {@link #judge} of the
     * line's {@link PortableLink} would make. Null for any other line (blank, {@code SLUG URL},
     * whitespace or a character past ASCII in it, or a URL refused), which the caller reads as
     * {@link LinkReaders#plainLine} does, so that a refusal is reported in its words.
     * Safe on any thread.
     */
    String plainUrl(String line) {
        if (format != InputFormat.PLAIN || line.isEmpty()) {
            return null;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c >= 0x7F) { // no whitespace (nothing to strip, no slug) and nothing to percent-encode
                return null;
            }
        }
        LongUrlRules.Verdict verdict = rules.check(line);
        if (!verdict.accepted()) {
            return null;
        }
        String url = verdict.url();
        // The draft's own check, as judge() makes it. A URL the rules left as it was is the line,
        // already found printable ASCII above and at most LongUrlRules.MAX_URL_CHARS long (below
        // LongUrls.MAX_CHARS): equals() compares it at array speed where the check reads it a char at a time.
        if (!url.equals(line) && LongUrls.problem(url) != null) {
            return null;
        }
        url.hashCode(); // for the appending thread, as judge() does
        return url;
    }

    /** Tells the target which links come next (see {@link ImportTarget#upcoming}); on the importing thread. */
    void upcoming(Judged batch) {
        target.upcoming(batch);
    }

    /**
     * Puts the link at {@code index} of {@code batch} into the target, or counts and reports its
     * line as invalid; on the importing thread, in input order.
     */
    void apply(Judged batch, int index) throws IOException {
        ExportEnd end = batch.exportEnd(index);
        if (end != null) {
            exportEnd(batch.line(index), end);
            return;
        }
        String url = batch.plainUrl(index);
        if (url != null) {
            followsEnd(batch.line(index));
            linkLines++;
            try {
                target.putPlain(batch.line(index), url, now);
            } catch (IOException e) {
                throw failed(e);
            }
        } else {
            apply(batch.judgement(index));
        }
    }

    /** Puts a judged link into the target, or counts and reports its line as invalid; on the importing thread, in input order. */
    void apply(Judgement judgement) throws IOException {
        followsEnd(judgement.line());
        if (judgement.unreadable()) {
            unreadableLines++;
        } else if (judgement.problem() != null && judgement.problem().startsWith(ExportEnd.FIELD)) {
            endSeen = true; // an end record refused (ExportEnd#read): the line says why
        } else {
            linkLines++;
        }
        if (judgement.problem() != null) {
            invalid(judgement.line(), judgement.problem());
        } else {
            try {
                target.put(judgement.line(), judgement.kept(), judgement.draft(), judgement.created());
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    /**
     * An export's end record, met on the importing thread in input order, after every line
     * before it. It is trusted only when the file it closes is whole: every line before it was
     * read as a link (one skipped for its content, a taken slug or a refused URL, still counts;
     * a torn line or one that is no JSON does not), their number is its {@code links}, and no
     * line follows it. An export cut short and then finished with a valid end record (a disk
     * that filled and freed under {@code > file}) fails these: moving the counter to its
     * position would refuse the missing links' keys, as handed out, when the whole export comes.
     * An untrusted record is ignored with one line on stderr; the counter then moves past the
     * imported keys only. A trusted one is honoured at {@link #endOfInput}.
     */
    @Override
    public void exportEnd(long line, ExportEnd end) {
        followsEnd(line);
        endSeen = true;
        String problem = null;
        if (unreadableLines > 0) {
            problem = plural(unreadableLines, "line") + " before it could not be read (torn, or not JSON), so links may be missing";
        } else if (end.links() < 0) {
            problem = "it does not say how many links precede it (\"links\")";
        } else if (end.links() != linkLines) {
            problem = "it says " + plural(end.links(), "link") + " precede it, and the lines before it hold " + linkLines + ", so links are missing or added";
        }
        if (problem != null) {
            ignored(line, problem);
        } else {
            pending = end;
            pendingLine = line;
        }
    }

    /** A line ({@code line}) was met: an end record before it was not the input's last line, and is ignored. */
    private void followsEnd(long line) {
        if (pending != null) {
            pending = null;
            ignored(pendingLine, "it is not the export's last line (line " + line + " follows it)");
        }
    }

    private void ignored(long line, String why) {
        err.println("line " + line + ": the export's end record is ignored: " + why + "; the key counter moved past the"
                + " imported keys only, so a key handed out and deleted before the export may be handed out again");
    }

    /**
     * The input ended (read whole, not stopped): moves the target's key counter to the position of
     * a trusted end record ({@link #exportEnd}), never back. A target that cannot (an import
     * through the API) is told of once, on stderr; the import goes on.
     */
    void endOfInput() throws IOException {
        ExportEnd end = pending;
        pending = null;
        if (end == null) {
            return;
        }
        boolean moved;
        try {
            long before = target.nextCounter();
            target.free(end.releasedSlugs(), end.retiredCodes()); // before the counter moves, as the source's deletes came before its nextKey
            moved = target.reserveThrough(end.nextCounter());
            if (moved) {
                counterBefore = before;
                counterAfter = target.nextCounter();
                honoured = end;
                warnIfFar();
            }
        } catch (IOException e) {
            throw failed(e);
        }
        if (!moved) {
            err.println("line " + pendingLine + ": the export's key counter position (next key '" + end.nextKey() + "') is not carried:"
                    + " an import through the API cannot move a server's counter, so keys deleted before the export may be"
                    + " handed out there again; import into the stopped goto's data file (-file) to carry it");
        }
    }

    /**
     * Says on stderr when the counter moved far past the imported keys: a hand-edited
     * {@code nextKey} (a typo, a key of the wrong length) would otherwise silently spend keys, and
     * at the counter's end leave a file that refuses every link without a custom slug.
     */
    private void warnIfFar() {
        long jump = counterAfter - counterBefore;
        if (jump <= Math.max(LARGE_JUMP_KEYS, LARGE_JUMP_RATIO * counterBefore)) {
            return;
        }
        boolean atEnd = counterAfter >= ShortCodes.MAX_COUNTER;
        err.println("goto import: warning: the export's nextKey '" + honoured.nextKey() + "' moved the key counter "
                + String.format("%,d", jump) + " keys past the highest imported key, far more than the " + keys(counterBefore)
                + " up to it; if nextKey was edited by hand, check it: the counter never moves back (import into a new file"
                + " to undo it)" + (atEnd ? ". The counter is now at its last key: links without a custom slug are refused, and slugs shaped like a key (up to 7 letters and digits) with them"
                : "; " + keys(ShortCodes.MAX_COUNTER - counterAfter) + " left"));
    }

    /** {@code n} keys in words: "1 key", "1,000 keys". */
    private static String keys(long n) {
        return String.format("%,d", n) + (n == 1 ? " key" : " keys");
    }

    /** True when the input had an end record, trusted or not: the summary need not say it had none. */
    boolean endSeen() {
        return endSeen;
    }

    /**
     * What the summary says of the key counter: where it moved to (from where, and how far), or
     * that it stood at the export's position or past it already; null when no end record was honoured.
     */
    String counterSummary() {
        if (honoured == null) {
            return null;
        }
        if (counterAfter > counterBefore) {
            return "key counter moved from '" + gotourl.link.Keys.encode(counterBefore) + "' to '" + gotourl.link.Keys.encode(counterAfter)
                    + "': " + String.format("%,d", counterAfter - counterBefore) + " key" + (counterAfter - counterBefore == 1 ? "" : "s")
                    + " past the highest imported key";
        }
        return "key counter at '" + honoured.nextKey() + "' or past it, as in the export";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** {@code e}, thrown by the target, as {@link ImportTarget.Failed}; an interruption (Ctrl-C) stays as it is. */
    private static IOException failed(IOException e) {
        return e instanceof java.io.InterruptedIOException || e instanceof ImportTarget.Failed ? e : new ImportTarget.Failed(e);
    }

    /**
     * How the code was made, as goto's own exports say; a code of another shape than that origin
     * gives (or from another shortener) is a custom slug.
     */
    private static Link.CodeOrigin originOf(String code, Link.CodeOrigin said) {
        if (code == null || said == null || said == Link.CodeOrigin.CUSTOM_SLUG) {
            return Link.CodeOrigin.CUSTOM_SLUG;
        }
        boolean fits = said == Link.CodeOrigin.COUNTER ? ShortCodes.counterOf(code) >= 0
                : code.length() >= ShortCodes.MIN_RANDOM_LENGTH && code.length() <= ShortCodes.MAX_RANDOM_LENGTH
                        && code.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
        return fits ? said : Link.CodeOrigin.CUSTOM_SLUG;
    }

    static String title(String title) {
        if (title == null) {
            return null;
        }
        String oneLine = LINE_BREAKS.matcher(title).replaceAll(" ").strip();
        if (oneLine.codePointCount(0, oneLine.length()) > LinkDraft.MAX_TITLE_CHARS) {
            oneLine = oneLine.substring(0, oneLine.offsetByCodePoints(0, LinkDraft.MAX_TITLE_CHARS));
        }
        return oneLine.isEmpty() ? null : oneLine;
    }

    /** A line read straight into this importer (no pipeline) that could not be read at all: as the pipeline judges it. */
    @Override
    public void unreadable(long line, String problem) throws IOException {
        apply(Judgement.unreadable(line, problem));
    }

    @Override
    public void invalid(long line, String problem) {
        invalid++;
        report(line, problem);
    }

    @Override
    public void added(long line) {
        added++;
    }

    @Override
    public void unchanged(long line, String shortCode) {
        unchanged++;
    }

    @Override
    public void conflict(long line, String problem) {
        conflicts++;
        report(line, problem);
    }

    private void report(long line, String problem) {
        if (++reported <= MAX_REPORTED_LINES) {
            err.println("line " + line + ": skipped: " + problem);
        }
    }

    /** Every link (or record) read, whatever became of it. */
    long read() {
        return added + unchanged + conflicts + invalid;
    }

    /** Lines skipped but not shown one by one. */
    long unreported() {
        return Math.max(0, reported - MAX_REPORTED_LINES);
    }
}
