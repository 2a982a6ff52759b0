import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.DSYNC;
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
 *
 * <p>A fourth argument, {@code overwrite}, forces writes over zeros written and forced beforehand
 * (a file that changes no size or extent at a force, so that the file system has no metadata to
 * commit); {@code both} does the two in alternated blocks of 100 forces, to compare them at the
 * same moments of a disk others use. {@code dsync} compares two ways of making a write over such
 * zeros durable, in alternated blocks of 100: a write then {@code force(false)} (fdatasync), and a
 * write through a channel opened with {@code DSYNC} (O_DSYNC: the write returns once on disk),
 * each timed from the write's start to the data on disk.
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

    /** One way of writing: the forces' samples, and where the next write goes. */
    private static final class Mode {
        final String name;
        final FileChannel channel;
        final boolean overwrite;
        /** Timed from the write's start; the write alone makes it durable when the channel is O_DSYNC. */
        boolean timeWrite;
        boolean synced;
        final long[] wall;
        final long[] cpu;
        final long[] delay;
        final long[] blocked;
        long position;
        int done;

        Mode(String name, FileChannel channel, boolean overwrite, int n) {
            this.name = name;
            this.channel = channel;
            this.overwrite = overwrite;
            wall = new long[n];
            cpu = new long[n];
            delay = new long[n];
            blocked = new long[n];
        }

        /** Writes BYTES where the next record goes and forces; sampled unless {@code warm}. */
        void once(ByteBuffer buffer, boolean warm) throws Exception {
            buffer.clear();
            long[] before = timeWrite ? sched() : null;
            long start = System.nanoTime();
            while (buffer.hasRemaining()) {
                position += overwrite ? channel.write(buffer, position) : channel.write(buffer);
            }
            if (!timeWrite) {
                before = sched();
                start = System.nanoTime();
            }
            if (!synced) {
                channel.force(false);
            }
            long end = System.nanoTime();
            long[] after = sched();
            if (!warm) {
                int i = done++;
                wall[i] = end - start;
                cpu[i] = after[0] - before[0];
                delay[i] = after[1] - before[1];
                blocked[i] = Math.max(0, wall[i] - cpu[i] - delay[i]);
            }
        }

        void print(int bytes) {
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
            System.out.printf("%d forces of %d %s bytes each, µs:%n", wall.length, bytes, name);
            System.out.println(distribution("wall", wall));
            System.out.println(distribution("blocked on the disk", blocked));
            System.out.println(distribution("CPU of the forcing thread", cpu));
            System.out.println(distribution("run delay", delay));
            System.out.printf("above 5 ms wall: %.2f%% of forces, %.1f%% of the time forcing%n", 100.0 * slow / wall.length,
                    100.0 * slowTime / total);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 4 && args[3].matches("append|overwrite|both|dsync"))) {
            System.err.println("usage: java bench/ForceLatency.java N BYTES FILE [append|overwrite|both|dsync]");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        int bytes = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        String which = args.length == 4 ? args[3] : "append";
        Path zeros = Path.of(args[2] + ".zeros");
        Path dsyncZeros = Path.of(args[2] + ".dsync");
        Files.deleteIfExists(file);
        Files.deleteIfExists(zeros);
        Files.deleteIfExists(dsyncZeros);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        java.util.List<Mode> modes = new java.util.ArrayList<>();
        try (FileChannel appending = FileChannel.open(file, CREATE, WRITE, APPEND);
             FileChannel overwriting = FileChannel.open(zeros, CREATE, WRITE);
             FileChannel dsync = which.equals("dsync") ? FileChannel.open(dsyncZeros, CREATE, WRITE, DSYNC) : null) {
            if (!which.equals("overwrite") && !which.equals("dsync")) {
                modes.add(new Mode("appended", appending, false, n));
            }
            if (!which.equals("append")) {
                // Zeros written and forced beforehand over every byte the forces will overwrite:
                // a force then changes no size and no extent, only data blocks.
                ByteBuffer zero = ByteBuffer.allocateDirect(1 << 20);
                long size = (long) (n + 200) * bytes;
                for (FileChannel channel : dsync == null ? java.util.List.of(overwriting) : java.util.List.of(overwriting, dsync)) {
                    for (long at = 0; at < size; at += zero.capacity()) {
                        zero.clear();
                        channel.write(zero, at);
                    }
                    channel.force(true);
                }
                Mode forced = new Mode(dsync == null ? "overwritten (zeros written and forced beforehand)"
                        : "overwritten, write + fdatasync timed together", overwriting, true, n);
                forced.timeWrite = dsync != null;
                modes.add(forced);
                if (dsync != null) {
                    Mode synced = new Mode("overwritten through O_DSYNC, the write timed", dsync, true, n);
                    synced.timeWrite = true;
                    synced.synced = true;
                    modes.add(synced);
                }
            }
            for (int i = -200; i < 0; i++) {
                for (Mode mode : modes) {
                    mode.once(buffer, true);
                }
            }
            // In blocks of 100, alternated, so that both ways meet the same moments of the disk.
            for (int i = 0; i < n; i += 100) {
                for (Mode mode : modes) {
                    for (int j = i; j < Math.min(n, i + 100); j++) {
                        mode.once(buffer, false);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(zeros);
            Files.deleteIfExists(dsyncZeros);
        }
        for (Mode mode : modes) {
            mode.print(bytes);
        }
    }
}
