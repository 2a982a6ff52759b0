package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * goto's log line ({@link LogConfigurator.LineLayout}) is the line Logback's {@code PatternLayout}
 * writes for {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger - %msg%n}, stack traces
 * included: what operators and log shippers already parse does not change.
 */
class LogLineTest {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger - %msg%n";

    private final LoggerContext context = new LoggerContext();

    private String[] both(LoggingEvent event) {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(PATTERN);
        pattern.start();
        LogConfigurator.LineLayout line = new LogConfigurator.LineLayout();
        line.setContext(context);
        line.start();
        return new String[] {pattern.doLayout(event), line.doLayout(event)};
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... arguments) {
        Logger target = context.getLogger(logger);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), target, level, message, thrown, arguments);
        event.setTimeStamp(1_764_595_663_054L);
        return event;
    }

    @Test
    void aLineIsThePatternsLine() {
        String[] lines = both(event("goto.replay", Level.INFO, "{}: wrote its index image ({} plain links) in {} ms", null,
                "links.data", 1_000_000, 485));
        assertThat(lines[1]).isEqualTo(lines[0]).endsWith(" INFO goto.replay - links.data: wrote its index image (1000000 plain links) in 485 ms"
                + System.lineSeparator());
    }

    @Test
    void aThrowablesStackTraceFollowsItsLineAsThePatternWritesIt() {
        IOException cause = new IOException("disk full");
        RuntimeException thrown = new IllegalStateException("the writer stopped", cause);
        String[] lines = both(event("goto.writer", Level.ERROR, "append failed", thrown));
        assertThat(lines[1]).isEqualTo(lines[0]).contains("ERROR goto.writer - append failed")
                .contains("java.lang.IllegalStateException: the writer stopped").contains("Caused by: java.io.IOException: disk full");
    }

    @Test
    void everyLevelIsNamedAsThePatternNamesIt() {
        for (Level level : new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            String[] lines = both(event("org.eclipse.jetty.server.Server", level, "plain text, no arguments", null));
            assertThat(lines[1]).isEqualTo(lines[0]);
        }
    }
}
