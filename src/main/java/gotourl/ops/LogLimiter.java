package gotourl.ops;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides which log lines of a repeating kind are written: per kind, the first event of each
 * interval is written in full (with its stack trace, where it has one), and the others are only
 * counted; the next line of that kind then says how many were left out and gives one sample of
 * them. A client that sends a million bad requests thus writes one line per kind per interval,
 * not a million. Kinds must come from a bounded set (a logger and message template, an exception
 * class and the frame it was thrown at), never from client input.
 *
 * <p>The clock is a nanosecond ticker, injected so tests move time instead of sleeping.
 */
public final class LogLimiter {
    /** One line per kind per minute, as the README says. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Bounds the memory of kinds; past it, events of new kinds are all counted under one. */
    private static final int MAX_KINDS = 1_000;
    private static final String OVERFLOW_KIND = "(too many kinds of log line)";

    /** What to write for one event: whether its own line is written, and what was left out before it. */
    public record Verdict(boolean write, long leftOut, Duration leftOutOver, String leftOutSample) {
        /** ", after N more like it in the last S s (e.g. SAMPLE)", or "" when none were left out. */
        public String leftOutNote() {
            if (leftOut == 0) {
                return "";
            }
            return " (" + leftOut + " more like it left out of the log in the last " + leftOutOver.toSeconds() + " s"
                    + (leftOutSample == null ? "" : ", e.g. " + leftOutSample) + ")";
        }
    }

    private final long intervalNanos;
    private final LongSupplier ticker;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** The state of one kind: since when its interval runs, and what it has left out. */
    private static final class Window {
        long startNanos;
        long leftOut;
        String sample;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * @param interval how long after a written line of a kind its next events are only counted
     * @param ticker   the current time in nanoseconds, e.g. {@code System::nanoTime}
     */
    public LogLimiter(Duration interval, LongSupplier ticker) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, not " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.ticker = ticker;
    }

    /** The README's limiter: one line per kind per minute, on the system's monotonic clock. */
    public static LogLimiter perMinute() {
        return new LogLimiter(DEFAULT_INTERVAL, System::nanoTime);
    }

    /**
     * Counts one event of {@code kind}; {@code sample} (already escaped and cut) is kept for the
     * summary if the event is left out.
     */
    public Verdict admit(String kind, String sample) {
        long now = ticker.getAsLong();
        String key = windows.size() >= MAX_KINDS && !windows.containsKey(kind) ? OVERFLOW_KIND : kind;
        boolean[] fresh = {false};
        Window window = windows.computeIfAbsent(key, k -> {
            fresh[0] = true;
            return new Window(now);
        });
        synchronized (window) {
            if (fresh[0]) {
                return new Verdict(true, 0, Duration.ZERO, null);
            }
            if (now - window.startNanos < intervalNanos) {
                window.leftOut++;
                if (window.sample == null) {
                    window.sample = sample;
                }
                return new Verdict(false, 0, Duration.ZERO, null);
            }
            Verdict verdict = new Verdict(true, window.leftOut, Duration.ofNanos(now - window.startNanos), window.sample);
            window.startNanos = now;
            window.leftOut = 0;
            window.sample = null;
            return verdict;
        }
    }
}
