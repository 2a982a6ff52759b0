package gotourl.link;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * A change to some fields of a link, as Shlink's {@code PATCH /rest/v3/short-urls/{shortCode}}:
 * fields not named keep their value; a nullable field named with null is cleared. The short code,
 * the creation time and the author never change. Immutable; start from {@link #none()}. Each
 * setter checks its value as {@link LinkDraft} does and throws {@link IllegalArgumentException}.
 */
public final class LinkEdit {
    /** The fields an edit can change. */
    public enum Field { LONG_URL, TITLE, TAGS, VALID_SINCE, VALID_UNTIL, MAX_VISITS, CRAWLABLE, FORWARD_QUERY, PASSWORD }

    private static final LinkEdit NONE = new LinkEdit(EnumSet.noneOf(Field.class), null, null, Set.of(), null, null, null, false, true, null);

    private final EnumSet<Field> fields;
    private final String longUrl;
    private final String title;
    private final Set<String> tags;
    private final Instant validSince;
    private final Instant validUntil;
    private final Integer maxVisits;
    private final boolean crawlable;
    private final boolean forwardQuery;
    private final String passwordHash;

    private LinkEdit(EnumSet<Field> fields, String longUrl, String title, Set<String> tags, Instant validSince,
                     Instant validUntil, Integer maxVisits, boolean crawlable, boolean forwardQuery, String passwordHash) {
        this.fields = fields;
        this.longUrl = longUrl;
        this.title = title;
        this.tags = tags;
        this.validSince = validSince;
        this.validUntil = validUntil;
        this.maxVisits = maxVisits;
        this.crawlable = crawlable;
        this.forwardQuery = forwardQuery;
        this.passwordHash = passwordHash;
    }

    /** An edit that changes nothing. */
    public static LinkEdit none() {
        return NONE;
    }

    /** The fields this edit sets. */
    public Set<Field> fields() {
        return EnumSet.copyOf(fields);
    }

    public LinkEdit longUrl(String url) {
        String problem = LongUrls.problem(url);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return with(Field.LONG_URL, url, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery);
    }

    /** A new title, or null to remove it. */
    public LinkEdit title(String newTitle) {
        return with(Field.TITLE, longUrl, LinkDraft.checkTitle(newTitle), tags, validSince, validUntil, maxVisits, crawlable,
                forwardQuery);
    }

    /** The link's tags from now on (all of them: Shlink replaces the set); empty removes them. */
    public LinkEdit tags(Collection<String> newTags) {
        return with(Field.TAGS, longUrl, title, Tags.normalize(newTags), validSince, validUntil, maxVisits, crawlable,
                forwardQuery);
    }

    /** A new start of validity, or null for none. */
    public LinkEdit validSince(Instant since) {
        return with(Field.VALID_SINCE, longUrl, title, tags, since, validUntil, maxVisits, crawlable, forwardQuery);
    }

    /** A new end of validity, or null for none. */
    public LinkEdit validUntil(Instant until) {
        return with(Field.VALID_UNTIL, longUrl, title, tags, validSince, until, maxVisits, crawlable, forwardQuery);
    }

    /** A new visit limit (at least 1), or null for none. */
    public LinkEdit maxVisits(Integer visits) {
        if (visits != null && visits < 1) {
            throw new IllegalArgumentException("maxVisits must be at least 1, not " + visits);
        }
        return with(Field.MAX_VISITS, longUrl, title, tags, validSince, validUntil, visits, crawlable, forwardQuery);
    }

    public LinkEdit crawlable(boolean newCrawlable) {
        return with(Field.CRAWLABLE, longUrl, title, tags, validSince, validUntil, maxVisits, newCrawlable, forwardQuery);
    }

    public LinkEdit forwardQuery(boolean forward) {
        return with(Field.FORWARD_QUERY, longUrl, title, tags, validSince, validUntil, maxVisits, crawlable, forward);
    }

    /**
     * A new password hash (see {@link Link#passwordHash()}), or null to remove the password; the
     * caller hashes, as for {@link LinkDraft#passwordHash()}.
     */
    public LinkEdit passwordHash(String hash) {
        if (hash != null && !Link.isPasswordHashShape(hash)) {
            throw new IllegalArgumentException("passwordHash is not a PHC hash string; hash the password first");
        }
        EnumSet<Field> set = EnumSet.copyOf(fields);
        set.add(Field.PASSWORD);
        return new LinkEdit(set, longUrl, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery, hash);
    }

    /**
     * {@code link} with this edit's fields set. Throws {@link IllegalArgumentException} when the
     * result is not a valid link (its validity window would end before it starts).
     */
    public Link applyTo(Link link) {
        return new Link(link.shortCode(),
                fields.contains(Field.LONG_URL) ? longUrl : link.longUrl(),
                link.dateCreated(),
                fields.contains(Field.TITLE) ? title : link.title(),
                fields.contains(Field.TAGS) ? tags : link.tags(),
                fields.contains(Field.VALID_SINCE) ? validSince : link.validSince(),
                fields.contains(Field.VALID_UNTIL) ? validUntil : link.validUntil(),
                fields.contains(Field.MAX_VISITS) ? maxVisits : link.maxVisits(),
                fields.contains(Field.CRAWLABLE) ? crawlable : link.crawlable(),
                fields.contains(Field.FORWARD_QUERY) ? forwardQuery : link.forwardQuery(),
                link.author(), link.origin(),
                fields.contains(Field.PASSWORD) ? passwordHash : link.passwordHash(),
                link.redirectRules()); // set apart (POST .../redirect-rules); an edit keeps them, as Shlink's
    }

    private LinkEdit with(Field field, String newLongUrl, String newTitle, Set<String> newTags, Instant newSince,
                          Instant newUntil, Integer newMaxVisits, boolean newCrawlable, boolean newForwardQuery) {
        EnumSet<Field> set = EnumSet.copyOf(fields);
        set.add(field);
        return new LinkEdit(set, newLongUrl, newTitle, newTags, newSince, newUntil, newMaxVisits, newCrawlable, newForwardQuery,
                passwordHash);
    }

    @Override
    public String toString() {
        return "LinkEdit" + fields;
    }
}
