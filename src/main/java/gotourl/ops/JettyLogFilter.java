package gotourl.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Tames Jetty's own log lines, which quote what clients send (a bad Host header, verbatim, at
 * WARN, up to the 16 KiB of a header) and may carry a stack trace each: every event of
 * {@code org.eclipse.jetty} that would be written is replaced by one of goto's, escaped and cut
 * ({@link LogText}), at most once per kind per minute ({@link LogLimiter}: the kind is the logger,
 * the message template and the exception's class and throwing frame, never the client's text),
 * with a count of those left out. Installed for the whole process by {@code logback.xml}, as
 * Logback's configuration is.
 */
public final class JettyLogFilter extends TurboFilter {
    private static final org.slf4j.Logger OUT = LoggerFactory.getLogger("goto.jetty");
    private static final String JETTY = "org.eclipse.jetty";

    private final LogLimiter limiter;

    /** What {@code logback.xml} creates: one line per kind per minute. */
    public JettyLogFilter() {
        this(LogLimiter.perMinute());
    }

    JettyLogFilter(LogLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !logger.getName().startsWith(JETTY) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL; // level checks, and events that would not be written anyway
        }
        Throwable failure = t;
        Object[] args = params;
        if (failure == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            failure = last;
        }
        String message = LogText.sample(MessageFormatter.arrayFormat(format, args).getMessage());
        String kind = logger.getName() + " | " + format + (failure == null ? "" : " | " + ErrorLog.cause(failure));
        LogLimiter.Verdict verdict = limiter.admit(kind, message);
        if (verdict.write()) {
            String line = "jetty " + logger.getName().substring(JETTY.length() + 1) + ": " + message + verdict.leftOutNote()
                    + (failure == null ? "" : "\n" + ErrorLog.trace(failure));
            if (level.isGreaterOrEqual(Level.ERROR)) {
                OUT.error(line);
            } else if (level.isGreaterOrEqual(Level.WARN)) {
                OUT.warn(line);
            } else {
                OUT.info(line);
            }
        }
        return FilterReply.DENY;
    }
}
