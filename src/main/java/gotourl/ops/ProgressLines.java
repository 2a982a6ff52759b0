package gotourl.ops;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Prints the lines a progress bar ({@code me.tongfei:progressbar}) renders when standard output or
 * error is not a terminal, one per line, each passed through {@code clean} first, but never the
 * same line twice in a row: closing, the bar renders its last state twice (a last refresh, then
 * the final one), which a terminal redraws in place but a log would print twice. Used by
 * {@code goto check} and {@code goto import}; thread-safe (the bar renders on its own thread).
 */
public final class ProgressLines implements Consumer<String> {
    private final PrintStream out;
    private final UnaryOperator<String> clean;
    private String previous;

    /** Lines to {@code out}, each as {@code clean} returns it. */
    public ProgressLines(PrintStream out, UnaryOperator<String> clean) {
        this.out = out;
        this.clean = clean;
    }

    @Override
    public synchronized void accept(String rendered) {
        String line = clean.apply(rendered);
        if (!line.equals(previous)) {
            out.println(line);
            previous = line;
        }
    }
}
