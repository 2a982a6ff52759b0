package gotourl.fetch;

/**
 * A fetch that got no answer to judge: refused by goto's guard, unreachable, too slow, or lost in
 * redirects. The message says which URL and why ("refused: internal.example resolves to
 * 10.0.0.7, private (RFC 1918, 10.0.0.0/8)").
 */
public final class FetchException extends Exception {
    /** What went wrong. */
    public enum Kind {
        /** goto's guard refused the URL: a scheme other than http(s), or a non-public address. */
        REFUSED,
        /** No connection or no valid answer: unknown host, connection refused or reset, TLS failure. */
        UNREACHABLE,
        /** The connect or total timeout passed. */
        TIMEOUT,
        /** A redirect led back to a URL already visited. */
        REDIRECT_LOOP,
        /** More redirects than the limit. */
        TOO_MANY_REDIRECTS,
        /** A redirect without a usable Location. */
        BAD_REDIRECT,
        /** The caller stopped the fetch. */
        CANCELLED
    }

    private final Kind kind;

    public FetchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public FetchException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
