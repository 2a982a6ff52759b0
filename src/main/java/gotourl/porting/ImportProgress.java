package gotourl.porting;

import gotourl.ops.ProgressLines;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.UnaryOperator;
import me.tongfei.progressbar.DefaultProgressBarRenderer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * The import's progress (the seeds' {@code du} ticker, with a library's bar): how much of the
 * input was read, out of how much when its size is known ({@link Bytes}), the rate, the time left,
 * and links so far. On a terminal the bar redraws in place
 * every {@value #TERMINAL_UPDATE_MILLIS} ms; elsewhere (a log, a pipe, CI) it prints a plain line
 * every {@value #LOG_UPDATE_MILLIS} ms, with no carriage returns or escape sequences. The bar's
 * refresh thread is the library's, started here and stopped by {@link #close}.
 */
final class ImportProgress implements AutoCloseable {
    static final int TERMINAL_UPDATE_MILLIS = 200;
    static final int LOG_UPDATE_MILLIS = 2_000;
    /** How often, in links, the importing thread looks at the clock. */
    private static final int STEP_LINKS = 1024;
    /**
     * How often, at most, it tells the bar where it is: a tenth of the terminal's redraw interval,
     * so no redraw shows a stale count. (Once per {@value #STEP_LINKS} links, the count's
     * formatting, which never runs often enough to be compiled, was 7% of a 1M-link import's
     * importing thread.)
     */
    private static final long UPDATE_NANOS = TERMINAL_UPDATE_MILLIS * 1_000_000L / 10;

    private final ProgressBar bar;
    private final Counting input;
    private long links;
    private long updated = System.nanoTime();

    private ImportProgress(ProgressBar bar, Counting input) {
        this.bar = bar;
        this.input = input;
    }

    /** Progress over {@code in}, whose size is {@code bytes} (-1 when unknown, as for stdin or a pipe). */
    static ImportProgress over(InputStream in, long bytes, String task, PrintStream err, boolean terminal) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(bytes).setRenderer(new Bytes());
        if (terminal) {
            builder.setUpdateIntervalMillis(TERMINAL_UPDATE_MILLIS);
        } else {
            builder.setUpdateIntervalMillis(LOG_UPDATE_MILLIS)
                    .setConsumer(new DelegatingProgressBarConsumer(new ProgressLines(err, UnaryOperator.identity()), 100));
        }
        return new ImportProgress(builder.build(), new Counting(in));
    }

    /** The input, counted as it is read. */
    InputStream input() {
        return input;
    }

    /** One more link read. */
    void link() {
        if (++links % STEP_LINKS == 0) {
            long now = System.nanoTime();
            if (now - updated >= UPDATE_NANOS) {
                updated = now;
                update();
            }
        }
    }

    private void update() {
        bar.stepTo(input.count);
        bar.setExtraMessage(String.format(" %,d links", links));
    }

    @Override
    public void close() {
        update();
        bar.close();
    }

    /**
     * The library's bar, its byte counts in the unit that fits them: bytes under 10 kB, kB under
     * 10 MB, MB above (whole units, so a count is never more than 10% under the truth), chosen by
     * the total, or by the count so far when the total is unknown. A unit chosen once from the
     * size, as the library's is, showed "0/0 kB" for all of a file under 1 kB and "0/? MB" for all
     * of a small stdin. Renders on the library's refresh thread only.
     */
    static final class Bytes extends DefaultProgressBarRenderer {
        private final DecimalFormat rate = new DecimalFormat(); // the library's default format

        Bytes() {
            super(ProgressBarStyle.ASCII, "", 1, true, null, ChronoUnit.SECONDS, true, Bytes::linearEta);
        }

        /** Bytes per unit for counts up to {@code bytes}: 1 (B), 1,000 (kB) or 1,000,000 (MB). */
        private static long unitSize(long bytes) {
            return bytes < 10_000 ? 1 : bytes < 10_000_000 ? 1_000 : 1_000_000;
        }

        private static String unitName(long unitSize) {
            return unitSize == 1 ? " B" : unitSize == 1_000 ? " kB" : " MB";
        }

        private static long unitSize(ProgressState progress) {
            return unitSize(progress.isIndefinite() ? progress.getCurrent() : progress.getMax());
        }

        @Override
        protected String ratio(ProgressState progress) {
            long unit = unitSize(progress);
            String max = progress.isIndefinite() ? "?" : Long.toString(progress.getMax() / unit);
            String current = Long.toString(progress.getCurrent() / unit);
            return " ".repeat(Math.max(0, max.length() - current.length())) + current + "/" + max + unitName(unit);
        }

        @Override
        protected String speed(ProgressState progress) {
            long unit = unitSize(progress);
            long seconds = progress.getElapsedAfterStart().getSeconds();
            return (seconds == 0 ? "?" : rate.format((double) (progress.getCurrent() - progress.getStart()) / seconds / unit))
                    + unitName(unit) + "/s";
        }

        /** The library's own estimate (its {@code Util.linearEta}, which it does not export). */
        private static Optional<Duration> linearEta(ProgressState progress) {
            long done = progress.getCurrent() - progress.getStart();
            if (progress.getMax() <= 0 || progress.isIndefinite() || done == 0) {
                return Optional.empty();
            }
            return Optional.of(progress.getElapsedAfterStart().dividedBy(done).multipliedBy(progress.getMax() - progress.getCurrent()));
        }
    }

    /** Counts the bytes read through it: written by the reading thread, read by the importing one. */
    private static final class Counting extends FilterInputStream {
        private volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }
    }
}
