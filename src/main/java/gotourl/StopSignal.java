package gotourl;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Why and whether goto should stop; completed once, by a signal, a failure or a test. */
public final class StopSignal {

    /** @param failure true when goto stops because something broke (exit code 1) */
    public record Reason(String why, boolean failure) {}

    private final CompletableFuture<Reason> reason = new CompletableFuture<>();
    private volatile Duration expectedStopTime = Config.DEFAULT_SHUTDOWN_TIMEOUT;

    public void stop(String why, boolean failure) {
        reason.complete(new Reason(why, failure));
    }

    /** Runs {@code action} once a stop is asked for (at once if it was), on the thread that asks. */
    public void onStop(Runnable action) {
        reason.thenRun(action);
    }

    public boolean isStopped() {
        return reason.isDone();
    }

    public Reason await() throws InterruptedException {
        try {
            return reason.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How long a stop may take once requested; the JVM's shutdown hook waits that long. */
    public void expectStopWithin(Duration time) {
        expectedStopTime = time;
    }

    Duration expectedStopTime() {
        return expectedStopTime;
    }
}
