package gotourl.apikey;

import java.time.Instant;

/**
 * An API key as goto knows it, without its secret: goto keeps only a hash of the key a client
 * presents in {@code X-Api-Key} (Shlink's header). Mirrors Shlink's API key: a name, a role, an
 * optional expiry, and whether it is enabled.
 *
 * @param id        a stable, non-secret id (what {@link gotourl.link.Link#author()} holds for the
 *                  links the key created); never the key itself
 * @param name      a human name, unique among keys
 * @param role      what the key may do
 * @param expiresAt the instant from which the key is refused, or null for never
 * @param enabled   false once disabled; a disabled key is refused
 */
public record ApiKey(String id, String name, Role role, Instant expiresAt, boolean enabled) {

    /** What a key may do, as Shlink's roles (its {@code AUTHORED_SHORT_URLS} is goto's author). */
    public enum Role {
        /** Everything. */
        ADMIN,
        /** Creates links, and sees, edits and deletes only the links it created. */
        AUTHOR
    }
}
