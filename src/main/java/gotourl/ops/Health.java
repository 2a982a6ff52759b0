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

    public void ready(LinkStore openedStore) {
        store = openedStore;
        phase = Phase.READY;
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
