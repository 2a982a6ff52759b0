package gotourl.check;

import gotourl.fetch.Cancellation;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The seeds' bounded crawler for links: a virtual thread per link, at most {@code concurrency}
 * fetching at once (a counting semaphore, the seeds' {@code sema}) and at most {@code perHost} at
 * once against one host (politeness: one semaphore per host, taken before the global one, so a
 * link waiting for a busy host holds no global permit). Cancellation is the seeds' closed
 * {@code done} channel: {@link Cancellation#cancel} aborts the fetches in flight and interrupts
 * the workers still waiting, so {@link #run} returns within moments.
 */
public final class CheckRun {
    /** A link to check: the life it belongs to ({@code shortCode} created at {@code linkCreated}) and its long URL. */
    public record Target(String shortCode, Instant linkCreated, String longUrl) {}

    /** A link's verdict. */
    public record Result(Target target, LinkHealth health) {}

    /** Told of each verdict as it comes, on the worker's thread (so it must be thread-safe). */
    @FunctionalInterface
    public interface Listener {
        void checked(Result result);
    }

    /** At most this many links are started and not finished at once, so a million links are not a million parked threads. */
    private static final int MIN_WINDOW = 1024;

    private final LinkChecker checker;
    private final int concurrency;
    private final int perHost;

    /** Throws {@link IllegalArgumentException} unless both bounds are at least 1. */
    public CheckRun(LinkChecker checker, int concurrency, int perHost) {
        if (concurrency < 1 || perHost < 1) {
            throw new IllegalArgumentException("concurrency and per-host bound must be at least 1, not " + concurrency + " and " + perHost);
        }
        this.checker = checker;
        this.concurrency = concurrency;
        this.perHost = perHost;
    }

    /**
     * Checks every target and returns the verdicts, in the order they finished; a link not
     * judged before {@code cancel} (or before an interrupt) has none. Blocks until every worker
     * has ended.
     */
    public List<Result> run(List<Target> targets, Cancellation cancel, Listener listener) {
        List<Result> results = Collections.synchronizedList(new ArrayList<>(targets.size()));
        Semaphore global = new Semaphore(concurrency);
        Semaphore window = new Semaphore(Math.max(MIN_WINDOW, concurrency * 16));
        ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();
        try (ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("goto-check-", 0).factory())) {
            cancel.onCancel(workers::shutdownNow);
            for (Target target : targets) {
                if (cancel.isCancelled()) {
                    break;
                }
                try {
                    window.acquire();
                } catch (InterruptedException e) {
                    cancel.cancel("interrupted");
                    Thread.currentThread().interrupt();
                    break;
                }
                Semaphore host = hosts.computeIfAbsent(hostOf(target.longUrl()), h -> new Semaphore(perHost));
                try {
                    workers.execute(() -> {
                        try {
                            checkOne(target, host, global, cancel, results, listener);
                        } finally {
                            window.release();
                        }
                    });
                } catch (RejectedExecutionException cancelled) {
                    window.release();
                    break;
                }
            }
        }
        return results;
    }

    private void checkOne(Target target, Semaphore host, Semaphore global, Cancellation cancel, List<Result> results,
                          Listener listener) {
        try {
            host.acquire();
            try {
                global.acquire();
                try {
                    if (cancel.isCancelled()) {
                        return;
                    }
                    LinkHealth health = checker.check(target.longUrl(), cancel);
                    if (health != null) {
                        Result result = new Result(target, health);
                        results.add(result);
                        listener.checked(result);
                    }
                } finally {
                    global.release();
                }
            } finally {
                host.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the worker ends without a verdict
        }
    }

    /** The host politeness is counted by: the URL's host, lowercased ("" when it has none, which the fetch refuses). */
    static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            int start = url.indexOf("://");
            int end = start < 0 ? -1 : url.indexOf('/', start + 3);
            return start < 0 ? "" : (end < 0 ? url.substring(start + 3) : url.substring(start + 3, end)).toLowerCase(Locale.ROOT);
        }
    }
}
