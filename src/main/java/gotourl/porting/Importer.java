package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrlRules;
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

    Importer(LongUrlRules rules, InputFormat format, PrintStream err, Instant now) {
        this.rules = rules;
        this.format = format;
        this.err = err;
        this.now = now;
    }

    void target(ImportTarget newTarget) {
        this.target = newTarget;
    }

    @Override
    public void link(PortableLink link) throws IOException {
        String code = link.shortCode();
        LongUrlRules.Verdict verdict = link.longUrl() == null ? null : rules.check(link.longUrl());
        if (verdict == null) {
            invalid(link.line(), "no long URL");
            return;
        }
        if (!verdict.accepted()) {
            invalid(link.line(), format == InputFormat.PLAIN && code != null
                    ? "read as 'SLUG URL' with the slug '" + code + "': " + verdict.problem() : verdict.problem());
            return;
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
            invalid(link.line(), e.getMessage());
            return;
        }
        Link kept = code == null ? null : origin == Link.CodeOrigin.CUSTOM_SLUG ? draft.toLink(code, created)
                : new Link(code, draft.longUrl(), created, draft.title(), draft.tags(), draft.validSince(), draft.validUntil(),
                        draft.maxVisits(), draft.crawlable(), draft.forwardQuery(), draft.author(), origin);
        target.put(link.line(), kept, draft, created);
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
        String oneLine = title.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        if (oneLine.codePointCount(0, oneLine.length()) > LinkDraft.MAX_TITLE_CHARS) {
            oneLine = oneLine.substring(0, oneLine.offsetByCodePoints(0, LinkDraft.MAX_TITLE_CHARS));
        }
        return oneLine.isEmpty() ? null : oneLine;
    }

    @Override
    public void invalid(long line, String problem) {
        invalid++;
        report(line, problem);
    }

    @Override
    public void added(long line, String shortCode) {
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
