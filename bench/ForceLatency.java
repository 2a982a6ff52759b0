import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * What one force (fdatasync) costs on the disk under a file, told apart from waiting for a core.
 *
 * <p>Usage: {@code java bench/ForceLatency.java N BYTES FILE} (JDK 22 or later; run it pinned and
 * niced like the server, e.g. {@code taskset -c 1 nice -n 19}). Appends BYTES to FILE (created,
 * deleted at the end) and forces it with {@code FileChannel.force(false)}, as goto's writer does for
 * a group commit, 200 times unmeasured and then N times. Around each force it reads the thread's
 * {@code /proc/thread-self/schedstat} (Linux only), and prints, in µs, the distribution (mean, p50,
 * p90, p99, p99.9, max) of: the wall time; the time blocked on the disk (wall − the thread's CPU −
 * its run delay, the time it was runnable and not running); the thread's CPU; its run delay; and
 * the share of forces, and of the time spent forcing, above 5 ms wall.
 */
public class ForceLatency {
    private static final Path SCHED = Path.of("/proc/thread-self/schedstat");

    /** The thread's CPU time and run delay so far, ns. */
    private static long[] sched() throws Exception {
        String[] fields = Files.readString(SCHED).trim().split(" ");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    private static String distribution(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double sum = 0;
        for (long x : sorted) {
            sum += x;
        }
        return String.format("%-28s mean %6.0f  p50 %6.0f  p90 %6.0f  p99 %6.0f  p99.9 %6.0f  max %6.0f", name, sum / 1e3 / n,
                sorted[n / 2] / 1e3, sorted[n * 9 / 10] / 1e3, sorted[n * 99 / 100] / 1e3, sorted[n * 999 / 1000] / 1e3,
                sorted[n - 1] / 1e3);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java bench/ForceLatency.java N BYTES FILE");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        int bytes = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        Files.deleteIfExists(file);
        long[] wall = new long[n];
        long[] cpu = new long[n];
        long[] delay = new long[n];
        long[] blocked = new long[n];
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        try (FileChannel channel = FileChannel.open(file, CREATE, WRITE, APPEND)) {
            for (int i = -200; i < n; i++) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                long[] before = sched();
                long start = System.nanoTime();
                channel.force(false);
                long end = System.nanoTime();
                long[] after = sched();
                if (i >= 0) {
                    wall[i] = end - start;
                    cpu[i] = after[0] - before[0];
                    delay[i] = after[1] - before[1];
                    blocked[i] = Math.max(0, wall[i] - cpu[i] - delay[i]);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        long total = 0;
        long slowTime = 0;
        int slow = 0;
        for (long w : wall) {
            total += w;
            if (w > 5_000_000) {
                slow++;
                slowTime += w;
            }
        }
        System.out.printf("%d forces of %d appended bytes each, µs:%n", n, bytes);
        System.out.println(distribution("wall", wall));
        System.out.println(distribution("blocked on the disk", blocked));
        System.out.println(distribution("CPU of the forcing thread", cpu));
        System.out.println(distribution("run delay", delay));
        System.out.printf("above 5 ms wall: %.2f%% of forces, %.1f%% of the time forcing%n", 100.0 * slow / n, 100.0 * slowTime / total);
    }
}
