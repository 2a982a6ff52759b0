package gotourl.fetch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.Request;

/**
 * A stop signal for a group of fetches (the seeds' closed {@code done} channel): once
 * {@link #cancel cancelled}, every fetch in flight under it is aborted at once and every later one
 * fails before it starts, with {@link FetchException.Kind#CANCELLED}. Thread-safe.
 */
public final class Cancellation {
    private final Set<Request> inFlight = ConcurrentHashMap.newKeySet();
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String reason;

    /**
     * Cancels every fetch under this signal, now and later, and runs the {@link #onCancel}
     * actions (once); {@code why} is what the fetches fail with.
     */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        for (Request request : inFlight) {
            request.abort(cancelled());
        }
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /**
     * Runs {@code action} when this is cancelled (at once if it already is): how the workers
     * waiting for a permit are woken (their executor shut down now, which interrupts them).
     */
    public void onCancel(Runnable action) {
        listeners.add(action);
        if (reason != null) {
            action.run();
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    FetchException cancelled() {
        return new FetchException(FetchException.Kind.CANCELLED, "cancelled: " + reason);
    }

    /** Tracks {@code request}; aborts it at once if already cancelled (registered first, so no cancel slips between). */
    void register(Request request) {
        inFlight.add(request);
        if (reason != null) {
            request.abort(cancelled());
        }
    }

    void unregister(Request request) {
        inFlight.remove(request);
    }
}
