package gotourl.events;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open stream: its response, its small bounded buffer of chunks not yet written, and at most
 * one write in flight (Jetty allows one). The broadcaster thread {@link #offer}s chunks; the write
 * that completes takes the next ones, on whatever thread Jetty completes it; a lock of a few
 * instructions guards the buffer between the two. Nothing here blocks.
 *
 * <p>A subscriber whose unwritten bytes (besides the write in flight, and unless its buffer is
 * empty) would pass {@code maxBufferedBytes} is too slow (its client
 * stopped reading, or reads slower than events come): {@link #offer} returns false, and the
 * broadcaster drops it. Closing aborts the connection when a write is stuck, so a stalled client
 * never holds a thread, a buffer or a shutdown.
 */
final class Subscriber implements Callback {
    private final Response response;
    private final Callback done;
    /** The key id whose links this subscriber sees, or null for an admin key (sees all). */
    final String authorScope;
    private final int maxBufferedBytes;

    private final java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private int bufferedBytes;
    private boolean writing;
    /** Set once: the stream is ending (last write pending or done) or has failed. */
    private boolean ending;
    private ByteBuffer last;

    /** A stream that fails on its own (the client went away) is {@link #isDone}, and the broadcaster forgets it. */
    Subscriber(Response response, Callback done, String authorScope, int maxBufferedBytes) {
        this.response = response;
        this.done = done;
        this.authorScope = authorScope;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /** Queues {@code chunk} and starts writing if idle; false, queuing nothing, when the buffer would overflow or the stream ended. */
    boolean offer(ByteBuffer chunk) {
        ByteBuffer toWrite;
        synchronized (this) {
            if (ending) {
                return false;
            }
            if (bufferedBytes > 0 && bufferedBytes + chunk.remaining() > maxBufferedBytes) {
                return false; // an empty buffer takes one chunk of any size: a burst is not a slow client
            }
            buffer.add(chunk);
            bufferedBytes += chunk.remaining();
            if (writing) {
                return true;
            }
            writing = true;
            toWrite = takeAll();
        }
        write(toWrite);
        return true;
    }

    /** Ends the stream cleanly after what is buffered, with {@code farewell} last. */
    void end(ByteBuffer farewell) {
        boolean writeNow;
        synchronized (this) {
            if (ending) {
                return;
            }
            ending = true;
            last = farewell;
            writeNow = !writing;
            writing = true;
        }
        if (writeNow) {
            writeLast();
        }
    }

    /** Aborts the connection: the client was too slow, or a stop's deadline came first. */
    void abort(String why) {
        synchronized (this) {
            ending = true;
            last = null;
            buffer.clear();
        }
        complete(new TimeoutException(why));
    }

    /** Whether the stream has ended, cleanly or not. */
    boolean isDone() {
        return completed.get();
    }

    /** Completes Jetty's callback for the request once, whichever of the end, a failure or an abort comes first. */
    private void complete(Throwable failure) {
        if (completed.compareAndSet(false, true)) {
            if (failure == null) {
                done.succeeded();
            } else {
                done.failed(failure);
            }
        }
    }

    @Override
    public void succeeded() {
        ByteBuffer toWrite;
        synchronized (this) {
            if (buffer.isEmpty()) {
                if (ending && last != null) {
                    toWrite = null;
                } else {
                    writing = false;
                    return;
                }
            } else {
                toWrite = takeAll();
            }
        }
        if (toWrite == null) {
            writeLast();
        } else {
            write(toWrite);
        }
    }

    /** A write that throws instead of failing its callback (a stream already aborted) fails it all the same. */
    private void write(ByteBuffer chunk) {
        try {
            response.write(false, chunk, this);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void failed(Throwable failure) {
        synchronized (this) {
            ending = true;
            last = null;
            buffer.clear();
        }
        complete(failure);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING; // a write call and a few fields: fine on a selector thread
    }

    private void writeLast() {
        ByteBuffer farewell;
        ByteBuffer rest;
        synchronized (this) {
            farewell = last;
            last = null;
            rest = buffer.isEmpty() ? null : takeAll();
        }
        if (farewell == null) {
            return; // aborted meanwhile
        }
        ByteBuffer all = rest == null ? farewell : ByteBuffer.allocate(rest.remaining() + farewell.remaining()).put(rest).put(farewell).flip();
        response.write(true, all, Callback.from(() -> complete(null), this::complete));
    }

    /** Every buffered chunk as one buffer (one write, one syscall). Called holding the lock. */
    private ByteBuffer takeAll() {
        ByteBuffer out;
        if (buffer.size() == 1) {
            out = buffer.poll();
        } else {
            out = ByteBuffer.allocate(bufferedBytes);
            for (ByteBuffer chunk; (chunk = buffer.poll()) != null; ) {
                out.put(chunk);
            }
            out.flip();
        }
        bufferedBytes = 0;
        return out;
    }
}
