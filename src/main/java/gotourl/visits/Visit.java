package gotourl.visits;

import java.time.Instant;

/**
 * One recorded visit, as stored and as read back: Shlink's {@code Visit} (and, for orphans,
 * {@code OrphanVisit}) with what goto derives from the user agent beside it. Strings are cropped
 * as Shlink's {@code Visitor} crops them and are never null: an absent header is "". There is no
 * IP address, and so no {@code visitLocation} (always null in Shlink's JSON).
 *
 * @param type              valid short URL, or the kind of orphan visit
 * @param shortCode         the visited link's code; null for orphan visits
 * @param linkCreatedMillis the visited link's creation time (epoch ms); with the code it names
 *                          one life of the link (see {@link VisitEvent}); 0 for orphans
 * @param dateMillis        when the visit happened, epoch milliseconds: a long rather than an
 *                          {@link Instant}, so that the visits worker, which makes a {@code Visit}
 *                          per redirect, allocates one object for it and not two (the
 *                          {@code Instant} was 24 of the worker's ~97 bytes a visit, JMH's
 *                          {@code VisitAppendBench}, BENCHMARKS.md); {@link #date()} makes the {@code Instant} where one is
 *                          read
 * @param referer           the {@code Referer} header, at most {@value #REFERER_MAX_CHARS} chars
 * @param userAgent         the {@code User-Agent} header, at most {@value #USER_AGENT_MAX_CHARS} chars
 * @param potentialBot      Yauaa classed the user agent as a robot, crawler, link previewer or
 *                          HTTP library (Shlink's {@code potentialBot})
 * @param visitedPath       the requested path and query ({@code /abc?x=1}), at most
 *                          {@value #VISITED_MAX_CHARS} chars; Shlink's {@code visitedUrl} is the
 *                          short URL base followed by this
 * @param redirectUrl       where the visitor was sent (Shlink's {@code redirectUrl}), or null for
 *                          orphan visits
 * @param browser           the agent's name as Yauaa gives it ({@code Chrome}, {@code Firefox},
 *                          {@code Googlebot}...), "Unknown" when it cannot tell
 * @param operatingSystem   the operating system's name ({@code Windows NT}, {@code iOS}...)
 * @param refererHost       the host of the referer ({@code t.co}), "" when there is none or it
 *                          is not a URL: what the dashboard's top referrers count
 */
public record Visit(VisitType type, String shortCode, long linkCreatedMillis, long dateMillis, String referer,
                    String userAgent, boolean potentialBot, String visitedPath, String redirectUrl, String browser,
                    String operatingSystem, String refererHost) {

    public static final int USER_AGENT_MAX_CHARS = 512;
    public static final int REFERER_MAX_CHARS = 1024;
    public static final int VISITED_MAX_CHARS = 2048;
    public static final int REDIRECT_MAX_CHARS = 2048;

    public Visit {
        if (type == null) {
            throw new IllegalArgumentException("a visit needs a type");
        }
        if (type.isOrphan() != (shortCode == null)) {
            throw new IllegalArgumentException(type + " visit with short code " + shortCode
                    + ": visits of a link have its code, orphan visits none");
        }
        referer = crop(referer, REFERER_MAX_CHARS);
        userAgent = crop(userAgent, USER_AGENT_MAX_CHARS);
        visitedPath = crop(visitedPath, VISITED_MAX_CHARS);
        redirectUrl = redirectUrl == null ? null : crop(redirectUrl, REDIRECT_MAX_CHARS);
        browser = browser == null ? "Unknown" : browser;
        operatingSystem = operatingSystem == null ? "Unknown" : operatingSystem;
        refererHost = refererHost == null ? "" : refererHost;
    }

    /**
     * The same visit with its date as an {@link Instant}, truncated to the millisecond (what is
     * stored); throws IllegalArgumentException when {@code date} is null.
     */
    public Visit(VisitType type, String shortCode, long linkCreatedMillis, Instant date, String referer,
                 String userAgent, boolean potentialBot, String visitedPath, String redirectUrl, String browser,
                 String operatingSystem, String refererHost) {
        this(type, shortCode, linkCreatedMillis, millisOf(date), referer, userAgent, potentialBot, visitedPath,
                redirectUrl, browser, operatingSystem, refererHost);
    }

    private static long millisOf(Instant date) {
        if (date == null) {
            throw new IllegalArgumentException("a visit needs a date");
        }
        return date.toEpochMilli();
    }

    /** When the visit happened, to the millisecond: {@link #dateMillis()} as an {@code Instant}, made on each call. */
    public Instant date() {
        return Instant.ofEpochMilli(dateMillis);
    }

    public boolean isOrphan() {
        return type.isOrphan();
    }

    static String crop(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
