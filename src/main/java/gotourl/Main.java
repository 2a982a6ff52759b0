package gotourl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts goto from the command line. SIGTERM and SIGINT reach goto through a JVM shutdown hook
 * that asks the running command to stop and waits for it, so the drain happens in order and the
 * process exits with the command's own exit code.
 */
public final class Main {
    private static final long HOOK_MARGIN_MILLIS = 2_000;

    private Main() {}

    public static void main(String[] args) {
        StopSignal stop = new StopSignal();
        CountDownLatch finished = new CountDownLatch(1);
        int[] exitCode = {1};
        Thread hook = shutdownHook(stop, finished, exitCode);
        Runtime.getRuntime().addShutdownHook(hook);

        exitCode[0] = Cli.run(args, System.out, System.err, System.getenv(), stop);
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return; // the hook is running and will halt with exitCode
        }
        System.exit(exitCode[0]);
    }

    /**
     * The JVM shutdown hook (not yet registered): asks {@code stop} to stop, waits for
     * {@code finished} up to the stop's expected time plus a margin, then halts with
     * {@code exitCode[0]} (1 if the command had not finished). Made here, not inline in
     * {@link #main}, so that {@link AotTraining} makes one too and its lambda comes from the
     * ahead-of-time cache instead of being spun at every start.
     */
    static Thread shutdownHook(StopSignal stop, CountDownLatch finished, int[] exitCode) {
        return new Thread(() -> {
            stop.stop("received a termination signal (SIGTERM or SIGINT)", false);
            try {
                finished.await(stop.expectedStopTime().toMillis() + HOOK_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // halt, not exit: exit would wait for this very hook. Every stream is flushed by now.
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(finished.getCount() == 0 ? exitCode[0] : 1);
        }, "goto-shutdown-hook");
    }
}
