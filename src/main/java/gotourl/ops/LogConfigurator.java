package gotourl.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;

/**
 * goto's logging, set up in code (Logback finds it through {@code META-INF/services}, which
 * spares each start the parsing of an XML file): one line per event on stderr, goto at INFO,
 * Jetty at WARN and through {@link JettyLogFilter}, so that nothing a client sends reaches the log
 * verbatim or without a rate limit.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        // Yauaa prints a banner and rule-loading statistics at INFO; goto logs what it loaded itself.
        context.getLogger("nl.basjes").setLevel(Level.WARN);
        // The PostgreSQL store logs what it loaded and each outage; the pool's and the
        // migrations' routine lines at INFO add nothing an operator acts on.
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);

        JettyLogFilter jetty = new JettyLogFilter();
        jetty.setContext(context);
        jetty.start();
        context.addTurboFilter(jetty);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * One event as one line: the time in ISO 8601 with its offset (milliseconds), the level, the
     * logger, the message, then the stack trace of its throwable if it has one, as Logback's
     * {@code PatternLayout} with {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger - %msg%n}
     * writes it. Written out rather than as that pattern: setting up the pattern machinery (its
     * ~50 converters, each linked through a method reference) was 30–50 ms of every goto's start,
     * an import's included.
     */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
            line.append(' ').append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)); // its lines, each ended
            }
            return line.toString();
        }
    }
}
