package gotourl.visits;

import java.util.Locale;

/**
 * What was visited, as Shlink's {@code VisitType}: a short URL that exists, or one of the three
 * kinds of orphan visit (Shlink's {@code OrphanVisit.type}, ADR 2021-02-07).
 */
public enum VisitType {
    /** A redirect of an existing, enabled short URL. */
    VALID_SHORT_URL,
    /** A path shaped like a short code that matches no enabled link (unknown, deleted, expired). */
    INVALID_SHORT_URL,
    /** The base URL, {@code /}. */
    BASE_URL,
    /** Any other path that answered 404 (e.g. {@code /wp-login.php/x}). */
    REGULAR_404;

    /** Shlink's wire name: {@code invalid_short_url}, {@code base_url}, {@code regular_404}... */
    public String shlinkName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOrphan() {
        return this != VALID_SHORT_URL;
    }

    /** The type Shlink names {@code name}; throws IllegalArgumentException naming the valid ones. */
    public static VisitType ofShlinkName(String name) {
        for (VisitType type : values()) {
            if (type.shlinkName().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown orphan visit type '" + name
                + "': use invalid_short_url, base_url or regular_404");
    }
}
