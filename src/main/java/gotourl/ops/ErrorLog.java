package gotourl.ops;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failures inside goto (the causes of 500 answers) so that a flood cannot fill the disk: each
 * cause, named by its exception class and the frame that threw it, gets one line with the stack
 * trace per interval ({@link LogLimiter}), and its later occurrences are counted into the next
 * line. The id given to the client is derived from the cause, so every 500 of one cause shows the
 * id of the stack trace in the log. What the request carried is escaped and cut ({@link LogText}).
 */
public final class ErrorLog {
    private static final Logger LOG = LoggerFactory.getLogger("goto.http");
    private static final int TRACE_FRAMES = 30;

    private final LogLimiter limiter;

    public ErrorLog(LogLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * Logs (or counts) a failure met while answering {@code method} {@code target} and returns
     * its id: eight hex digits, the same for every failure of the same cause.
     */
    public String internalError(String method, String target, Throwable failure) {
        String cause = cause(failure);
        String id = String.format(Locale.ROOT, "%08x", cause.hashCode());
        String request = LogText.sample(method, 16) + " " + LogText.sample(target);
        LogLimiter.Verdict verdict = limiter.admit(cause, request);
        if (verdict.write()) {
            LOG.error("internal error {} on {}{}\n{}", id, request, verdict.leftOutNote(), trace(failure));
        }
        return id;
    }

    /** The exception's class and where it was thrown: what makes two failures the same bug. */
    static String cause(Throwable failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        return failure.getClass().getName() + (frames.length == 0 ? "" : " at " + frames[0]);
    }

    /**
     * A stack trace whose messages are escaped and cut: an exception's message may quote what a
     * client sent. At most {@value #TRACE_FRAMES} frames per exception, causes included.
     */
    public static String trace(Throwable failure) {
        StringBuilder out = new StringBuilder();
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 8; depth++, current = current.getCause()) {
            if (depth > 0) {
                out.append("\nCaused by: ");
            }
            out.append(current.getClass().getName());
            if (current.getMessage() != null) {
                out.append(": ").append(LogText.sample(current.getMessage()));
            }
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, TRACE_FRAMES); i++) {
                out.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > TRACE_FRAMES) {
                out.append("\n\t... ").append(frames.length - TRACE_FRAMES).append(" more");
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return out.toString();
    }
}
