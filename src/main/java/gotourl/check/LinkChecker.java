package gotourl.check;

import gotourl.fetch.Cancellation;
import gotourl.fetch.FetchException;
import gotourl.fetch.Fetcher;
import java.time.Clock;
import java.util.Set;

/**
 * Judges one long URL: a HEAD, then a GET when the server refuses HEAD (405, 501, or the 400 and
 * 403 some servers answer to any HEAD), redirects followed by the {@link Fetcher} up to its limit.
 * A GET's body is read up to {@link #GET_BODY_BYTES} and dropped, so that a huge page costs
 * nothing. Thread-safe; blocking: call from a virtual thread.
 */
public final class LinkChecker {
    /** Statuses that mean "not to HEAD" rather than "broken": answered again with a GET. */
    static final Set<Integer> HEAD_REFUSED = Set.of(400, 403, 405, 501);
    /** A GET reads this much of a body at most: enough to keep the connection reusable for small pages. */
    static final int GET_BODY_BYTES = 64 * 1024;

    private final Fetcher fetcher;
    private final Clock clock;

    public LinkChecker(Fetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * The health of {@code longUrl}, or null when {@code cancel} stopped the check before a
     * verdict. Throws {@link InterruptedException} when the thread is interrupted.
     */
    public LinkHealth check(String longUrl, Cancellation cancel) throws InterruptedException {
        try {
            Fetcher.Response answer = fetcher.fetch(longUrl, "HEAD", 0, cancel);
            if (HEAD_REFUSED.contains(answer.status())) {
                answer = fetcher.fetch(longUrl, "GET", GET_BODY_BYTES, cancel);
            }
            return judge(answer);
        } catch (FetchException e) {
            if (e.kind() == FetchException.Kind.CANCELLED || cancel.isCancelled()) {
                return null;
            }
            return new LinkHealth(HealthState.UNREACHABLE, null, null, clock.instant(), e.getMessage());
        }
    }

    private LinkHealth judge(Fetcher.Response answer) {
        int status = answer.status();
        boolean redirected = !answer.redirects().isEmpty();
        String location = redirected ? answer.url() : null;
        String detail = redirected ? answer.redirects().size() + " redirect" + (answer.redirects().size() == 1 ? "" : "s")
                + " to " + answer.url() : "";
        if (status == 429 || (status == 503 && answer.retryAfter() != null)) {
            // "Too many requests" or "down for now, come back then": the page may well be there.
            return new LinkHealth(HealthState.TRY_LATER, status, location, clock.instant(), (status == 429
                    ? "too many requests" : "unavailable for now") + ": the site asks to be asked again later"
                    + (answer.retryAfter() == null ? "" : " (Retry-After: " + answer.retryAfter().strip() + ")")
                    + (redirected ? "; " + detail : ""));
        }
        HealthState state = status >= 500 ? HealthState.SERVER_ERROR
                : status >= 400 ? HealthState.CLIENT_ERROR
                : redirected ? HealthState.REDIRECTED : HealthState.OK;
        return new LinkHealth(state, status, location, clock.instant(), detail);
    }
}
