package gotourl.api;

import gotourl.link.Link;
import java.time.Instant;

/**
 * Each link's health from the last link check, as the short URL JSON's {@code health} shows it:
 * {@code null} when the link was never checked, else {@code {"state": "ok|redirected|client-error|
 * server-error|unreachable|try-later", "status": N|null, "location": URL|null, "checkedAt": ISO}}. Where
 * {@code gotourl.check}'s verdicts plug into the API.
 */
@FunctionalInterface
public interface ApiHealth {
    /** No link checked: every {@code health} is null. */
    ApiHealth NONE = link -> null;

    /** {@code link}'s health, or null when never checked. Lock-free; called for every link answered. */
    Health of(Link link);

    /**
     * One verdict.
     *
     * @param state     ok, redirected, client-error, server-error, unreachable or try-later
     * @param status    the final HTTP status, or null when there was no answer
     * @param location  where redirects ended, or null
     * @param checkedAt when the check finished
     */
    record Health(String state, Integer status, String location, Instant checkedAt) {}
}
