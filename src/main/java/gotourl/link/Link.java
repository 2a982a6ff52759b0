package gotourl.link;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A short link, as a store publishes it: immutable, a new value on every change. The fields and
 * their names are Shlink's ({@code ShortUrl} in its REST API v3), so an API can map them 1:1.
 *
 * @param shortCode    the path after the host: a generated key ({@code a}, {@code ba}...), a
 *                     random code of a requested length, or a custom slug; case-sensitive
 * @param longUrl      where the link redirects: an absolute http(s) URL in ASCII
 * @param dateCreated  when the link was created, to the second (UTC)
 * @param title        a human title, or null
 * @param tags         normalized tags (see {@link Tags}), sorted; empty when none
 * @param validSince   the link redirects from this instant on (inclusive), or null for always
 * @param validUntil   the link redirects until this instant (inclusive), or null for ever
 * @param maxVisits    how many visits the link allows, or null for no limit (enforced by visits)
 * @param crawlable    robots.txt allows crawlers to follow the link
 * @param forwardQuery the request's query string is merged over the long URL's (request wins)
 * @param author       the id of the API key that created the link, or null (created by /add,
 *                     the command line or an import)
 * @param origin       how the short code was made: the key counter, at random, or by the client
 * @param passwordHash the visitor's password as a slow salted hash in PHC string form
 *                     ({@code $argon2id$v=19$m=...}, see {@code gotourl.protect.Passwords}), or null
 *                     for a link that redirects without one; never the password itself
 * @param redirectRules Shlink 4's redirect rules ({@code POST /short-urls/{shortCode}/redirect-rules}),
 *                     {@link RedirectRules#NONE} (never null) for a link that always goes to
 *                     {@code longUrl}; set by themselves, kept by every edit of the other fields
 */
public record Link(String shortCode, String longUrl, Instant dateCreated, String title, Set<String> tags,
                   Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                   boolean forwardQuery, String author, CodeOrigin origin, String passwordHash, RedirectRules redirectRules) {
    /** The longest password hash a link holds (a PHC string is ~100 ASCII characters). */
    public static final int MAX_PASSWORD_HASH_CHARS = 255;

    public Link {
        Objects.requireNonNull(shortCode, "shortCode");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(origin, "origin");
        redirectRules = redirectRules == null ? RedirectRules.NONE : redirectRules;
        // Only the shape here: a link is built on every redirect, and its URL was checked
        // character by character where it came in (a draft, an edit, a record).
        if (longUrl == null || longUrl.isEmpty() || longUrl.length() > LongUrls.MAX_CHARS) {
            throw new IllegalArgumentException(LongUrls.problem(longUrl));
        }
        tags = tags == null || tags.isEmpty() ? Set.of() : Tags.isNormalized(tags) ? tags : Tags.normalize(tags);
        checkDate("dateCreated", dateCreated);
        checkDate("validSince", validSince);
        checkDate("validUntil", validUntil);
        if (validSince != null && validUntil != null && validUntil.isBefore(validSince)) {
            throw new IllegalArgumentException("validUntil (" + validUntil + ") is before validSince (" + validSince
                    + "): the link would never redirect");
        }
        if (maxVisits != null && maxVisits < 1) {
            throw new IllegalArgumentException("maxVisits must be at least 1, not " + maxVisits);
        }
        if (passwordHash != null && !isPasswordHashShape(passwordHash)) {
            throw new IllegalArgumentException("a password hash is 1 to " + MAX_PASSWORD_HASH_CHARS
                    + " printable ASCII characters starting with '$' (a PHC string), not one of " + passwordHash.length());
        }
    }

    /** The earliest date a link holds (its creation or validity): the start of the year 0000, UTC. */
    public static final Instant EARLIEST_DATE = Instant.parse("0000-01-01T00:00:00Z");
    /**
     * The latest date a link holds: the end of the year 9999, UTC. RFC 3339 dates (Shlink's ATOM
     * format) have four-digit years, and a record keeps a date as epoch milliseconds, which a date
     * near Instant's own limits would overflow.
     */
    public static final Instant LATEST_DATE = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** True when {@code date} is null or between {@link #EARLIEST_DATE} and {@link #LATEST_DATE}. */
    public static boolean isSupportedDate(Instant date) {
        return date == null || !date.isBefore(EARLIEST_DATE) && !date.isAfter(LATEST_DATE);
    }

    /** The range a record's epoch milliseconds hold: what every link must be within, old files' too. */
    private static final Instant FIRST_MILLI = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant LAST_MILLI = Instant.ofEpochMilli(Long.MAX_VALUE);

    /**
     * Refuses a date a record cannot hold (past ±292 million years). Links come in through drafts,
     * the API and imports, which keep to {@link #isSupportedDate}; this is the last guard, looser
     * so that a file written before that rule (a year 10000, say) still opens.
     */
    private static void checkDate(String field, Instant date) {
        if (date != null && (date.isBefore(FIRST_MILLI) || date.isAfter(LAST_MILLI))) {
            throw new IllegalArgumentException(field + " must be a date of a four-digit year (0000 to 9999), not " + date);
        }
    }

    /** A link without redirect rules: the fields before redirect rules, so existing callers keep compiling. */
    public Link(String shortCode, String longUrl, Instant dateCreated, String title, Set<String> tags,
                Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                boolean forwardQuery, String author, CodeOrigin origin, String passwordHash) {
        this(shortCode, longUrl, dateCreated, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery,
                author, origin, passwordHash, RedirectRules.NONE);
    }

    /** A link without a password: the fields before protected links, so existing callers keep compiling. */
    public Link(String shortCode, String longUrl, Instant dateCreated, String title, Set<String> tags,
                Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                boolean forwardQuery, String author, CodeOrigin origin) {
        this(shortCode, longUrl, dateCreated, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery,
                author, origin, null);
    }

    /** True when a visitor must give a password before the link redirects: one field read, for the redirect path. */
    public boolean passwordProtected() {
        return passwordHash != null;
    }

    /** This link with {@code hash} as its password hash (null: no password). */
    public Link withPasswordHash(String hash) {
        return new Link(shortCode, longUrl, dateCreated, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, origin, hash, redirectRules);
    }

    /** This link with {@code rules} as its redirect rules ({@link RedirectRules#NONE}: none). */
    public Link withRedirectRules(RedirectRules rules) {
        return new Link(shortCode, longUrl, dateCreated, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, origin, passwordHash, rules);
    }

    /** True when the link has redirect rules: one field read, for the redirect path. */
    public boolean hasRedirectRules() {
        return !redirectRules.isEmpty();
    }

    /** Whether {@code hash} has the shape a stored password hash has: what the data file and the database accept. */
    public static boolean isPasswordHashShape(String hash) {
        if (hash.isEmpty() || hash.length() > MAX_PASSWORD_HASH_CHARS || hash.charAt(0) != '$') {
            return false;
        }
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** The record's text with the password hash left out: links are logged, their hashes need not be. */
    @Override
    public String toString() {
        return "Link[shortCode=" + shortCode + ", longUrl=" + longUrl + ", dateCreated=" + dateCreated + ", title=" + title
                + ", tags=" + tags + ", validSince=" + validSince + ", validUntil=" + validUntil + ", maxVisits=" + maxVisits
                + ", crawlable=" + crawlable + ", forwardQuery=" + forwardQuery + ", author=" + author + ", origin=" + origin
                + ", passwordProtected=" + (passwordHash != null) + ", redirectRules=" + redirectRules.rules().size() + "]";
    }

    /** How a short code came to be; a store needs it to know what a deleted code may become. */
    public enum CodeOrigin {
        /** The seed's key counter ({@link Keys}): never given again once used. */
        COUNTER,
        /** Random, of a length the client asked for (Shlink's {@code shortCodeLength}): never given again. */
        RANDOM,
        /** A custom slug the client chose: free to be claimed again once its link is deleted. */
        CUSTOM_SLUG
    }

    /**
     * A link as {@code /add} makes it: a generated code and nothing but Shlink's defaults (no
     * title, tags, dates or limit; not crawlable; query forwarded).
     */
    public static Link plain(String shortCode, String longUrl, Instant dateCreated) {
        return new Link(shortCode, longUrl, dateCreated, null, Set.of(), null, null, null, false, true, null, CodeOrigin.COUNTER);
    }

    /**
     * True when the link has nothing but what {@link #plain} gives: stores keep such links
     * compactly, and the redirect answers them without building the link. A link with redirect
     * rules is never plain: its redirect reads the request.
     */
    public boolean isPlain() {
        return origin == CodeOrigin.COUNTER && title == null && tags.isEmpty() && validSince == null && validUntil == null
                && maxVisits == null && !crawlable && forwardQuery && author == null && passwordHash == null
                && redirectRules.isEmpty();
    }

    /**
     * Whether the link redirects at {@code epochMillis}: on or after {@code validSince} and on or
     * before {@code validUntil}, as Shlink's {@code ShortUrl::isEnabled} (the visit limit aside).
     */
    public boolean activeAt(long epochMillis) {
        return (validSince == null || validSince.toEpochMilli() <= epochMillis)
                && (validUntil == null || validUntil.toEpochMilli() >= epochMillis);
    }

    /** True when the link redirects only within a time window. */
    public boolean hasValidity() {
        return validSince != null || validUntil != null;
    }

    /** True when the client chose the short code. */
    public boolean customSlug() {
        return origin == CodeOrigin.CUSTOM_SLUG;
    }
}
