package gotourl.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not sent one complete request within a deadline of opening. The
 * idle timeout alone lets a slow client (slowloris) keep a connection by sending a byte now and
 * then; Jetty has no header read timeout, so goto adds this one, like Go's ReadHeaderTimeout.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long deadlineMillis;

    HeaderDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        Scheduler.Task check = scheduler.schedule(() -> {
            if (connection.getMessagesIn() == 0) {
                connection.getEndPoint().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection closed) {
                check.cancel();
            }
        });
    }
}
