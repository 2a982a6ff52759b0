package gotourl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data file's channel with a hand on it, for tests of what goto does when the disk is slow
 * or fails: {@link #holdForces()} makes the writer's next forces wait until {@link #release()},
 * {@link #failForces} makes them fail. Everything else goes to the real file. Plugged in through
 * {@code LogLinkStore.Options.withWriteChannel(gate::wrap)}.
 */
public final class GatedFileChannel extends ForwardingFileChannel {
    private final Gates gates;

    private GatedFileChannel(FileChannel file, Gates gates) {
        super(file);
        this.gates = gates;
    }

    /** The controls shared by the channel a store opens. */
    public static final class Gates {
        private volatile CountDownLatch forceGate;
        private final CountDownLatch forceWaiting = new CountDownLatch(1);
        private final AtomicReference<IOException> forceFailure = new AtomicReference<>();
        private final AtomicInteger forces = new AtomicInteger();
        private final AtomicInteger writes = new AtomicInteger();
        private volatile String lastOperation = "none";

        /** Wraps the store's channel; pass as {@code withWriteChannel(gates::wrap)}. */
        public FileChannel wrap(FileChannel channel) {
            return new GatedFileChannel(channel, this);
        }

        /** Forces from now on wait until {@link #release()}. */
        public void holdForces() {
            forceGate = new CountDownLatch(1);
        }

        public void release() {
            CountDownLatch gate = forceGate;
            forceGate = null;
            if (gate != null) {
                gate.countDown();
            }
        }

        /** Forces from now on throw {@code failure}, as a failing disk does. */
        public void failForces(IOException failure) {
            forceFailure.set(failure);
        }

        /** Waits until a force is held at the gate. */
        public boolean awaitForceHeld(java.time.Duration timeout) throws InterruptedException {
            return forceWaiting.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        public int forces() {
            return forces.get();
        }

        public int writes() {
            return writes.get();
        }

        /** "write" or "force": what the writer did last to the file. */
        public String lastOperation() {
            return lastOperation;
        }
    }

    @Override
    public void force(boolean metaData) throws IOException {
        CountDownLatch gate = gates.forceGate;
        if (gate != null) {
            gates.forceWaiting.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                // As a real channel does when its thread is interrupted during I/O.
                Thread.currentThread().interrupt();
                throw new ClosedByInterruptException();
            }
        }
        IOException failure = gates.forceFailure.get();
        if (failure != null) {
            throw failure;
        }
        file.force(metaData);
        gates.forces.incrementAndGet();
        gates.lastOperation = "force";
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int written = file.write(src);
        gates.writes.incrementAndGet();
        gates.lastOperation = "write";
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long written = file.write(srcs, offset, length);
        gates.writes.incrementAndGet();
        gates.lastOperation = "write";
        return written;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int written = file.write(src, position);
        gates.writes.incrementAndGet();
        gates.lastOperation = "write";
        return written;
    }
}
