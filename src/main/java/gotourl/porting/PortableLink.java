package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.RedirectRules;
import gotourl.visits.VisitsSummary;
import java.time.Instant;
import java.util.List;

/**
 * One link as it travels between shorteners: what an export writes and what an import reads,
 * before goto's rules have judged it. Every field but {@code longUrl} may be missing (null), as
 * the foreign formats carry less than goto does.
 *
 * @param line         where the link starts in the input (1-based line), 0 for an export
 * @param shortCode    the short code to keep, or null to take the counter's next key
 * @param longUrl      the long URL as written in the input (goto's URL rules judge it later)
 * @param dateCreated  when the link was created, or null for the time of the import
 * @param title        a title, or null
 * @param tags         tags as given (normalized later), empty for none
 * @param validSince   see {@link Link#validSince()}, or null
 * @param validUntil   see {@link Link#validUntil()}, or null
 * @param maxVisits    see {@link Link#maxVisits()}, or null
 * @param crawlable    see {@link Link#crawlable()}, or null for Shlink's default (false)
 * @param forwardQuery see {@link Link#forwardQuery()}, or null for Shlink's default (true)
 * @param author       the id of the API key that created the link, or null
 * @param origin       how goto made the code (goto's own exports say), or null: a custom slug
 * @param visits       the link's visit counts (written by exports; imports do not restore visits)
 * @param passwordProtected true when the link asks its visitor for a password (goto's own, Kutt's
 *                     {@code password}); no format carries the password, so an import skips such a
 *                     link rather than make it open to everyone
 * @param redirectRules the link's redirect rules (goto's JSON Lines export carries them; the other
 *                     formats do not), {@link RedirectRules#NONE} for none; their long URLs are
 *                     judged by goto's URL rules on import, as the link's own
 */
public record PortableLink(long line, String shortCode, String longUrl, Instant dateCreated, String title, List<String> tags,
                           Instant validSince, Instant validUntil, Integer maxVisits, Boolean crawlable, Boolean forwardQuery,
                           String author, Link.CodeOrigin origin, VisitsSummary visits, boolean passwordProtected,
                           RedirectRules redirectRules) {
    public PortableLink {
        tags = tags == null ? List.of() : List.copyOf(tags);
        redirectRules = redirectRules == null ? RedirectRules.NONE : redirectRules;
    }

    /** A link without redirect rules: what every format but goto's JSON Lines reads. */
    public PortableLink(long line, String shortCode, String longUrl, Instant dateCreated, String title, List<String> tags,
                        Instant validSince, Instant validUntil, Integer maxVisits, Boolean crawlable, Boolean forwardQuery,
                        String author, Link.CodeOrigin origin, VisitsSummary visits, boolean passwordProtected) {
        this(line, shortCode, longUrl, dateCreated, title, tags, validSince, validUntil, maxVisits, crawlable, forwardQuery, author,
                origin, visits, passwordProtected, RedirectRules.NONE);
    }

    /** A link of the plain list: a URL, perhaps under a slug. */
    static PortableLink of(long line, String shortCode, String longUrl) {
        return new PortableLink(line, shortCode, longUrl, null, null, List.of(), null, null, null, null, null, null, null, null, false);
    }

    /** {@code link} with its visit counts, for an export. */
    static PortableLink of(Link link, VisitsSummary visits) {
        return new PortableLink(0, link.shortCode(), link.longUrl(), link.dateCreated(), link.title(), List.copyOf(link.tags()),
                link.validSince(), link.validUntil(), link.maxVisits(), link.crawlable(), link.forwardQuery(), link.author(),
                link.origin(), visits, link.passwordHash() != null, link.redirectRules());
    }
}
