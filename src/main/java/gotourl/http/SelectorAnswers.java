package gotourl.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on the application listener's selector thread, between its selects: the store's
 * writer hands it the answers of one group commit (a durable add's response, a REST create's)
 * as one task.
 *
 * <p>Why. An answer completed off the selector thread (on the writer) hands its connection's
 * next read interest to the selector through the selector's locked update queue, and wakes the
 * selector up, once per answer: with 64 clients on one core that hand-off was 13% of all CPU
 * samples of durable adds, and the woken selector and the writer took the core from each other
 * all through a commit. Answered from the selector's own update pass, a commit costs one queued
 * update and at most one wake-up, and each connection's read interest is set on the thread that
 * owns it (Jetty's {@link ManagedSelector#submit}, the public way to run code there).
 *
 * <p>Every task runs exactly once: before the server runs and once it has stopped (or its
 * selector has), tasks run on the caller's thread; tasks queued when the selector stopped
 * before reaching them run in {@link #stop}. A task must not block, like everything on a
 * selector thread; one that throws is logged and the rest still run.
 */
public final class SelectorAnswers implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger("goto.http");

    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** One update object, queued once per hand-off; each run takes every task waiting. */
    private final ManagedSelector.SelectorUpdate drain = selector -> drain();
    private final LongAdder handOffs = new LongAdder();
    private volatile ManagedSelector selector;
    private volatile boolean stopped;

    SelectorAnswers() {
    }

    /** Binds to {@code connector}'s first selector; called once the server has started. */
    void bind(ServerConnector connector) {
        ManagedSelector managed = connector.getSelectorManager().getBean(ManagedSelector.class);
        if (managed == null) {
            LOG.warn("{} listener has no selector to answer on; group commits are answered on the writer",
                    connector.getName());
        }
        selector = managed;
    }

    /**
     * Runs {@code task} on the selector thread at its next update pass, or at once on this
     * thread when there is no running selector. Never throws.
     */
    @Override
    public void execute(Runnable task) {
        waiting.add(task);
        ManagedSelector target = selector;
        if (stopped || target == null || !target.isRunning()) {
            drain();
            return;
        }
        handOffs.increment();
        target.submit(drain);
    }

    /** Tasks handed to the selector so far (not those run on the caller's thread); for tests. */
    long handOffs() {
        return handOffs.sum();
    }

    /** From now on runs tasks on the caller's thread, and runs the ones the selector never reached. */
    void stop() {
        stopped = true;
        drain();
    }

    private void drain() {
        for (Runnable task = waiting.poll(); task != null; task = waiting.poll()) {
            try {
                task.run();
            } catch (Throwable failure) {
                LOG.error("answering a group commit failed; its clients may get no answer", failure);
            }
        }
    }
}
