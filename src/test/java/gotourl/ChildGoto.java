package gotourl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * goto in a child JVM, for what only a real process shows: kill -9, SIGTERM, exit codes. It runs
 * {@code gotourl.Main} on this test's classpath and logs to a file; {@link #awaitServing} reads
 * the bound ports from goto's start-up line.
 */
public final class ChildGoto implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on \\S*:(\\d+) .*?admin \\(health, metrics\\) (?:on \\S*:(\\d+)|off)");

    private final Process process;
    private final Path log;
    private int appPort = -1;
    private int adminPort = -1;

    private ChildGoto(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code goto ARGS}; its stdout and stderr go to {@code log}. */
    public static ChildGoto start(Path log, String... args) throws IOException {
        Process process = new ProcessBuilder(command(args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildGoto(process, log);
    }

    /**
     * Starts {@code goto ARGS} under the file mode creation mask {@code umask} (octal, as the
     * shell's {@code umask} takes it), whatever this JVM's own: a test of the modes of the files
     * goto makes then does not depend on the umask it was run under.
     */
    public static ChildGoto startUnderUmask(Path log, String umask, String... args) throws IOException {
        Process process = underUmask(umask, command(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildGoto(process, log);
    }

    /** The command line that runs {@code goto ARGS} in a JVM on this test's classpath. */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("gotourl.Main");
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@code command} run by {@code sh} after {@code umask UMASK}, through {@code exec}: the process
     * started is the command's own (a signal to it reaches the command).
     */
    public static ProcessBuilder underUmask(String umask, List<String> command) {
        if (!umask.matches("[0-7]{1,4}")) {
            throw new IllegalArgumentException("umask " + umask + " is not an octal mask such as 022");
        }
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        shell.addAll(command);
        return new ProcessBuilder(shell);
    }

    /**
     * JVM flags for children that live a second or two, as in kill -9 cycles: C1 only and the serial
     * collector start goto in about two thirds of the time, and cost nothing that such a run needs.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    /** Starts {@code goto ARGS} in a JVM with {@code jvmOptions} added (e.g. {@link #QUICK_START}). */
    public static ChildGoto startWithJvmOptions(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("gotourl.Main");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildGoto(process, log);
    }

    /** Waits until goto says it is serving; fails with its log if it exits or takes too long. */
    public ChildGoto awaitServing(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher serving = SERVING.matcher(log());
            if (serving.find()) {
                appPort = Integer.parseInt(serving.group(1));
                adminPort = serving.group(2) == null ? -1 : Integer.parseInt(serving.group(2));
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("goto exited with " + process.exitValue() + " before serving:\n" + log());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("goto did not start serving within " + timeout + ":\n" + log());
    }

    public int appPort() {
        return appPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** SIGKILL: no shutdown hook, no drain. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a service manager stops goto. */
    public void sigterm() {
        process.destroy();
    }

    /** The exit code, or fails if goto is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("goto still running after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
