package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.LinkEdit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data file extended ahead of the writer with zeros ({@link Preallocation}), on real files:
 * every reader takes the zeros for the end of the log, silently; the writer resumes at the last
 * record, not at the file's size; a crash that tore a record over the zeros, or left a gap in the
 * last write over them, is a torn tail; damage further from the zeros is still corruption.
 */
class PreallocationTest {
    /** Small chunks, so that tests see the file extended many times. */
    private static final long CHUNK = 256 * 1024;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    /** Without the index image, so that every start reads the file itself. */
    private static LogLinkStore openPreallocated(Path file, long chunk) throws IOException {
        return LogLinkStore.open(file, LogLinkStore.Options.defaults().withIndexImage(false).withPreallocationChunk(chunk));
    }

    /** The file read from its start, as a start without the index image reads it. */
    private static LogLinkStore openWithoutImage(Path file) throws IOException {
        return LogLinkStore.open(file, LogLinkStore.Options.defaults().withIndexImage(false));
    }

    /** Waits until the file holds zeros after the writer's end, and checks that they are zeros. */
    private static long awaitZerosAhead(LogLinkStore store, Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.size(file) <= store.fileBytes()) {
            assertThat(System.nanoTime()).as("the file extended ahead of the writer within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(zeroFrom(bytes, store.fileBytes())).as("nothing but zeros after the last record").isTrue();
        return bytes.length;
    }

    private static boolean zeroFrom(byte[] bytes, long from) {
        for (int i = (int) from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] zeros(int length) {
        return new byte[length];
    }

    private static long recordsEnd(Path file) throws IOException {
        List<Long> offsets = DataFiles.recordOffsets(file);
        byte[] bytes = Files.readAllBytes(file);
        long last = offsets.getLast();
        return last + LogFormat.FRAME_BYTES + LogReader.intAt(bytes, (int) last);
    }

    @Test
    void theFileIsExtendedAheadWithZerosAndReopensAtItsLastRecordWithTheZerosKept() throws Exception {
        List<String> keys = new ArrayList<>();
        long recordsEnd;
        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            assertThat(Files.size(file())).as("nothing written yet, nothing extended").isEqualTo(LogFormat.HEADER_BYTES);
            for (int i = 0; i < 50; i++) {
                keys.add(DataFiles.add(store, "https://example.com/" + i));
            }
            long size = awaitZerosAhead(store, file());
            assertThat(size).as("a chunk ahead of the records").isGreaterThanOrEqualTo(store.fileBytes() + CHUNK * 3 / 4);
            recordsEnd = store.fileBytes();
        }
        long sizeAfterClose = Files.size(file());
        assertThat(sizeAfterClose).isGreaterThan(recordsEnd);
        assertThat(recordsEnd(file())).as("the records end where the writer said").isEqualTo(recordsEnd);

        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            assertThat(store.replay().droppedBytes()).as("zeros are not a torn tail").isZero();
            assertThat(store.fileBytes()).as("the writer resumes after the last record").isEqualTo(recordsEnd);
            assertThat(Files.size(file())).as("the zeros kept, not cut and extended again").isEqualTo(sizeAfterClose);
            assertThat(store.size()).isEqualTo(50);
            for (int i = 0; i < 10; i++) {
                keys.add(DataFiles.add(store, "https://example.com/again/" + i));
            }
            assertThat(DataFiles.recordOffsets(file())).as("the new records follow the old ones").hasSize(60)
                    .contains(recordsEnd);
        }
        try (LogLinkStore store = openWithoutImage(file())) { // and without preallocation
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(60);
            for (int i = 0; i < 50; i++) {
                assertThat(store.longUrlOf(keys.get(i))).isEqualTo("https://example.com/" + i);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(store.longUrlOf(keys.get(50 + i))).isEqualTo("https://example.com/again/" + i);
            }
            assertThat(DataFiles.add(store, "https://example.com/last")).isEqualTo(Keys.encode(60));
        }
    }

    @Test
    void manyWritersRacingTheZerosLoseNoAcknowledgedLink() throws Exception {
        int threads = 4;
        int each = 400;
        List<List<String>> keys = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // 8 KiB chunks: the preallocator writes a slice every few group commits, racing the writer.
        try (LogLinkStore store = openPreallocated(file(), 8 * 1024)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> mine = new ArrayList<>();
                keys.add(mine);
                int thread = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            mine.add(DataFiles.add(store, "https://example.com/" + thread + "/" + i));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertThat(failure.get()).isNull();
            awaitZerosAhead(store, file());
        }
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(threads * each);
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < each; i++) {
                    assertThat(store.longUrlOf(keys.get(t).get(i))).isEqualTo("https://example.com/" + t + "/" + i);
                }
            }
        }
    }

    /**
     * The data file as goto writes through it, holding the preallocator's first write of zeros
     * until the writer has written (or half a second has passed): the writer must not write
     * where those zeros are going, or they land over its records.
     */
    private static final class ZerosHeldBack extends gotourl.ForwardingFileChannel {
        final CountDownLatch zerosWaiting = new CountDownLatch(1);
        final CountDownLatch recordsWritten = new CountDownLatch(1);

        ZerosHeldBack(java.nio.channels.FileChannel file) {
            super(file);
        }

        @Override
        public int write(java.nio.ByteBuffer source, long position) throws IOException {
            if (zerosWaiting.getCount() > 0 && source.remaining() > 0 && source.get(source.position()) == 0) {
                zerosWaiting.countDown();
                try {
                    recordsWritten.await(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return file.write(source, position);
        }

        @Override
        public int write(java.nio.ByteBuffer source) throws IOException {
            int written = file.write(source);
            if (zerosWaiting.getCount() == 0) {
                recordsWritten.countDown();
            }
            return written;
        }
    }

    @Test
    void zerosAreNeverWrittenOverRecordsWrittenWhileTheyWereOnTheirWay() throws Exception {
        AtomicReference<ZerosHeldBack> channel = new AtomicReference<>();
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withIndexImage(false).withPreallocationChunk(4096)
                .withWriteChannel(file -> {
                    ZerosHeldBack held = new ZerosHeldBack(file);
                    channel.compareAndSet(null, held);
                    return held;
                });
        String first;
        String second;
        try (LogLinkStore store = LogLinkStore.open(file(), options)) {
            first = DataFiles.add(store, "https://example.com/first"); // past the zeros: wakes the preallocator
            assertThat(channel.get().zerosWaiting.await(10, TimeUnit.SECONDS)).as("zeros on their way").isTrue();
            // Written while the zeros are held back, right where they go.
            second = DataFiles.add(store, "https://example.com/second");
        }
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.longUrlOf(first)).isEqualTo("https://example.com/first");
            assertThat(store.longUrlOf(second)).as("the record written while zeros were on their way").isEqualTo("https://example.com/second");
            assertThat(store.replay().droppedBytes()).isZero();
        }
    }

    @Test
    void aZeroTailOfAnyLengthIsTheEndOfTheLogToReplayRepairAndTheWriter() throws Exception {
        // As a kill in the middle of writing a slice of zeros leaves it: an odd length of them.
        Map<String, String> links = DataFiles.writeLinks(dir.resolve("records.data"), 20);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        DataFiles.write(file(), records, zeros(123_457));
        byte[] before = Files.readAllBytes(file());

        LogRepair.Report report = LogRepair.repair(file());
        assertThat(report.changed()).as(report.describe()).isFalse();
        assertThat(report.tornTailBytes()).isZero();
        assertThat(report.recordsKept()).isEqualTo(20);
        assertThat(Files.readAllBytes(file())).as("repair leaves it as it is").isEqualTo(before);

        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(20);
            links.forEach((key, url) -> assertThat(store.longUrlOf(key)).isEqualTo(url));
            assertThat(store.fileBytes()).isEqualTo(records.length);
            assertThat(DataFiles.add(store, "https://example.com/after")).isEqualTo(Keys.encode(20));
            assertThat(DataFiles.recordOffsets(file())).hasSize(21).contains((long) records.length);
            awaitZerosAhead(store, file());
        }
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.size()).isEqualTo(21);
            assertThat(store.longUrlOf(Keys.encode(20))).isEqualTo("https://example.com/after");
        }
    }

    @Test
    void aTornRecordFollowedByPreallocatedZerosIsCutOffAndTheNextAddsSurviveARestart() throws Exception {
        DataFiles.writeLinks(dir.resolve("records.data"), 10);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        byte[] next = DataFiles.link(Keys.encode(10), "https://example.com/torn");
        DataFiles.write(file(), records, Arrays.copyOf(next, next.length / 2), zeros(300_000));

        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            assertThat(store.replay().droppedBytes()).as("the torn half record and the zeros after it").isPositive();
            assertThat(Files.size(file())).as("cut where the last whole record ends").isEqualTo(records.length);
            assertThat(store.size()).isEqualTo(10);
            assertThat(DataFiles.add(store, "https://example.com/after")).isEqualTo(Keys.encode(10));
            awaitZerosAhead(store, file());
        }
        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(11);
            assertThat(store.longUrlOf(Keys.encode(10))).isEqualTo("https://example.com/after");
        }
    }

    /** The last write's records, some on disk after a page that never got there (zeros). */
    private byte[] lastWriteWithAGap(int firstKey, int gapBytes, int records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(zeros(gapBytes));
        for (int i = 0; i < records; i++) {
            out.writeBytes(DataFiles.link(Keys.encode(firstKey + i), "https://example.com/unacknowledged/" + i));
        }
        return out.toByteArray();
    }

    @Test
    void aWriteCutShortOverPreallocatedZerosIsATornTailNotCorruption() throws Exception {
        DataFiles.writeLinks(dir.resolve("records.data"), 10);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        // The last write's first page never reached the disk, a later one did: a gap of zeros, then
        // valid frames, then the preallocated zeros. Nothing of that write was acknowledged.
        DataFiles.write(file(), records, lastWriteWithAGap(15, 4096, 3), zeros(64 * 1024));

        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isPositive();
            assertThat(Files.size(file())).isEqualTo(records.length);
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.longUrlOf(Keys.encode(15))).isNull();
            assertThat(DataFiles.add(store, "https://example.com/after")).isEqualTo(Keys.encode(10));
        }
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(11);
        }
    }

    @Test
    void damageFartherFromTheZerosThanTheWriterLeavesUnforcedIsStillCorruption() throws Exception {
        DataFiles.writeLinks(dir.resolve("records.data"), 10);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        // Valid records more than MAX_UNFORCED_BYTES after the damage: they were forced, so the
        // damage is not a write cut short.
        int many = LogWriter.MAX_UNFORCED_BYTES / 40 + 100;
        DataFiles.write(file(), records, lastWriteWithAGap(15, 4096, many), zeros(64 * 1024));
        assertThatThrownBy(() -> DataFiles.open(file()).close()).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("corrupt");

        // Nor without zeros at the end: a gap before valid frames that end the file is damage, as always.
        DataFiles.write(file(), records, lastWriteWithAGap(15, 4096, 3));
        assertThatThrownBy(() -> DataFiles.open(file()).close()).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void aWriteWhoseFirstSectorWasLostWhereTheLastForceEndedIsATornTail() throws Exception {
        DataFiles.writeLinks(dir.resolve("records.data"), 10);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        // The last force ended mid-sector; that sector's next write (the rest of it) was lost, the
        // next sector's reached the disk: zeros from the end of the records to the sector's end only.
        int gap = LogReader.SECTOR_BYTES - records.length % LogReader.SECTOR_BYTES;
        gap += gap < LogFormat.FRAME_BYTES ? LogReader.SECTOR_BYTES : 0;
        DataFiles.write(file(), records, lastWriteWithAGap(15, gap, 3), zeros(64 * 1024));

        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isPositive();
            assertThat(Files.size(file())).isEqualTo(records.length);
            assertThat(store.size()).isEqualTo(10);
        }
    }

    @Test
    void aFlippedByteInForcedRecordsJustBeforeTheZerosIsCorruptionNotATornTail() throws Exception {
        // One byte damaged in a record forced long ago, with the records after it and the zeros
        // within 1 MiB of it: no zeros where the damage is, so no write was cut short there. Read
        // as a torn tail, a start (or goto export) truncated the file there, dropping every
        // acknowledged link after it and logging that none was lost.
        Map<String, String> links = DataFiles.writeLinks(dir.resolve("records.data"), 100);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        DataFiles.write(file(), records, zeros(64 * 1024));
        DataFiles.flipByte(file(), DataFiles.recordOffsets(file()).get(50) + LogFormat.FRAME_BYTES + 2);

        assertThatThrownBy(() -> openWithoutImage(file()).close()).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("corrupt");
        assertThat(Files.size(file())).as("nothing truncated").isEqualTo(records.length + 64 * 1024);

        assertThat(Repairs.run(file()).exitCode()).isZero();
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.size()).as("every link but the damaged one").isEqualTo(99);
            assertThat(store.longUrlOf(Keys.encode(99))).isEqualTo(links.get(Keys.encode(99)));
        }
    }

    @Test
    void compactionOfAPreallocatedFileKeepsEveryLinkAndTheNewFileIsExtendedInTurn() throws Exception {
        List<String> keys = new ArrayList<>();
        try (LogLinkStore store = openPreallocated(file(), CHUNK)) {
            for (int i = 0; i < 30; i++) {
                keys.add(DataFiles.add(store, "https://example.com/" + i));
            }
            for (int i = 0; i < 30; i++) {
                store.edit(keys.get(i), LinkEdit.none().title("edited " + i)).get(10, TimeUnit.SECONDS);
            }
            awaitZerosAhead(store, file());
            CompactionResult result = store.compact().get(30, TimeUnit.SECONDS);
            assertThat(result.bytesAfter()).isEqualTo(store.fileBytes());
            assertThat(recordsEnd(file())).isEqualTo(store.fileBytes());
            for (int i = 0; i < 10; i++) {
                keys.add(DataFiles.add(store, "https://example.com/after/" + i));
            }
            awaitZerosAhead(store, file());
        }
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(40);
            for (int i = 0; i < 30; i++) {
                assertThat(store.lookup(keys.get(i)).title()).isEqualTo("edited " + i);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(store.longUrlOf(keys.get(30 + i))).isEqualTo("https://example.com/after/" + i);
            }
        }
    }

    @Test
    void bulkImportAppendsAfterTheLastRecordNotAfterTheZeros() throws Exception {
        Map<String, String> links = DataFiles.writeLinks(dir.resolve("records.data"), 10);
        byte[] records = Files.readAllBytes(dir.resolve("records.data"));
        DataFiles.write(file(), records, zeros(200_000));
        List<Long> keys = new ArrayList<>();
        try (BulkImport in = BulkImport.open(file())) {
            for (int i = 0; i < 20; i++) {
                keys.add(in.createPlain("https://example.com/imported/" + i, Instant.ofEpochSecond(1_700_000_000)));
            }
            in.finish();
        }
        assertThat(DataFiles.recordOffsets(file())).as("contiguous records").hasSize(30).contains((long) records.length);
        assertThat(Files.size(file())).as("no zeros left between or after").isEqualTo(recordsEnd(file()));
        try (LogLinkStore store = openWithoutImage(file())) {
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(30);
            links.forEach((key, url) -> assertThat(store.longUrlOf(key)).isEqualTo(url));
            for (int i = 0; i < 20; i++) {
                assertThat(store.longUrlOf(Keys.encode(keys.get(i)))).isEqualTo("https://example.com/imported/" + i);
            }
        }
    }

    @Test
    void theIndexImageCoversTheRecordsAndTheStartAfterItReadsTheZerosAsTheEnd() throws Exception {
        long recordsEnd;
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withPreallocationChunk(CHUNK))) {
            for (int i = 0; i < 40; i++) {
                DataFiles.add(store, "https://example.com/" + i);
            }
            awaitZerosAhead(store, file());
            recordsEnd = store.fileBytes();
        }
        assertThat(Files.exists(IndexImage.path(file()))).as("an image written at the clean close").isTrue();
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withPreallocationChunk(CHUNK))) {
            assertThat(store.replay().imageEnd()).as("the image used, covering the records").isEqualTo(recordsEnd);
            assertThat(store.replay().records()).as("nothing after it but zeros").isZero();
            assertThat(store.replay().droppedBytes()).isZero();
            assertThat(store.size()).isEqualTo(40);
            assertThat(DataFiles.add(store, "https://example.com/next")).isEqualTo(Keys.encode(40));
        }
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withPreallocationChunk(CHUNK))) {
            assertThat(store.size()).isEqualTo(41);
            assertThat(store.replay().imageEnd()).isGreaterThan(recordsEnd);
        }
    }
}
