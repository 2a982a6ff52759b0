package gotourl.store.log;

import gotourl.ForwardingFileChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real data file's channel, with a hook before each write and each force: the way tests make
 * a disk fail, stall or count forces, through {@link LogLinkStore.Options#withWriteChannel}.
 * Everything else goes straight to the file.
 */
class HookedChannel extends ForwardingFileChannel {
    /** Runs before an operation; throwing fails it, blocking stalls it. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = () -> {};

        void before() throws IOException;
    }

    volatile Hook beforeWrite = Hook.NONE;
    volatile Hook beforeForce = Hook.NONE;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    HookedChannel(FileChannel file) {
        super(file);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        beforeWrite.before();
        writes.incrementAndGet();
        return file.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        beforeWrite.before();
        writes.incrementAndGet();
        return file.write(sources, offset, length);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        beforeWrite.before();
        writes.incrementAndGet();
        return file.write(source, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        beforeForce.before();
        forces.incrementAndGet();
        file.force(metaData);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
        beforeWrite.before();
        return file.transferFrom(source, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("the writer does not map the file");
    }
}
