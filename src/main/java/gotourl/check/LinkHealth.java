package gotourl.check;

import java.time.Instant;
import java.util.Objects;

/**
 * What one check of a long URL found.
 *
 * @param state     the verdict
 * @param status    the final HTTP status, or null when there was none (unreachable)
 * @param location  where redirects ended (the URL that gave the final answer), or null when the
 *                  long URL answered itself
 * @param checkedAt when the check finished
 * @param detail    a human line: the redirect chain's length, or why it was unreachable; never null
 */
public record LinkHealth(HealthState state, Integer status, String location, Instant checkedAt, String detail) {
    public LinkHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(checkedAt, "checkedAt");
        detail = detail == null ? "" : detail;
    }
}
