package gotourl.http;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the access log from one thread, {@code goto-access-log}, fed through a bounded queue: a
 * request only hands its line over, and when the disk cannot keep up lines are dropped and
 * counted, never piled up or waited for. Jetty's file writer would also start a JVM-wide
 * rollover timer thread that nothing stops; goto does not rotate its access log.
 */
final class AccessLogWriter extends AbstractLifeCycle implements RequestLog.Writer {
    private static final Logger LOG = LoggerFactory.getLogger("goto.access");
    /** A few seconds of lines at tens of thousands of requests a second; about 2 MB at most. */
    private static final int QUEUE_LINES = 16_384;
    private static final long POLL_MILLIS = 100;
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final Path file;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopping;
    private Writer out;
    private Thread thread;

    /** @param file the log file, appended to; null for standard error */
    AccessLogWriter(Path file) {
        this.file = file;
    }

    @Override
    protected void doStart() throws IOException {
        out = file == null ? new OutputStreamWriter(System.err, StandardCharsets.UTF_8) : open(file);
        stopping = false;
        thread = new Thread(this::writeLines, "goto-access-log");
        thread.start();
    }

    private static Writer open(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IOException("cannot write the access log " + file + ": its directory " + directory
                    + " does not exist; create it, or give -access-log another file");
        }
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot write the access log " + file + ": permission denied", e);
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
            throw new IOException("cannot write the access log " + file + ": " + reason, e);
        }
    }

    @Override
    public void write(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private void writeLines() {
        try {
            while (!stopping || !queue.isEmpty()) {
                String line = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (line != null) {
                    out.write(masked(line));
                    out.write('\n');
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.error("writing the access log {} failed; goto goes on without it: {}", where(), e.toString());
            queue.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws InterruptedException, IOException {
        stopping = true;
        thread.join(STOP_WAIT_MILLIS);
        if (thread.isAlive()) {
            LOG.warn("the access log writer did not finish within {} ms; {} lines are not written", STOP_WAIT_MILLIS, queue.size());
            thread.interrupt();
        }
        if (file == null) {
            out.flush();
        } else {
            out.close();
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warn("{} access log lines were dropped because {} could not keep up", lost, where());
        }
    }

    /**
     * The line with the value of any {@code ticket} query parameter replaced by {@code ***}: a
     * live-feed ticket is a credential, if a short-lived one, and is never logged. On this thread,
     * not the request's.
     */
    static String masked(String line) {
        int at = line.indexOf("ticket=");
        if (at < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length());
        int from = 0;
        while (at >= 0) {
            int value = at + "ticket=".length();
            int end = value;
            while (end < line.length() && "& \"#".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            out.append(line, from, value).append("***");
            from = end;
            at = line.indexOf("ticket=", end);
        }
        return out.append(line, from, line.length()).toString();
    }

    private String where() {
        return file == null ? "standard error" : file.toString();
    }
}
