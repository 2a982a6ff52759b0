package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 tests judge a killed child by what it printed, so the kill must lose none of it:
 * here the reader is held back on the first line while the child prints the rest and is killed,
 * so that every other line is still in the pipe at the kill, deterministically.
 */
class ChildLinesTest {
    /** About 45 KB: more than the reader's buffers hold (some 24 KB), less than a pipe (64 KiB), so the child never blocks. */
    private static final int LINES = 4000;

    @TempDir
    Path dir;

    /** The child: prints {@code COUNT} lines, then creates {@code MARKER} and waits to be killed. */
    public static final class Printer {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                out.println("line " + i);
            }
            Files.createFile(Path.of(args[1]));
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void aKillLosesNoLineTheChildPrintedBeforeIt() throws Exception {
        Path printed = dir.resolve("printed");
        CountDownLatch killed = new CountDownLatch(1);
        List<String> command = ChildLines.javaCommand(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), Printer.class,
                String.valueOf(LINES), printed.toString());
        try (ChildLines child = ChildLines.start(command, dir.resolve("printer.err"), line -> {
            if (line.equals("line 0")) {
                awaitQuietly(killed); // the reader falls behind: the other lines wait in the pipe
            }
        })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(printed) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(printed).as("the child printed every line and waits").exists();
            assertThat(child.isAlive()).isTrue();

            child.sigkill();
            while (child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("the child is gone").isFalse();
            killed.countDown();

            List<String> lines = child.awaitOutputEnd(Duration.ofSeconds(60));
            assertThat(lines).as("every line printed before the kill").isEqualTo(IntStream.range(0, LINES).mapToObj(i -> "line " + i).toList());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
