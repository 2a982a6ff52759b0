package gotourl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process whose stdout is read line by line while it runs, for kill -9 tests that judge
 * the killed child by what it said: {@link #kill9} loses no line the child printed before it died.
 *
 * <p>Why the kill goes through {@link ProcessHandle}: {@link Process#destroyForcibly()} on Linux
 * and macOS sends SIGKILL and then closes this side's end of the child's stdout, so the lines still
 * in the pipe, printed before the kill but not yet read, are thrown away and the reader ends on
 * "Stream closed". {@link ProcessHandle#destroyForcibly()} only sends the signal; when the child
 * has exited the JDK moves what is left in the pipe into the stream, and the reader reads it all.
 */
public final class ChildLines implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private volatile IOException readFailure;

    private ChildLines(Process process, Consumer<String> onLine) {
        this.process = process;
        this.reader = Thread.ofPlatform().name("child-output-" + process.pid()).start(() -> read(onLine));
    }

    /**
     * Starts {@code command} with its stderr going to {@code stderr}; {@code onLine} is told of each
     * line of stdout as it is read, on the reader thread (it may block: the lines wait in the pipe).
     */
    public static ChildLines start(List<String> command, Path stderr, Consumer<String> onLine) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildLines(process, onLine);
    }

    /** A command that runs {@code mainClass} with {@code args} in a JVM like this one, on this classpath. */
    public static List<String> javaCommand(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    private void read(Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
                onLine.accept(line);
            }
        } catch (IOException e) {
            readFailure = e; // a killed child's output ends with EOF (at worst mid-line), never with an error
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The lines read so far. */
    public List<String> linesSoFar() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * SIGKILL, then every line the child printed: waits up to {@code timeout} for it to exit and for
     * its output to be read to the end; fails if either does not happen or reading failed.
     */
    public List<String> kill9(Duration timeout) throws InterruptedException {
        sigkill();
        return awaitOutputEnd(timeout);
    }

    /** Sends SIGKILL and returns; {@link #awaitOutputEnd} then reads what the child printed. */
    public void sigkill() {
        process.toHandle().destroyForcibly(); // not process.destroyForcibly(): see the class comment
    }

    /** Every line the child printed, once it has exited and its output is read to the end. */
    public List<String> awaitOutputEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("child " + process.pid() + " still runs after " + timeout);
        }
        reader.join(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (reader.isAlive()) {
            throw new AssertionError("the output of child " + process.pid() + " was not read to its end within " + timeout
                    + " (" + linesSoFar().size() + " lines read)");
        }
        if (readFailure != null) {
            throw new AssertionError("reading the output of child " + process.pid() + " failed after " + linesSoFar().size()
                    + " lines", readFailure);
        }
        return linesSoFar();
    }

    /** Kills the child if it still runs; its output is not waited for. */
    @Override
    public void close() {
        if (process.isAlive()) {
            sigkill();
        }
    }
}
