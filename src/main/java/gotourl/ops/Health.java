package gotourl.ops;

import gotourl.store.LinkStore;

/**
 * Whether goto should receive traffic. Live while the process answers at all; ready only once the
 * log is replayed, while the store can write, and until shutdown begins.
 */
public final class Health {
    private enum Phase { STARTING, READY, STOPPING }

    private volatile Phase phase = Phase.STARTING;
    private volatile LinkStore store;
    private volatile java.util.function.Supplier<String> visits = () -> null;
    private volatile java.util.function.Supplier<String> checks = () -> null;

    public void ready(LinkStore openedStore) {
        store = openedStore;
        phase = Phase.READY;
    }

    /** Where the visits' state is read: null while visits are recorded, otherwise why not. */
    public void watchVisits(java.util.function.Supplier<String> visitsFailure) {
        visits = visitsFailure;
    }

    /** Where link checks' state is read: null while rounds run and verdicts are kept, otherwise why not. */
    public void watchChecks(java.util.function.Supplier<String> checksFailure) {
        checks = checksFailure;
    }

    /**
     * Null while every part of goto works; otherwise what is degraded but does not stop goto from
     * taking traffic, parts joined by "; ": a failed visits store (redirects and links go on,
     * visits are not recorded), failed link checks (a round failed, or link health is not being
     * written to the database), a key counter at its last key (links need a custom slug).
     */
    public String degradedReason() {
        String keys = keysReason();
        String others = othersReason();
        return keys == null ? others : others == null ? keys : keys + "; " + others;
    }

    /** Null while the store's key counter has keys left; otherwise what that means. */
    private String keysReason() {
        LinkStore opened = store;
        return opened != null && opened.keysExhausted() ? "the key counter has reached its last key: links without a custom slug"
                + " are refused (503); new links need a custom slug not shaped like a key (one with a - or _, or over 7 characters)" : null;
    }

    private String othersReason() {
        String visitsDown = visitsReason();
        String checksFailure = checks.get();
        String checksDown = checksFailure == null ? null : "link checks: " + checksFailure;
        if (visitsDown == null || checksDown == null) {
            return visitsDown != null ? visitsDown : checksDown;
        }
        return visitsDown + "; " + checksDown;
    }

    /** Null while visits are recorded; otherwise why not. */
    public String visitsReason() {
        String failure = visits.get();
        return failure == null ? null : "visits are not being recorded: " + failure;
    }

    public void stopping() {
        phase = Phase.STOPPING;
    }

    /** True once shutdown has begun: goto will not be ready again in this process. */
    public boolean isStopping() {
        return phase == Phase.STOPPING;
    }

    /** Null when ready, otherwise why not, in words an operator can act on. */
    public String notReadyReason() {
        return switch (phase) {
            case STARTING -> "starting: loading links from the data file";
            case STOPPING -> "shutting down";
            case READY -> {
                String failure = store.failure();
                yield failure == null ? null : "cannot store links: " + failure;
            }
        };
    }
}
