package gotourl.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request headers take longer than a deadline to arrive: a new
 * connection must send its first complete request within the deadline of opening, and a kept-alive
 * one each later request within the deadline of its first byte. The idle timeout alone lets a slow
 * client (slowloris) keep a connection by sending a byte now and then; Jetty has no header read
 * timeout, so goto adds this one, like Go's ReadHeaderTimeout. Time spent waiting for goto's answer
 * or idle between requests does not count.
 *
 * <p>Each connection is looked at {@value #CHECKS_PER_DEADLINE} times per deadline, and closed
 * when that many looks in a row find the same request still in its headers; a trickled request is
 * thus cut between three quarters of the deadline and the deadline.
 */
final class HeaderDeadline implements Connection.Listener {
    private static final int CHECKS_PER_DEADLINE = 4;

    private final Scheduler scheduler;
    private final long checkMillis;

    HeaderDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.checkMillis = Math.max(1, deadline.toMillis() / CHECKS_PER_DEADLINE);
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
        }
    }

    /** One connection's checks; runs on the scheduler thread only, so its fields need no lock. */
    private final class Watch implements Runnable {
        private final HttpConnection connection;
        private long messagesSeen;
        private int checksInSameHeaders;
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
            long messages = connection.getMessagesIn();
            if (readingHeaders(messages)) {
                checksInSameHeaders = messages == messagesSeen ? checksInSameHeaders + 1 : 1;
            } else {
                checksInSameHeaders = 0;
            }
            messagesSeen = messages;
            if (checksInSameHeaders >= CHECKS_PER_DEADLINE) {
                connection.getEndPoint().close();
                return;
            }
            schedule();
        }

        /** A new connection counts as reading headers from the start, even before its first byte. */
        private boolean readingHeaders(long messages) {
            HttpParser parser = connection.getParser();
            return parser.inHeaderState() && (messages == 0 || !parser.isStart());
        }
    }
}
