package gotourl.protect;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where password hashes are made and checked: off Jetty's selector threads, on virtual threads
 * ({@code goto-password}), at most {@link #running()} at once (a {@link Semaphore}: each check is
 * ~70 ms of one core and 19 MiB), and at most {@link #maxWaiting()} more waiting their turn. A
 * request beyond that is refused at once with {@link BusyException} (the caller answers 503),
 * so a flood of password posts can neither exhaust the CPU nor pile up threads and memory:
 * redirects and adds keep the other core. Owned by whoever starts goto, closed at shutdown.
 */
public final class PasswordChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.protect");
    /** Half the cores, at least one: the checks take turns, and redirects and adds keep the other half. */
    public static final int DEFAULT_RUNNING = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Waiting checks: 64 of ~70 ms is ~4.5 s of queue on one core, about as long as a visitor will wait. */
    public static final int DEFAULT_MAX_WAITING = 64;

    /** Refused because {@link #maxWaiting()} checks are already waiting. */
    public static final class BusyException extends RuntimeException {
        BusyException(int waiting) {
            super("goto is busy checking passwords (" + waiting + " waiting); retry in a moment", null, false, false);
        }
    }

    private final Semaphore permits;
    private final int running;
    private final int maxWaiting;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("goto-password-", 0).factory());

    /** With {@link #DEFAULT_RUNNING} at once and {@link #DEFAULT_MAX_WAITING} waiting. */
    public PasswordChecks() {
        this(DEFAULT_RUNNING, DEFAULT_MAX_WAITING);
    }

    public PasswordChecks(int running, int maxWaiting) {
        if (running < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("password checks need 1 or more running and 0 or more waiting, not "
                    + running + " and " + maxWaiting);
        }
        this.running = running;
        this.maxWaiting = maxWaiting;
        this.permits = new Semaphore(running, true);
    }

    /** Completes with {@link Passwords#hash} of {@code password}, or with {@link BusyException} or its refusal. */
    public CompletableFuture<String> hash(String password) {
        return submit(() -> Passwords.hash(password));
    }

    /** Completes with {@link Passwords#verify}, or exceptionally with {@link BusyException}. */
    public CompletableFuture<Boolean> verify(String password, String hash) {
        return submit(() -> Passwords.verify(password, hash));
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        int now = inFlight.incrementAndGet();
        if (now > running + maxWaiting) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new BusyException(now - 1 - running));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    permits.acquire();
                    try {
                        value = work.get();
                    } finally {
                        permits.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IllegalStateException("goto is stopping; the password was not checked");
                } catch (Throwable e) {
                    failure = e;
                }
                // The check leaves the count before its caller hears the answer: whoever reads
                // inFlight() once every answer is in sees none left.
                inFlight.decrementAndGet();
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException stopped) {
            inFlight.decrementAndGet();
            result.completeExceptionally(new IllegalStateException("goto is stopping; the password was not checked"));
        }
        return result;
    }

    /** How many checks run at once. */
    public int running() {
        return running;
    }

    /** How many may wait beyond those running before one is refused. */
    public int maxWaiting() {
        return maxWaiting;
    }

    /** Checks running or waiting now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Takes no more checks and waits up to {@code deadline} for those taken. Returns how many were still running. */
    public int close(Duration deadline) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                int left = inFlight.get();
                LOG.warn("{} password checks were still running at the shutdown deadline; interrupting them", left);
                threads.shutdownNow();
                return left;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
        return 0;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
