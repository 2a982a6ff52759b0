package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Builds and inspects data files byte by byte, for tests of the format and of damage. */
final class DataFiles {
    private DataFiles() {}

    static byte[] header() {
        return bytes(LogFormat.header());
    }

    /** A header as goto writes it, but claiming {@code version}, with a matching CRC. */
    static byte[] header(int version) {
        ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
        header.put(LogFormat.MAGIC).putShort((short) version).putShort((short) 0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 12);
        header.putInt((int) crc.getValue());
        return header.array();
    }

    static byte[] link(long createdMillis, String key, String url) {
        ByteBuffer out = ByteBuffer.allocate(LogFormat.linkFrameBytes(key, url));
        LogFormat.putLink(out, new CRC32C(), createdMillis, key, url);
        return out.array();
    }

    static byte[] link(String key, String url) {
        return link(1_700_000_000_000L, key, url);
    }

    static byte[] reservation(long through) {
        ByteBuffer out = ByteBuffer.allocate(LogFormat.FRAME_BYTES + LogFormat.RESERVATION_BYTES);
        LogFormat.putReservation(out, new CRC32C(), 1_700_000_000_000L, through);
        return out.array();
    }

    /** A link-with-fields record (type 3), or an edit (type 4) of the link to {@code link}'s fields. */
    static byte[] fields(byte type, gotourl.link.Link link) {
        ByteBuffer out = ByteBuffer.allocate(LinkRecords.fieldsFrameBytes(link));
        LinkRecords.putFields(out, new CRC32C(), type, link.dateCreated().toEpochMilli(), link);
        return out.array();
    }

    static byte[] delete(String code) {
        ByteBuffer out = ByteBuffer.allocate(LinkRecords.deleteFrameBytes(code));
        LinkRecords.putDelete(out, new CRC32C(), 1_700_000_000_000L, code);
        return out.array();
    }

    static byte[] batch(int records) {
        ByteBuffer out = ByteBuffer.allocate(LogFormat.FRAME_BYTES + LogFormat.BATCH_BYTES);
        LogFormat.putBatch(out, new CRC32C(), records);
        return out.array();
    }

    /** A frame around any body, with a length and CRC that check out. */
    static byte[] frame(byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(LogFormat.FRAME_BYTES + body.length);
        out.putInt(body.length).putInt(0).put(body);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, 4);
        crc.update(body);
        out.putInt(4, (int) crc.getValue());
        return out.array();
    }

    /** A link body written field by field, so tests can make fields that do not fit their frame. */
    static byte[] linkBody(String key, int keyLength, String url, int urlLength) {
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 1 + key.length() + 2 + url.length());
        body.put(LogFormat.LINK).putLong(1_700_000_000_000L).put((byte) keyLength).put(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .putShort((short) urlLength).put(url.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return body.array();
    }

    static Path write(Path file, byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        Files.write(file, all.toByteArray());
        return file;
    }

    /** A data file holding links with keys a, b, c... to {@code https://example.com/N}. */
    static Map<String, String> writeLinks(Path file, int count) throws IOException {
        Map<String, String> links = new LinkedHashMap<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header());
        for (int i = 0; i < count; i++) {
            String key = gotourl.link.Keys.encode(i);
            String url = "https://example.com/" + i;
            links.put(key, url);
            all.writeBytes(link(key, url));
        }
        Files.write(file, all.toByteArray());
        return links;
    }

    /** Where each valid record of {@code file} starts, read strictly. */
    static List<Long> recordOffsets(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            LogReader reader = new LogReader(channel, file, null);
            List<Long> offsets = new ArrayList<>();
            while (reader.next()) {
                offsets.add(reader.recordOffset());
            }
            return offsets;
        }
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= (byte) 0xFF;
        Files.write(file, bytes);
    }

    static LogLinkStore open(Path file) throws IOException {
        return LogLinkStore.open(file, LogLinkStore.Options.defaults());
    }

    /** Adds {@code url} and waits for its key. */
    static String add(LogLinkStore store, String url) {
        return store.add(url).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    static void closeCleanly(LogLinkStore store) {
        assertThat(store.close(Duration.ofSeconds(10))).as("adds left unwritten at close").isZero();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
