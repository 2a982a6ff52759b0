package gotourl.http;

import gotourl.ops.Metrics;
import gotourl.ops.Metrics.HeldOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The requests that arrive while goto is still loading its links, held rather than answered, so
 * that a click on a short link during a restart waits for the start and gets its redirect instead
 * of a 503. goto binds its listeners before it replays its data file (so a port in use is reported
 * at once); the seed does not listen until it has loaded, so its clients wait in the kernel's
 * accept queue instead: holding them here gives goto's clients the same wait.
 *
 * <p>No thread waits: a held request is its request, response and callback in a set, with a timer
 * on the server's scheduler. {@link #open} hands each one to the server's executor, which runs the
 * route as if it had just arrived (its latency counts from its arrival). Bounded both ways: at
 * most {@code maxHeld} at once (more are answered 503 at once) and each for at most
 * {@code maxWait} (then 503 with {@code Retry-After}). {@link #stop} answers every held request
 * 503 as a stop answers, and every later one too.
 *
 * <p>Thread-safe: one lock guards the set and the state, taken only while goto is starting (once
 * open, {@link AppHandler} no longer calls here). Whoever removes a request from the set answers it,
 * so each is answered exactly once, whether by the open, its timer, its client going away or a stop.
 */
final class StartHold {
    /** How to answer a released request once goto is open: the route, with the arrival time in nanos. */
    @FunctionalInterface
    interface Serve {
        void serve(Request request, Response response, Callback callback, long startNanos);
    }

    private enum State { HOLDING, OPEN, STOPPED }

    private static final class Held {
        final Request request;
        final Response response;
        final Callback callback;
        final Metrics.Route route;
        final long startNanos;
        final Executor executor;
        volatile Scheduler.Task timer;

        Held(Request request, Response response, Callback callback, Metrics.Route route, long startNanos) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.route = route;
            this.startNanos = startNanos;
            this.executor = request.getComponents().getExecutor();
        }

        void cancelTimer() {
            Scheduler.Task task = timer;
            if (task != null) {
                task.cancel();
            }
        }
    }

    private final Metrics metrics;
    private final Object lock = new Object();
    private final LinkedHashSet<Held> held = new LinkedHashSet<>();
    private State state = State.HOLDING;
    private volatile int maxHeld;
    private volatile Duration maxWait;

    StartHold(Metrics metrics, int maxHeld, Duration maxWait) {
        this.metrics = metrics;
        bound(maxHeld, maxWait);
    }

    /** At most {@code maxHeld} requests at once (0: none held), each for at most {@code maxWait}. */
    void bound(int maxHeld, Duration maxWait) {
        if (maxHeld < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("held requests and their wait must not be negative, not " + maxHeld + " and " + maxWait);
        }
        this.maxHeld = maxHeld;
        this.maxWait = maxWait;
    }

    /**
     * Holds a request that arrived while goto is starting, or answers it 503 if none more may be
     * held or goto is stopping. Returns false, answering nothing, if goto has opened meanwhile:
     * the caller then serves it as usual.
     */
    boolean hold(Request request, Response response, Callback callback, Metrics.Route route, long startNanos) {
        Held entry = new Held(request, response, callback, route, startNanos);
        State now;
        synchronized (lock) {
            now = state;
            if (now == State.OPEN) {
                return false;
            }
            if (now == State.HOLDING && held.size() < maxHeld) {
                held.add(entry);
            } else {
                now = null; // over the limit
            }
        }
        if (now == null) {
            metrics.heldAtStart(HeldOutcome.OVER_LIMIT);
            metrics.request(route, starting(response, callback), startNanos);
        } else if (now == State.STOPPED) {
            metrics.request(route, stopping(response, callback), startNanos);
        } else {
            metrics.heldAtStart(HeldOutcome.HELD);
            request.addFailureListener(failure -> {
                if (release(entry)) {
                    callback.failed(failure); // the client went away: nothing to answer
                }
            });
            entry.timer = request.getComponents().getScheduler().schedule(() -> {
                if (release(entry)) {
                    metrics.heldAtStart(HeldOutcome.TIMED_OUT);
                    metrics.request(route, starting(response, callback), startNanos);
                }
            }, maxWait.toNanos(), TimeUnit.NANOSECONDS);
            if (!isHeld(entry)) {
                entry.cancelTimer(); // released before its timer was set
            }
        }
        return true;
    }

    /** Serves every held request through {@code route} on the server's executor; later ones are not held. */
    void open(Serve route) {
        for (Held entry : takeAll(State.OPEN)) {
            entry.cancelTimer();
            metrics.heldAtStart(HeldOutcome.SERVED);
            Runnable serve = () -> route.serve(entry.request, entry.response, entry.callback, entry.startNanos);
            try {
                entry.executor.execute(serve);
            } catch (RejectedExecutionException e) {
                serve.run();
            }
        }
    }

    /** Answers every held request 503, as a stop answers, and every later one; for a start that fails. */
    void stop() {
        for (Held entry : takeAll(State.STOPPED)) {
            entry.cancelTimer();
            metrics.heldAtStart(HeldOutcome.STOPPED);
            metrics.request(entry.route, stopping(entry.response, entry.callback), entry.startNanos);
        }
    }

    /** How many requests are held now. */
    int size() {
        synchronized (lock) {
            return held.size();
        }
    }

    private List<Held> takeAll(State next) {
        synchronized (lock) {
            if (state == State.HOLDING) {
                state = next;
            }
            List<Held> all = new ArrayList<>(held);
            held.clear();
            return all;
        }
    }

    private boolean release(Held entry) {
        synchronized (lock) {
            return held.remove(entry);
        }
    }

    private boolean isHeld(Held entry) {
        synchronized (lock) {
            return held.contains(entry);
        }
    }

    static int starting(Response response, Callback callback) {
        response.getHeaders().put(Responses.RETRY_SOON);
        return Responses.text(response, callback, 503, "goto is starting: it is still loading its links. Retry in a moment.\n");
    }

    private static int stopping(Response response, Callback callback) {
        response.getHeaders().put(Responses.CLOSE);
        response.getHeaders().put(Responses.RETRY_SOON);
        return Responses.text(response, callback, 503, ServerErrors.SHUTTING_DOWN);
    }
}
