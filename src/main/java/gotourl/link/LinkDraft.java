package gotourl.link;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * What a client asks for when it creates a link; the store picks the code and the creation time.
 * Shlink's creation fields ({@code POST /rest/v3/short-urls}), checked when built: a bad value
 * throws {@link IllegalArgumentException} saying which field and why. Start from {@link #of} and
 * add with the {@code with...} methods.
 *
 * @param longUrl         where the link goes; the caller has validated it (see {@link LongUrls})
 * @param customSlug      the code to use, or null to have one generated ({@link ShortCodes#slugProblem})
 * @param shortCodeLength a random generated code of this length ({@value ShortCodes#MIN_RANDOM_LENGTH}
 *                        to {@value ShortCodes#MAX_RANDOM_LENGTH}) instead of the next key, or null
 * @param title           at most {@value #MAX_TITLE_CHARS} characters, or null
 * @param tags            any tags, normalized as {@link Tags} says
 * @param validSince      see {@link Link#validSince()}
 * @param validUntil      see {@link Link#validUntil()}
 * @param maxVisits       see {@link Link#maxVisits()}
 * @param crawlable       see {@link Link#crawlable()}; Shlink's default is false
 * @param forwardQuery    see {@link Link#forwardQuery()}; Shlink's default is true
 * @param author          the creating API key's id, or null
 * @param findIfExists    as Shlink's {@code findIfExists}: if a link to the same long URL exists
 *                        with the same slug, tags, dates, visit limit and author (where this draft
 *                        gives them), return it instead of creating one
 * @param passwordHash    see {@link Link#passwordHash()}: the hash, made before the draft (hashing
 *                        is slow and belongs off the store's path), or null for no password
 * @param findAnyAuthor   {@code findIfExists} finds a link whoever created it, as Shlink's does for
 *                        an admin key (whose view is every link); false compares {@code author}
 *                        where this draft gives one, as for an author key (which sees only its own)
 */
public record LinkDraft(String longUrl, String customSlug, Integer shortCodeLength, String title, Set<String> tags,
                        Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                        boolean forwardQuery, String author, boolean findIfExists, String passwordHash,
                        boolean findAnyAuthor) {
    /** Shlink keeps the first 512 characters of a title. */
    public static final int MAX_TITLE_CHARS = 512;
    public static final int MAX_AUTHOR_CHARS = 64;

    public LinkDraft {
        String urlProblem = LongUrls.problem(longUrl);
        if (urlProblem != null) {
            throw new IllegalArgumentException(urlProblem);
        }
        if (customSlug != null) {
            String slugProblem = ShortCodes.slugProblem(customSlug);
            if (slugProblem != null) {
                throw new IllegalArgumentException(slugProblem);
            }
            if (shortCodeLength != null) {
                throw new IllegalArgumentException("give customSlug or shortCodeLength, not both: a custom slug has the length it has");
            }
        }
        if (shortCodeLength != null && (shortCodeLength < ShortCodes.MIN_RANDOM_LENGTH || shortCodeLength > ShortCodes.MAX_RANDOM_LENGTH)) {
            throw new IllegalArgumentException("shortCodeLength must be " + ShortCodes.MIN_RANDOM_LENGTH + " to "
                    + ShortCodes.MAX_RANDOM_LENGTH + ", not " + shortCodeLength);
        }
        title = checkTitle(title);
        tags = Tags.normalize(tags);
        author = checkAuthor(author);
        if (!Link.isSupportedDate(validSince) || !Link.isSupportedDate(validUntil)) {
            throw new IllegalArgumentException("validSince and validUntil must be dates of four-digit years (0000 to 9999), not "
                    + (Link.isSupportedDate(validSince) ? validUntil : validSince));
        }
        if (validSince != null && validUntil != null && validUntil.isBefore(validSince)) {
            throw new IllegalArgumentException("validUntil (" + validUntil + ") is before validSince (" + validSince
                    + "): the link would never redirect");
        }
        if (maxVisits != null && maxVisits < 1) {
            throw new IllegalArgumentException("maxVisits must be at least 1, not " + maxVisits);
        }
        if (passwordHash != null && !Link.isPasswordHashShape(passwordHash)) {
            throw new IllegalArgumentException("passwordHash is not a PHC hash string; hash the password first");
        }
    }

    /** A draft whose {@code findIfExists} compares the author it gives (see {@link #findAnyAuthor()}). */
    public LinkDraft(String longUrl, String customSlug, Integer shortCodeLength, String title, Set<String> tags,
                     Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                     boolean forwardQuery, String author, boolean findIfExists, String passwordHash) {
        this(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery,
                author, findIfExists, passwordHash, false);
    }

    /** A draft without a password: the fields before protected links, so existing callers keep compiling. */
    public LinkDraft(String longUrl, String customSlug, Integer shortCodeLength, String title, Set<String> tags,
                     Instant validSince, Instant validUntil, Integer maxVisits, boolean crawlable,
                     boolean forwardQuery, String author, boolean findIfExists) {
        this(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery,
                author, findIfExists, null);
    }

    /** A link to {@code longUrl} with Shlink's defaults: a generated code, query forwarded, not crawlable. */
    public static LinkDraft of(String longUrl) {
        return new LinkDraft(longUrl, null, null, null, Set.of(), null, null, null, false, true, null, false);
    }

    /** The link this draft makes under {@code shortCode}, created at {@code created}. */
    public Link toLink(String shortCode, Instant created) {
        return new Link(shortCode, longUrl, created, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery,
                author, customSlug != null ? Link.CodeOrigin.CUSTOM_SLUG
                        : shortCodeLength != null ? Link.CodeOrigin.RANDOM : Link.CodeOrigin.COUNTER, passwordHash);
    }

    /**
     * Whether {@code link} is the one {@code findIfExists} returns for this draft, as Shlink's
     * {@code ShortUrlRepository::findOneMatching}: the same long URL, and the same slug, visit
     * limit, dates, tags (as a set) and author where the draft gives them (the author not when
     * {@link #findAnyAuthor()}: Shlink scopes the search by the key's view). A password is compared
     * by presence only: a draft without one never finds a protected link (its visitors would meet
     * a password its creator never set), and a draft with one never finds any (a salted hash
     * cannot be compared, and checking the password would cost a hash per candidate).
     */
    public boolean matches(Link link) {
        return passwordHash == null && link.passwordHash() == null
                && link.longUrl().equals(longUrl)
                && (customSlug == null || customSlug.equals(link.shortCode()))
                && (maxVisits == null || maxVisits.equals(link.maxVisits()))
                && (validSince == null || validSince.equals(link.validSince()))
                && (validUntil == null || validUntil.equals(link.validUntil()))
                && (tags.isEmpty() || tags.equals(link.tags()))
                && (findAnyAuthor || author == null || author.equals(link.author()));
    }

    public LinkDraft withCustomSlug(String slug) {
        return new LinkDraft(longUrl, slug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withShortCodeLength(Integer length) {
        return new LinkDraft(longUrl, customSlug, length, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withTitle(String newTitle) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, newTitle, tags, validSince, validUntil, maxVisits,
                crawlable, forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withTags(Collection<String> newTags) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, Tags.normalize(newTags), validSince, validUntil,
                maxVisits, crawlable, forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withValidSince(Instant since) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, since, validUntil, maxVisits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withValidUntil(Instant until) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, until, maxVisits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withMaxVisits(Integer visits) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, visits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withCrawlable(boolean newCrawlable) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits,
                newCrawlable, forwardQuery, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withForwardQuery(boolean forward) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forward, author, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withAuthor(String apiKeyId) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, apiKeyId, findIfExists, passwordHash, findAnyAuthor);
    }

    public LinkDraft withFindIfExists(boolean find) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, find, passwordHash, findAnyAuthor);
    }

    /**
     * This draft, whose {@code findIfExists} finds a link whoever created it ({@code any}, an admin
     * key's view) or only one of its {@code author} (an author key's).
     */
    public LinkDraft withFindAnyAuthor(boolean any) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, findIfExists, passwordHash, any);
    }

    /** This draft with a password hash (see {@link Link#passwordHash()}), or null for none. */
    public LinkDraft withPasswordHash(String hash) {
        return new LinkDraft(longUrl, customSlug, shortCodeLength, title, tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery, author, findIfExists, hash, findAnyAuthor);
    }

    /**
     * A title as stored: null for none (an empty title is none), refused if too long, with control
     * characters, or with a lone UTF-16 surrogate (half a pair, which UTF-8 cannot encode: the data
     * file or the database would keep a '?' instead, and the title would change at the next start).
     */
    static String checkTitle(String title) {
        if (title == null || title.isBlank()) {
            return null;
        }
        if (title.codePointCount(0, title.length()) > MAX_TITLE_CHARS) {
            throw new IllegalArgumentException("the title is " + title.codePointCount(0, title.length())
                    + " characters long; the limit is " + MAX_TITLE_CHARS);
        }
        for (int i = 0; i < title.length(); i++) {
            if (Character.isISOControl(title.charAt(i))) {
                throw new IllegalArgumentException("the title contains a control character at position " + (i + 1) + "; remove it");
            }
        }
        int lone = Tags.loneSurrogate(title);
        if (lone >= 0) {
            throw new IllegalArgumentException("the title holds half a UTF-16 surrogate pair (a lone surrogate) at position "
                    + (lone + 1) + ", which is no character; send the whole character");
        }
        return title;
    }

    static String checkAuthor(String author) {
        if (author == null) {
            return null;
        }
        if (author.isEmpty() || author.length() > MAX_AUTHOR_CHARS) {
            throw new IllegalArgumentException("an author (API key id) has 1 to " + MAX_AUTHOR_CHARS + " characters, not " + author.length());
        }
        for (int i = 0; i < author.length(); i++) {
            char c = author.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException("an author (API key id) is printable ASCII without spaces; got char "
                        + (int) c + " at position " + (i + 1));
            }
        }
        return author;
    }
}
