package gotourl.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Holds every request to one deadline for arriving whole, headers and body together: a new
 * connection must send its first complete request within the deadline of opening, and a kept-alive
 * one each later request within the deadline of its first byte. The idle timeout alone lets a slow
 * client (slowloris) keep a connection by sending a byte now and then, in its headers or in a body
 * it declared; Jetty has no such read timeout, so goto adds this one, like Go's ReadTimeout. Time
 * spent waiting for goto's answer, or idle between requests, does not count.
 *
 * <p>A request still in its headers at the deadline has its connection closed (there is no
 * request to answer yet). A request whose body is still arriving has its read failed with
 * {@link Exceeded}, so the route answers 408 saying why; if it is still arriving at the next look,
 * the connection is closed.
 *
 * <p>Each connection is looked at {@value #CHECKS_PER_DEADLINE} times per deadline, and a request
 * is cut when that many looks in a row find it still arriving; a trickled request is thus cut
 * between three quarters of the deadline and the deadline.
 */
final class RequestDeadline implements Connection.Listener {
    private static final int CHECKS_PER_DEADLINE = 4;

    /** The read of a body failed because the whole request did not arrive within the deadline. */
    static final class Exceeded extends TimeoutException {
        Exceeded(Duration deadline) {
            super("the request did not arrive whole within " + deadline.toSeconds() + " s");
        }
    }

    private final Scheduler scheduler;
    private final Duration deadline;
    private final long checkMillis;
    private volatile Runnable onCut = () -> {};

    RequestDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.checkMillis = Math.max(1, deadline.toMillis() / CHECKS_PER_DEADLINE);
    }

    /** Calls {@code counter} each time a connection is closed because its request was still arriving. */
    void onCut(Runnable counter) {
        onCut = counter;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            Watch watch = new Watch(http);
            connection.addEventListener(new Connection.Listener() {
                @Override
                public void onClosed(Connection closed) {
                    watch.cancel();
                }
            });
            watch.schedule();
        } else if (connection instanceof PlainRedirectConnection plain) {
            // Until its first byte; from then on its requests are answered at once or are Jetty's,
            // whose connection is watched from the hand-off.
            Scheduler.Task task = scheduler.schedule(() -> {
                if (plain.awaitsFirstRequest()) {
                    onCut.run();
                    plain.getEndPoint().close();
                }
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
            connection.addEventListener(new Connection.Listener() {
                @Override
                public void onClosed(Connection closed) {
                    task.cancel();
                }
            });
        }
    }

    /** One connection's checks; runs on the scheduler thread only, so its fields need no lock. */
    private final class Watch implements Runnable {
        private final HttpConnection connection;
        private long requestSeen = -1;
        private int checksOnSameRequest;
        private volatile Scheduler.Task next;
        private volatile boolean cancelled;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void schedule() {
            if (!cancelled) {
                next = scheduler.schedule(this, checkMillis, TimeUnit.MILLISECONDS);
            }
        }

        void cancel() {
            cancelled = true;
            Scheduler.Task task = next;
            if (task != null) {
                task.cancel();
            }
        }

        @Override
        public void run() {
            if (cancelled || !connection.getEndPoint().isOpen()) {
                return;
            }
            long arriving = requestArriving();
            checksOnSameRequest = arriving >= 0 && arriving == requestSeen ? checksOnSameRequest + 1 : arriving >= 0 ? 1 : 0;
            requestSeen = arriving;
            if (checksOnSameRequest == CHECKS_PER_DEADLINE && connection.getParser().inContentState()
                    && !connection.onIdleExpired(new Exceeded(deadline))) {
                // A handler is reading the body: its read fails, so it can answer 408 and close.
                schedule();
                return;
            }
            if (checksOnSameRequest >= CHECKS_PER_DEADLINE) {
                onCut.run();
                connection.getEndPoint().close();
                return;
            }
            schedule();
        }

        /**
         * The ordinal of the request still arriving (its headers or its body), or -1 if none is.
         * Jetty counts a request once its headers are complete, so one arriving in its headers
         * is the next after the count and one arriving in its body is the count itself. A new
         * connection counts as arriving from the start, even before its first byte.
         */
        private long requestArriving() {
            HttpParser parser = connection.getParser();
            long requests = connection.getMessagesIn();
            if (parser.inContentState()) {
                return requests;
            }
            if (parser.inHeaderState() && (requests == 0 || !parser.isStart())) {
                return requests + 1;
            }
            return -1;
        }
    }
}
