package gotourl.store.log;

import gotourl.ForwardingFileChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The real channel, remembering how much of the file a power loss would leave: goto only
 * appends, so what survives is the file up to its size at the last force. Tests build a
 * "crash image" of the disk from that, at any moment, without crashing anything.
 */
final class PowerLossChannel extends ForwardingFileChannel {
    private volatile long forced;

    PowerLossChannel(FileChannel file) {
        super(file);
        try {
            this.forced = file.size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
        forced = file.size();
    }

    /** The bytes of the file a power loss now would leave. */
    byte[] survivingBytes() throws IOException {
        long length = forced;
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate((int) length);
        while (bytes.hasRemaining()) {
            if (file.read(bytes, bytes.position()) < 0) {
                break;
            }
        }
        return bytes.array();
    }
}
