package gotourl.check;

import gotourl.ops.ProgressLines;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code goto check}'s progress: links checked of all, rate and ETA, drawn by the progressbar
 * library. On a terminal it redraws one line in place; otherwise (a pipe, a file, CI) it prints a
 * plain line every {@link #PLAIN_INTERVAL_MILLIS}, the seeds' {@code du} ticker, with no carriage
 * return or escape sequence, so a log stays readable. Thread-safe ({@link #step} from the workers).
 */
public final class CheckProgress implements AutoCloseable {
    /** A plain line every 5 s: a log of a long check gets a dozen lines a minute, not hundreds. */
    static final int PLAIN_INTERVAL_MILLIS = 5_000;

    private final ProgressBar bar;

    private CheckProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** Progress over {@code total} links on {@code out}: redrawn in place when {@code terminal}, plain lines otherwise. */
    public static CheckProgress start(PrintStream out, long total, boolean terminal) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("checking").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" links", 1).showSpeed(new java.text.DecimalFormat("#,##0.0")).setSpeedUnit(ChronoUnit.SECONDS);
        if (terminal) {
            builder.setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(250);
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(new ProgressLines(out, CheckProgress::plain), 100))
                    .setUpdateIntervalMillis(PLAIN_INTERVAL_MILLIS);
        }
        return new CheckProgress(builder.build());
    }

    /** One more link checked. */
    public void step() {
        bar.step();
    }

    /** The line without control characters (the library draws none in this style; this makes sure). */
    static String plain(String line) {
        return line.replaceAll("\\p{Cntrl}\\[[0-9;]*[A-Za-z]", "").replaceAll("\\p{Cntrl}", "").stripTrailing();
    }

    /** Draws the last state and stops the ticker. */
    @Override
    public void close() {
        bar.close();
    }
}
