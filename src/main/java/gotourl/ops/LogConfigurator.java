package gotourl.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * goto's logging, set up in code (Logback finds it through {@code META-INF/services}, which
 * spares each start the parsing of an XML file): one line per event on stderr, goto at INFO,
 * Jetty at WARN and through {@link JettyLogFilter}, so that nothing a client sends reaches the log
 * verbatim or without a rate limit.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The time in ISO 8601 with its offset, the level, the logger, the message. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
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
}
