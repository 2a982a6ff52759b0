package gotourl.check;

/** A link's health after a check, as the REST API spells it in {@code health.state}. */
public enum HealthState {
    /** The long URL answered 2xx (or another final non-error status) itself. */
    OK("ok"),
    /** The long URL redirected, and where it ended answered 2xx: {@code location} is that final URL. */
    REDIRECTED("redirected"),
    /** The final answer was 4xx (the page is gone, forbidden...). */
    CLIENT_ERROR("client-error"),
    /** The final answer was 5xx. */
    SERVER_ERROR("server-error"),
    /** No answer to judge: unknown host, refused connection, timeout, TLS failure, a redirect loop, or refused by goto's guard. */
    UNREACHABLE("unreachable"),
    /**
     * The site asked to be asked later: 429 Too Many Requests, or 503 with a Retry-After header
     * (RFC 9110 section 10.2.3). It says nothing of whether the page is there, so it is not broken.
     */
    TRY_LATER("try-later");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    /** {@code ok}, {@code redirected}, {@code client-error}, {@code server-error}, {@code unreachable} or {@code try-later}. */
    public String label() {
        return label;
    }

    /** The state labelled {@code label}; throws {@link IllegalArgumentException} for another word. */
    public static HealthState ofLabel(String label) {
        for (HealthState state : values()) {
            if (state.label.equals(label)) {
                return state;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not a health state (ok, redirected, client-error, server-error, unreachable,"
                + " try-later)");
    }
}
