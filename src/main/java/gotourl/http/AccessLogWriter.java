package gotourl.http;

import gotourl.files.OwnerOnly;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
            // A new log is 0600: its lines say who visited what. One that exists keeps its owner's mode.
            FileChannel channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder(), -1));
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
     * The query parameters whose values are credentials, never logged: a live-feed {@code ticket}
     * (short-lived), and an {@code apiKey}, which Shlink's clients put in the URL of Shlink's
     * {@code GET /short-urls/shorten}, the one route where goto reads it (elsewhere it answers
     * 401). Either way the key is a real one: written to the log, it would be readable by anyone
     * who can read the log.
     */
    private static final String[] SECRETS = {"ticket", "apiKey"};

    /**
     * The line with the value of every {@link #SECRETS} parameter ({@code name=}, the name in any
     * case, as sent or percent-encoded) replaced by {@code ***}. On this thread, not the
     * request's; allocates only for a line that has one or a percent-encoded parameter name.
     */
    static String masked(String line) {
        StringBuilder out = null;
        int from = 0;
        for (int equals = line.indexOf('='); equals >= 0; equals = line.indexOf('=', equals + 1)) {
            if (!secretBefore(line, equals)) {
                continue;
            }
            int end = equals + 1;
            while (end < line.length() && "& \"#".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            if (out == null) {
                out = new StringBuilder(line.length());
            }
            out.append(line, from, equals + 1).append("***");
            from = end;
            equals = end - 1;
        }
        return out == null ? line : out.append(line, from, line.length()).toString();
    }

    /**
     * Whether the parameter name that ends at {@code equals} ends with a {@link #SECRETS} name, in
     * any case, once percent-decoded: a query's names are decoded before they are read, so
     * {@code api%4Bey=...} is read as the key that {@code apiKey=...} is.
     */
    private static boolean secretBefore(String line, int equals) {
        for (String secret : SECRETS) {
            int start = equals - secret.length();
            if (start >= 0 && line.regionMatches(true, start, secret, 0, secret.length())) {
                return true;
            }
        }
        // Back to the name's start: a scan that stops at the '=' before too, so a line is read a
        // bounded number of times whatever it holds.
        int nameStart = equals;
        boolean encoded = false;
        while (nameStart > 0 && "&? \"=".indexOf(line.charAt(nameStart - 1)) < 0) {
            encoded |= line.charAt(--nameStart) == '%';
        }
        if (!encoded) {
            return false;
        }
        String name = percentDecoded(line, nameStart, equals);
        for (String secret : SECRETS) {
            if (name.regionMatches(true, name.length() - secret.length(), secret, 0, secret.length())) {
                return true;
            }
        }
        return false;
    }

    /** {@code line[from, to)} with each {@code %XX} decoded as one byte of UTF-8 (an invalid escape kept as it is). */
    private static String percentDecoded(String line, int from, int to) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '%' && i + 2 < to) {
                int high = Character.digit(line.charAt(i + 1), 16);
                int low = Character.digit(line.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    bytes.write(high << 4 | low);
                    i += 2;
                    continue;
                }
            }
            byte[] encoded = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            bytes.write(encoded, 0, encoded.length);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private String where() {
        return file == null ? "standard error" : file.toString();
    }
}
