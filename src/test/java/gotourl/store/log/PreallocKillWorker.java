package gotourl.store.log;

import gotourl.ForwardingFileChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process for {@link PreallocationKillTest}: adds links to a durable store whose file is
 * preallocated in small chunks, and says {@code ACK KEY URL} once each is acknowledged. The
 * {@code N}th slice of zeros is written half (its first half, at its place), then the
 * preallocator says {@code HALF} and waits there, so that the parent's kill -9 lands in the middle
 * of preallocating while adds go on.
 *
 * <pre>java gotourl.store.log.PreallocKillWorker FILE N</pre>
 */
public final class PreallocKillWorker {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private PreallocKillWorker() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int haltAt = Integer.parseInt(args[1]);
        AtomicInteger zeroWrites = new AtomicInteger();
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withIndexImage(false).withPreallocationChunk(16 * 1024)
                .withWriteChannel(channel -> new ForwardingFileChannel(channel) {
                    @Override
                    public int write(ByteBuffer source, long position) throws IOException {
                        if (source.remaining() > 1 && source.get(source.position()) == 0 && zeroWrites.incrementAndGet() == haltAt) {
                            ByteBuffer half = source.duplicate();
                            half.limit(half.position() + half.remaining() / 2);
                            file.write(half, position);
                            OUT.println("HALF " + position);
                            try {
                                Thread.sleep(300_000); // until the parent kills us
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return file.write(source, position);
                    }
                });
        LogLinkStore store = LogLinkStore.open(file, options);
        OUT.println("OPEN " + store.size());
        for (int i = 0; ; i++) {
            String url = "https://example.com/" + file.getFileName() + "/" + i;
            String key = store.add(url).join();
            OUT.println("ACK " + key + " " + url);
        }
    }
}
