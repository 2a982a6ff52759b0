package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A goto command in a child JVM whose files may not grow past a size ({@code prlimit --fsize}), so
 * that a write past it fails for real with {@code EFBIG} ("File too large"), as a full disk fails
 * it with {@code ENOSPC}: what the disk-full tests of the commands run. The child's output comes
 * back through pipes, as a file would be held to the same limit.
 */
public final class FileSizeLimit {
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    /** How a command ended: its exit code, and what it wrote to stdout and to stderr (UTF-8). */
    public record Run(int exitCode, String out, String err) {
        /** Stdout, then stderr: for what is looked for in either. */
        public String output() {
            return out + err;
        }
    }

    private FileSizeLimit() {}

    /** Whether util-linux's prlimit is installed (a test without it is skipped). */
    public static boolean available() {
        return Files.isExecutable(PRLIMIT);
    }

    /**
     * {@code goto ARGS} in a child JVM on this test's classpath whose files may not grow past
     * {@code maxFileBytes} ({@link Long#MAX_VALUE}: no limit, and no prlimit); waits up to 120 s
     * for it to end.
     */
    public static Run run(long maxFileBytes, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (maxFileBytes != Long.MAX_VALUE) {
            command.addAll(List.of(PRLIMIT.toString(), "--fsize=" + maxFileBytes));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "gotourl.Main"));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).start();
        // Both pipes at once: a child that fills one while the other is read would wait for ever.
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(child.getErrorStream()));
        String out = text(child.getInputStream());
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("goto " + String.join(" ", args) + " still running").isTrue();
        return new Run(child.exitValue(), out, err.join());
    }

    private static String text(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
