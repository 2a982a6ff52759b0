package gotourl.store.log;

import gotourl.apikey.ApiKeyTable;
import gotourl.files.OwnerOnly;
import gotourl.link.Keys;
import gotourl.store.LinkIndex;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index image: a cache of the data file's links beside it ({@code FILE.image}), in the
 * in-memory index's own layout, so that a start loads the plain links with a few large reads
 * instead of decoding them record by record, and replays only the records written after it.
 *
 * <p>Design note. The data file stays the single source of truth; the image is never needed and
 * never written to it. An image says which data file it reflects: the byte length it covers and
 * a 64-bit checksum (CRC-32C and CRC-32) of those bytes, header included, so any rewrite of
 * the covered part (a compaction, a repair, an upgrade, another file put in its place) makes it
 * not match. A start uses it only if its header, its format, the index's layout constants, that
 * checksum and the checksum of its own content all match, and otherwise logs why and replays the
 * whole file, as without an image. Records appended after the covered part (a crash after the
 * image was written, a run that did not stop cleanly) are replayed after the image as usual, torn
 * tail and all. Deleting the image is always safe: the next start replays the data file.
 *
 * <p>Written at a clean stop of a store, once the writer has written and forced everything, and at
 * the end of a {@code goto import} ({@link BulkImport#close} after its finish), unless it would
 * hold no links ({@link #savesNothing}): to
 * {@code FILE.image.writing}, then renamed over {@code FILE.image}. Neither is forced: the image
 * is a cache that proves itself at every start, so a crash that leaves it missing, short, zeroed
 * or with some pages not written makes a check fail and the start replays, as without one (a
 * force would add 0.1–0.2 s per 80 MB to every stop and import, to save one full replay after a
 * power loss). A crash before the rename leaves the old image (or none) and the temporary file,
 * which the next start deletes. A compaction deletes the image after its rename (the image no
 * longer matches the file anyway).
 *
 * <p>Layout, big-endian unless said: a {@value #HEADER_BYTES}-byte header (magic, image version,
 * the data file's format version, {@link LinkIndex#PAGE_BYTES} and {@link LinkIndex#CHUNK_SLOTS},
 * the covered length and its checksum, the count, counter limit and live bytes of the links in
 * the pages, the content's length and checksum, the number of pages, whether the order's creation
 * seconds never go back, the header's own CRC-32C),
 * then blocks, each a tag and a length (4 bytes each) and its payload:
 * <ul>
 *   <li><em>page</em>: the next page of entries, as the index keeps it, cut at its fill;</li>
 *   <li><em>chunk</em>: its number, then its first slots up to its last link, as little-endian
 *       longs, as the index keeps them (the rest are empty);</li>
 *   <li><em>authors</em>: the authors that authored entries number, each a 2-byte length and its
 *       UTF-8 bytes;</li>
 *   <li><em>URL segment</em>: its number, its count, and its table of the long-URL index (for
 *       find-if-exists) as little-endian ints, as the index keeps it: exactly the links in the
 *       pages, so that a start does not rebuild it by hashing every URL;</li>
 *   <li><em>order</em>: the next chunk of the creation order of the links in the pages (their
 *       counters, lowest first, and creation seconds), as the state's list of links by creation
 *       keeps it: its number, its count, the counters as little-endian longs, the seconds as
 *       little-endian ints; so that a start takes the order whole instead of building it link by
 *       link;</li>
 *   <li><em>records</em>: whole data file records, without the header, of everything not in the
 *       pages: rich links, freed codes, API keys, visit counts and the key reservation, as
 *       compaction writes them.</li>
 * </ul>
 * The pages hold the plain links and those plain but for their author, as the index does; those
 * whose counter is beyond what the long-URL index's table holds go to records.
 *
 * <p>A start reads the blocks into the arrays the index keeps and keeps them: nothing is done per
 * link, and the slots are not checked against the pages one by one. What lets it trust them is
 * the content's checksum (a damaged image is not used) and that goto wrote them from an index.
 * An image of another version (1 had no creation order) is not used: the start replays the data
 * file, and its next clean stop writes an image of this version.
 */
final class IndexImage {
    private static final Logger LOG = LoggerFactory.getLogger("goto.replay");

    static final byte[] MAGIC = {(byte) 0x89, 'G', 'O', 'T', 'O', 'I', 'M', 'G'};
    /** 2 added the creation order (blocks {@link #ORDER}, the header's sorted flag); an image of 1 is not used. */
    static final int VERSION = 2;
    static final int HEADER_BYTES = 128;
    /** Where the header's CRC-32C of the bytes before it sits. */
    private static final int HEADER_CRC_AT = 100;
    /** Where the header's flag sits: 1 if the creation seconds of the order's links never go back, else 0. */
    private static final int ORDER_SORTED_AT = 84;
    static final int PAGE = 1;
    static final int CHUNK = 2;
    static final int RECORDS = 3;
    static final int AUTHORS = 4;
    static final int URLS = 5;
    static final int ORDER = 6;
    private static final int BLOCK_HEADER_BYTES = 8;
    private static final int CHUNK_PAYLOAD_BYTES = 4 + 8 * LinkIndex.CHUNK_SLOTS;
    private static final int ORDER_PAYLOAD_BYTES = 8 + 12 * LinkState.ORDER_CHUNK;
    private static final int RECORD_BYTES = 1 << 20;
    /**
     * Bytes read at a time for a checksum: small enough that both sums read them from the core's
     * cache, not memory, while the read is a few hundred system calls for 50 MB.
     */
    private static final int READ_BYTES = 128 << 10;

    private IndexImage() {}

    /** The image of {@code dataFile}: beside it, named after it. */
    static Path path(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".image");
    }

    /**
     * True when an image of {@code state} would save nothing at the next start: it holds no links
     * (what is left, API keys and the key reservation, is a few records to replay, while even an
     * empty image is ~135 KB of tables). Then no image is written, and one on disk, which can
     * only be of an earlier state, is deleted ({@link #deleteStale}).
     */
    static boolean savesNothing(LinkState state) {
        return state.size() == 0;
    }

    /** Deletes {@code dataFile}'s image, if there is one; a failure is logged (a stale image is ignored at the next start anyway). */
    static void deleteStale(Path dataFile) {
        try {
            Files.deleteIfExists(path(dataFile));
        } catch (IOException e) {
            LOG.warn("{}: could not delete its index image of earlier links ({}); the next start checks it and replays what"
                    + " follows it", dataFile, e.toString());
        }
    }

    /** Where an image is written before it is renamed into place. */
    static Path temporary(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".image.writing");
    }

    /**
     * What a start took from an image: the state with the image applied (inside a bulk load), the
     * applier that goes on with the data file's records after {@code coveredEnd}, and how many
     * plain links came from the pages.
     */
    record Loaded(LinkState state, Replay.Applier applier, long coveredEnd, long plainLinks) {}

    // ---- writing ----

    /** Whether a write must give up now: asked between blocks of at most about 1 MiB. */
    @FunctionalInterface
    interface Deadline {
        /** A write that is never cut short. */
        Deadline NONE = () -> false;

        boolean passed();

        /** Passed once {@code System.nanoTime()} reaches {@code nanos} (a value of it). */
        static Deadline atNanos(long nanos) {
            return () -> System.nanoTime() - nanos >= 0;
        }
    }

    /**
     * A write given up because its {@link Deadline} passed: its temporary file is deleted, any
     * earlier image is left as it was, and the data file is never touched.
     */
    static final class DeadlinePassed extends IOException {
        DeadlinePassed(String message) {
            super(message);
        }
    }

    /** {@link #write(LogFile, long, LinkState, ApiKeyTable, long, long, Deadline)} without a deadline. */
    static void write(LogFile log, long logEnd, LinkState state, ApiKeyTable apiKeys, long reserveThrough, long nowMillis)
            throws IOException {
        write(log, logEnd, state, apiKeys, reserveThrough, nowMillis, Deadline.NONE);
    }

    /**
     * Writes the image of {@code state}, which must be exactly what the first {@code logEnd}
     * bytes of {@code log} hold (already forced), with {@code apiKeys} and a key reservation
     * through {@code reserveThrough}; atomically replaces any image there was. Throws IOException
     * when writing fails; the data file is never touched, and a failed image is removed. Asks
     * {@code deadline} between blocks of at most about 1 MiB (of the data file read for its
     * checksum, and of the image written) and before the rename; once it has
     * passed, throws {@link DeadlinePassed}, leaving any earlier image in place (still valid for
     * the part of the data file its checksum covers) and no temporary file.
     */
    static void write(LogFile log, long logEnd, LinkState state, ApiKeyTable apiKeys, long reserveThrough, long nowMillis,
                      Deadline deadline) throws IOException {
        if (log.version() != LogFormat.VERSION) {
            throw new IOException("an image is only written for a data file of format " + LogFormat.VERSION);
        }
        long started = System.nanoTime();
        Path temporary = temporary(log.file());
        // The data file's covered bytes are summed on another thread while this one writes the
        // image: both read and sum about as many bytes, and a machine with two cores does both at once.
        CoveredSum coveredSum = new CoveredSum(log.channel(), logEnd, deadline);
        Writer writer;
        try (FileChannel out = OwnerOnly.fresh(temporary)) {
            writer = new Writer(out, deadline);
            // Under the state's lock throughout, so that the long-URL index's tables are those of
            // the links visited (the store is quiet by now anyway: its writer has ended).
            synchronized (state) {
                LinkState.Snapshot snapshot = state.beginSnapshot();
                try {
                    ByteBuffer records = ByteBuffer.allocateDirect(RECORD_BYTES);
                    SnapshotFile.write(state, snapshot, apiKeys, reserveThrough, nowMillis, records, writer::records, writer);
                } finally {
                    state.endSnapshot();
                }
                writer.finish();
                state.urlTables(writer::urls);
            }
            if (writer.inUrlTables != writer.links) {
                throw new IOException("the long-URL index holds " + writer.inUrlTables + " links and the pages " + writer.links);
            }
            long covered = coveredSum.await();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(MAGIC).putInt(VERSION).putInt(log.version()).putInt(LinkIndex.PAGE_BYTES).putInt(LinkIndex.CHUNK_SLOTS)
                    .putLong(logEnd).putLong(covered).putLong(writer.links).putLong(writer.counterLimit).putLong(writer.liveBytes)
                    .putLong(writer.at - HEADER_BYTES).putLong(writer.sum.value()).putInt(writer.pages)
                    .putInt(writer.orderSorted ? 1 : 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_CRC_AT);
            header.putInt(HEADER_CRC_AT, (int) crc.getValue());
            header.clear();
            writeFully(out, header, 0);
            writer.check("before renaming it into place");
        } catch (IOException | RuntimeException e) {
            coveredSum.abandon();
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, path(log.file()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("{}: wrote its index image ({} plain links in the pages, {} bytes) in {} ms", log.file(), writer.links,
                writer.at, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The {@link #checksum} of a data file's first bytes, computed on its own thread
     * ({@code goto-image-checksum}), started by the constructor and owned by the image's write,
     * which {@link #await}s it or, when the write fails, {@link #abandon}s it.
     */
    private static final class CoveredSum {
        private final Thread thread;
        /** Set by the thread before it ends; read after {@link Thread#join}, which orders it. */
        private long sum;
        private IOException failure;
        private RuntimeException bug;

        CoveredSum(FileChannel channel, long length, Deadline deadline) {
            thread = Thread.ofPlatform().name("goto-image-checksum").daemon(true).unstarted(() -> {
                try {
                    sum = checksum(channel, length, deadline);
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    bug = e;
                }
            });
            thread.start();
        }

        /** The sum; throws what computing it threw (IOException for a failed read). */
        long await() throws IOException {
            Threads.joinUninterruptibly(thread);
            if (failure != null) {
                throw failure;
            }
            if (bug != null) {
                throw bug;
            }
            return sum;
        }

        /** Waits for the thread to end, its result unused (it only reads, so it ends on its own). */
        void abandon() {
            Threads.joinUninterruptibly(thread);
        }

    }

    /** Streams pages, chunks and record blocks into the image after its header, summing what it writes. */
    private static final class Writer implements SnapshotFile.PlainSink {
        private final FileChannel out;
        private final Deadline deadline;
        private final java.util.Map<String, Integer> authorNumbers = new java.util.HashMap<>();
        private final List<String> authors = new ArrayList<>();
        private long inUrlTables;
        private final Sum sum = new Sum();
        private final ByteBuffer blockHeader = ByteBuffer.allocateDirect(BLOCK_HEADER_BYTES);
        private final ByteBuffer chunkBytes = ByteBuffer.allocateDirect(CHUNK_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final byte[] page = new byte[LinkIndex.PAGE_BYTES];
        /** The chunk being filled: a new (zeroed) array for each, as a chunk's empty slots must be 0. */
        private long[] chunk = new long[LinkIndex.CHUNK_SLOTS];
        private long at = HEADER_BYTES;
        private int pages;
        private int fill;
        private long chunkIndex = -1;
        /** The creation order of the links in the pages, a chunk at a time: counters and creation seconds, as {@code LinkOrder} keeps them. */
        private final long[] orderRefs = new long[LinkState.ORDER_CHUNK];
        private final int[] orderCreated = new int[LinkState.ORDER_CHUNK];
        private final ByteBuffer orderBytes = ByteBuffer.allocateDirect(ORDER_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private int orderFill;
        private int orderChunks;
        private long lastCreated = Long.MIN_VALUE;
        boolean orderSorted = true;
        long links;
        long counterLimit;
        long liveBytes;

        Writer(FileChannel out, Deadline deadline) {
            this.out = out;
            this.deadline = deadline;
        }

        /** Throws {@link DeadlinePassed} once the deadline has passed, saying {@code where}. */
        void check(String where) throws DeadlinePassed {
            if (deadline.passed()) {
                throw new DeadlinePassed("its deadline passed " + where + ", after " + at + " bytes of it");
            }
        }

        /** A plain link into the pages; false for one whose counter the long-URL index cannot hold (written as a record). */
        @Override
        public boolean take(long counter, byte[] url, int offset, int length, long createdSeconds) throws IOException {
            if (counter > LinkState.MAX_BULK_COUNTER) {
                return false;
            }
            put(counter, url, offset, length, createdSeconds, -1);
            liveBytes += LogFormat.linkFrameBytes(Keys.length(counter), length);
            return true;
        }

        /** A link plain but for its author into the pages, its author numbered in the image's table; false as {@link #take}. */
        @Override
        public boolean takeAuthored(long counter, gotourl.link.Link link) throws IOException {
            if (counter > LinkState.MAX_BULK_COUNTER) {
                return false;
            }
            Integer author = authorNumbers.get(link.author());
            if (author == null) {
                author = authors.size();
                authors.add(link.author());
                authorNumbers.put(link.author(), author);
            }
            // ASCII: the index kept it in a page.
            byte[] url = link.longUrl().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            put(counter, url, 0, url.length, link.dateCreated().getEpochSecond(), author);
            liveBytes += LinkRecords.fieldsFrameBytes(link);
            return true;
        }

        private void put(long counter, byte[] url, int offset, int length, long createdSeconds, int author) throws IOException {
            int needed = LinkIndex.entryBytes(length, author >= 0);
            if (fill + needed > LinkIndex.PAGE_BYTES) {
                flushPage();
            }
            long index = counter / LinkIndex.CHUNK_SLOTS;
            if (index != chunkIndex) {
                flushChunk();
                chunkIndex = index;
            }
            LinkIndex.putEntry(page, fill, url, offset, length, createdSeconds, author);
            chunk[(int) (counter % LinkIndex.CHUNK_SLOTS)] = LinkIndex.plainSlot(pages, fill, author >= 0);
            fill += needed;
            links++;
            counterLimit = Math.max(counterLimit, counter + 1);
            // The order a replay of these links in counter order would build (LinkOrder.append).
            if (orderFill == orderRefs.length) {
                flushOrder();
            }
            orderRefs[orderFill] = counter;
            orderCreated[orderFill++] = (int) createdSeconds;
            if (createdSeconds < lastCreated) {
                orderSorted = false;
            }
            lastCreated = Math.max(lastCreated, createdSeconds);
        }

        /** The order's chunk so far: a block of its number, its count, its counters (little-endian longs) and their seconds (ints). */
        private void flushOrder() throws IOException {
            if (orderFill == 0) {
                return;
            }
            orderBytes.clear();
            orderBytes.putInt(orderChunks).putInt(orderFill);
            orderBytes.asLongBuffer().put(orderRefs, 0, orderFill);
            orderBytes.position(8 + 8 * orderFill);
            orderBytes.asIntBuffer().put(orderCreated, 0, orderFill);
            orderBytes.position(8 + 12 * orderFill).flip();
            block(ORDER, orderBytes);
            orderChunks++;
            orderFill = 0;
        }

        /** One segment of the long-URL index: a block of its number, its count and its table (little-endian ints). */
        void urls(int segment, int[] table, int count) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocateDirect(8 + 4 * table.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putInt(segment).putInt(count);
            bytes.asIntBuffer().put(table);
            bytes.position(bytes.capacity()).flip();
            block(URLS, bytes);
            inUrlTables += count;
        }

        /** A full buffer of records (from its start to its position): one block; the buffer is emptied. */
        void records(ByteBuffer records) throws IOException {
            records.flip();
            if (records.hasRemaining()) {
                block(RECORDS, records);
            }
            records.clear();
        }

        /** The last chunk and page, then the authors (each a 2-byte length and its UTF-8 bytes, in number order). */
        void finish() throws IOException {
            flushChunk();
            flushOrder();
            if (fill > 0) {
                flushPage();
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream data = new java.io.DataOutputStream(bytes);
            for (String author : authors) {
                byte[] name = author.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                data.writeShort(name.length);
                data.write(name);
            }
            block(AUTHORS, ByteBuffer.wrap(bytes.toByteArray()));
        }

        private void flushPage() throws IOException {
            // Not cleared for the next page: entries are written one after another from its start,
            // and only up to its fill is written out. (Clearing it ran interpreted, behind the JIT's
            // queue: a sixth of the importing thread's interpreted samples at the end of 1M links.)
            block(PAGE, ByteBuffer.wrap(page, 0, fill));
            pages++;
            fill = 0;
        }

        private void flushChunk() throws IOException {
            if (chunkIndex < 0) {
                return;
            }
            int used = chunk.length;
            while (chunk[used - 1] == 0) {
                used--; // a chunk holds at least one link: the one that opened it
            }
            chunkBytes.clear();
            chunkBytes.putInt((int) chunkIndex);
            chunkBytes.asLongBuffer().put(chunk, 0, used);
            chunkBytes.position(4 + 8 * used).flip();
            block(CHUNK, chunkBytes);
            chunk = new long[LinkIndex.CHUNK_SLOTS];
            chunkIndex = -1;
        }

        private void block(int tag, ByteBuffer payload) throws IOException {
            if (tag != RECORDS && tag != PAGE && tag != CHUNK && tag != AUTHORS && tag != URLS && tag != ORDER) {
                throw new IllegalArgumentException("block " + tag);
            }
            check("while writing it");
            blockHeader.clear();
            blockHeader.putInt(tag).putInt(payload.remaining()).flip();
            sum.update(blockHeader.duplicate());
            sum.update(payload.duplicate());
            at += writeFully(out, blockHeader, at);
            at += writeFully(out, payload, at);
        }
    }

    private static int writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        int written = 0;
        while (buffer.hasRemaining()) {
            written += out.write(buffer, position + written);
        }
        return written;
    }

    // ---- loading ----

    /**
     * The image of {@code log}'s data file, loaded into a new state, or null when there is none or
     * it does not match or verify (then it logs why; the caller replays the whole file). Deletes an
     * image left half-written by a crash. Never throws: an image can only save time.
     */
    static Loaded load(LogFile log) {
        Path image = path(log.file());
        Path unfinished = temporary(log.file());
        try {
            long bytes = Files.exists(unfinished) ? Files.size(unfinished) : 0;
            if (Files.deleteIfExists(unfinished)) {
                LOG.warn("{}: deleted {} ({} bytes), an index image whose writing was cut short (a crash or kill during a stop"
                        + " or an import); nothing is lost: the image is a cache of the data file", log.file(), unfinished, bytes);
            }
        } catch (IOException e) {
            LOG.warn("{}: could not delete {}, an index image whose writing was cut short: {}", log.file(), unfinished, e.toString());
        }
        long started = System.nanoTime();
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            String problem = null;
            Loaded loaded = null;
            try {
                loaded = read(log, in);
            } catch (Mismatch e) {
                problem = e.getMessage();
            }
            if (loaded == null) {
                LOG.info("{}: its index image is not used ({}); replaying the whole file", log.file(), problem);
                return null;
            }
            LOG.info("{}: loaded {} plain links from its index image in {} ms; replaying what follows byte {}", log.file(),
                    loaded.plainLinks(), (System.nanoTime() - started) / 1_000_000, loaded.coveredEnd());
            return loaded;
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: its index image is not used ({}); replaying the whole file", log.file(), e.toString());
            return null;
        }
    }

    /** Why an image is not used: it is not the image of this file as it is. */
    private static final class Mismatch extends IOException {
        Mismatch(String why) {
            super(why);
        }
    }

    private static Loaded read(LogFile log, FileChannel in) throws IOException {
        long imageSize = in.size();
        if (imageSize < HEADER_BYTES) {
            throw new Mismatch("it is cut short: " + imageSize + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(in, header, 0);
        header.flip();
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new Mismatch("not an index image");
        }
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, HEADER_CRC_AT);
        if ((int) crc.getValue() != header.getInt(HEADER_CRC_AT)) {
            throw new Mismatch("its header is damaged");
        }
        int version = header.getInt();
        int logVersion = header.getInt();
        int pageBytes = header.getInt();
        int chunkSlots = header.getInt();
        if (version != VERSION || logVersion != log.version() || log.version() != LogFormat.VERSION
                || pageBytes != LinkIndex.PAGE_BYTES || chunkSlots != LinkIndex.CHUNK_SLOTS) {
            throw new Mismatch("another version of goto wrote it");
        }
        long coveredEnd = header.getLong();
        long covered = header.getLong();
        long links = header.getLong();
        long counterLimit = header.getLong();
        long liveBytes = header.getLong();
        long contentBytes = header.getLong();
        long contentSum = header.getLong();
        int pageCount = header.getInt();
        int orderSorted = header.getInt(ORDER_SORTED_AT);
        if (contentBytes != imageSize - HEADER_BYTES) {
            throw new Mismatch("it holds " + (imageSize - HEADER_BYTES) + " bytes after its header, not the " + contentBytes + " it says");
        }
        long logSize = log.channel().size();
        if (coveredEnd < LogFormat.HEADER_BYTES || coveredEnd > logSize) {
            throw new Mismatch("it covers " + coveredEnd + " bytes and the data file has " + logSize);
        }
        if (counterLimit < 0 || counterLimit > LinkState.MAX_BULK_COUNTER + 1 || pageCount < 0 || links < 0
                || pageCount > contentBytes / BLOCK_HEADER_BYTES || links > Integer.MAX_VALUE || (orderSorted & ~1) != 0) {
            throw new Mismatch("its header's sizes are impossible");
        }
        if (checksum(log.channel(), coveredEnd) != covered) {
            throw new Mismatch("the data file's first " + coveredEnd + " bytes are not those it was written for:"
                    + " compacted, repaired or replaced since");
        }

        Sum sum = new Sum();
        long[][] chunks = new long[(int) ((counterLimit + LinkIndex.CHUNK_SLOTS - 1) / LinkIndex.CHUNK_SLOTS)][];
        byte[][] pages = new byte[pageCount][];
        int pagesRead = 0;
        int lastFill = 0;
        List<byte[]> records = new ArrayList<>();
        String[] authors = null;
        int[][] urlTables = new int[LinkState.URL_SEGMENTS][];
        int[] urlCounts = new int[LinkState.URL_SEGMENTS];
        int orderChunks = (int) ((links + LinkState.ORDER_CHUNK - 1) / LinkState.ORDER_CHUNK);
        long[][] orderRefs = new long[orderChunks][];
        int[][] orderCreated = new int[orderChunks][];
        long inOrder = 0;
        ByteBuffer blockHeader = ByteBuffer.allocateDirect(BLOCK_HEADER_BYTES);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(ORDER_PAYLOAD_BYTES, CHUNK_PAYLOAD_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        long at = HEADER_BYTES;
        while (at < imageSize) {
            if (imageSize - at < BLOCK_HEADER_BYTES) {
                throw new Mismatch("a block is cut short at byte " + at);
            }
            blockHeader.clear();
            readFully(in, blockHeader, at);
            blockHeader.flip();
            sum.update(blockHeader.duplicate());
            int tag = blockHeader.getInt();
            int length = blockHeader.getInt();
            at += BLOCK_HEADER_BYTES;
            if (length < 0 || length > imageSize - at) {
                throw new Mismatch("a block of " + length + " bytes at byte " + at + " runs past the end");
            }
            switch (tag) {
                case PAGE -> {
                    if (pagesRead == pageCount || length > LinkIndex.PAGE_BYTES) {
                        throw new Mismatch("a page block that does not fit at byte " + at);
                    }
                    byte[] page = new byte[LinkIndex.PAGE_BYTES];
                    // Through the direct buffer a piece at a time: summed while the piece is in the
                    // core's cache, then copied (a read into the array itself is copied through a
                    // direct buffer of the JDK's anyway).
                    for (int done = 0; done < length; ) {
                        int piece = Math.min(READ_BYTES, length - done);
                        buffer.clear().limit(piece);
                        readFully(in, buffer, at + done);
                        buffer.flip();
                        sum.update(buffer.duplicate());
                        buffer.get(page, done, piece);
                        done += piece;
                    }
                    pages[pagesRead++] = page;
                    lastFill = length;
                }
                case CHUNK -> {
                    if (length < 4 || length > CHUNK_PAYLOAD_BYTES || (length - 4) % 8 != 0) {
                        throw new Mismatch("a chunk block of " + length + " bytes at byte " + at);
                    }
                    buffer.clear().limit(length);
                    readFully(in, buffer, at);
                    buffer.flip();
                    sum.update(buffer.duplicate());
                    int index = buffer.getInt();
                    if (index < 0 || index >= chunks.length || chunks[index] != null) {
                        throw new Mismatch("chunk " + index + " does not fit at byte " + at);
                    }
                    long[] chunk = new long[LinkIndex.CHUNK_SLOTS];
                    buffer.asLongBuffer().get(chunk, 0, (length - 4) / 8);
                    chunks[index] = chunk;
                }
                case AUTHORS -> {
                    if (authors != null) {
                        throw new Mismatch("two tables of authors");
                    }
                    byte[] bytes = new byte[length];
                    readFully(in, ByteBuffer.wrap(bytes), at);
                    sum.update(bytes, 0, length);
                    List<String> names = new ArrayList<>();
                    ByteBuffer table = ByteBuffer.wrap(bytes);
                    while (table.hasRemaining()) {
                        int nameLength = table.remaining() >= 2 ? table.getShort() & 0xFFFF : Integer.MAX_VALUE;
                        if (nameLength > table.remaining()) {
                            throw new Mismatch("its table of authors is cut short");
                        }
                        names.add(new String(bytes, table.position(), nameLength, java.nio.charset.StandardCharsets.UTF_8));
                        table.position(table.position() + nameLength);
                    }
                    authors = names.toArray(String[]::new);
                }
                case URLS -> {
                    if (length < 8 || (length - 8) % 4 != 0) {
                        throw new Mismatch("a block of the long-URL index of " + length + " bytes at byte " + at);
                    }
                    ByteBuffer segmentBytes = length <= buffer.capacity() ? buffer.clear().limit(length)
                            : ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(in, segmentBytes, at);
                    segmentBytes.flip();
                    sum.update(segmentBytes.duplicate());
                    int segment = segmentBytes.getInt();
                    if (segment < 0 || segment >= urlTables.length || urlTables[segment] != null) {
                        throw new Mismatch("segment " + segment + " of the long-URL index does not fit at byte " + at);
                    }
                    urlCounts[segment] = segmentBytes.getInt();
                    int[] table = new int[(length - 8) / 4];
                    segmentBytes.asIntBuffer().get(table);
                    urlTables[segment] = table;
                }
                case ORDER -> {
                    if (length < 8 || length > ORDER_PAYLOAD_BYTES || (length - 8) % 12 != 0) {
                        throw new Mismatch("a block of the creation order of " + length + " bytes at byte " + at);
                    }
                    buffer.clear().limit(length);
                    readFully(in, buffer, at);
                    buffer.flip();
                    sum.update(buffer.duplicate());
                    int index = buffer.getInt();
                    int count = buffer.getInt();
                    // In order, each full but the last: as LinkOrder fills its chunks.
                    if (index < 0 || index >= orderChunks || orderRefs[index] != null || count != (length - 8) / 12
                            || (index > 0 && orderRefs[index - 1] == null)
                            || count != Math.min(LinkState.ORDER_CHUNK, links - (long) index * LinkState.ORDER_CHUNK)) {
                        throw new Mismatch("chunk " + index + " of the creation order does not fit at byte " + at);
                    }
                    long[] refs = new long[LinkState.ORDER_CHUNK];
                    int[] created = new int[LinkState.ORDER_CHUNK];
                    buffer.asLongBuffer().get(refs, 0, count);
                    buffer.position(8 + 8 * count);
                    buffer.asIntBuffer().get(created, 0, count);
                    orderRefs[index] = refs;
                    orderCreated[index] = created;
                    inOrder += count;
                }
                case RECORDS -> {
                    byte[] bytes = new byte[length];
                    readFully(in, ByteBuffer.wrap(bytes), at);
                    sum.update(bytes, 0, length);
                    records.add(bytes);
                }
                default -> throw new Mismatch("a block of unknown kind " + tag + " at byte " + (at - BLOCK_HEADER_BYTES));
            }
            at += length;
        }
        if (sum.value() != contentSum) {
            throw new Mismatch("its content does not match its checksum");
        }
        if (pagesRead != pageCount) {
            throw new Mismatch("it holds " + pagesRead + " pages, not the " + pageCount + " it says");
        }

        if (authors == null) {
            throw new Mismatch("it has no table of authors");
        }
        if (inOrder != links) {
            throw new Mismatch("its creation order holds " + inOrder + " links, not the " + links + " it says");
        }
        LinkState state = new LinkState();
        try {
            // Not a bulk load: the long-URL index comes whole from the image, and the links of the
            // records go into it one by one.
            state.loadPlain(chunks, pages, lastFill, links, counterLimit, authors, urlTables, urlCounts, orderRefs, orderCreated,
                    orderSorted == 1);
        } catch (IllegalArgumentException e) {
            throw new Mismatch("its pages do not hold what its slots say: " + e.getMessage());
        }
        Replay.Applier applier = new Replay.Applier(state, log.version());
        applier.liveBytes = liveBytes;
        Path file = path(log.file());
        for (byte[] block : records) {
            int position = 0;
            while (position < block.length) {
                if (block.length - position < LogFormat.FRAME_BYTES) {
                    throw new Mismatch("a record is cut short");
                }
                int length = LogReader.intAt(block, position);
                if (length < LogFormat.MIN_BODY_BYTES || length > block.length - position - LogFormat.FRAME_BYTES) {
                    throw new Mismatch("a record of " + length + " bytes does not fit its block");
                }
                applier.apply(new LinkRecords.Body(block, position + LogFormat.FRAME_BYTES, length, position, file));
                position += LogFormat.FRAME_BYTES + length;
            }
        }
        return new Loaded(state, applier, coveredEnd, links);
    }

    private static void readFully(FileChannel in, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = in.read(target, at);
            if (read < 0) {
                throw new Mismatch("it ends at byte " + at + " before what it says it holds");
            }
            at += read;
        }
    }

    /** The {@link Sum} of the first {@code length} bytes of {@code channel}. */
    static long checksum(FileChannel channel, long length) throws IOException {
        return checksum(channel, length, Deadline.NONE);
    }

    /** {@link #checksum(FileChannel, long)}, throwing {@link DeadlinePassed} between reads once {@code deadline} has passed. */
    private static long checksum(FileChannel channel, long length, Deadline deadline) throws IOException {
        Sum sum = new Sum();
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BYTES);
        long at = 0;
        while (at < length) {
            if (deadline.passed()) {
                throw new DeadlinePassed("its deadline passed while reading the data file for its checksum, after " + at
                        + " of " + length + " bytes");
            }
            buffer.clear().limit((int) Math.min(READ_BYTES, length - at));
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new Mismatch("the data file ends at byte " + at + ", before the " + length + " the image covers");
            }
            buffer.flip();
            sum.update(buffer);
            at += read;
        }
        return sum.value();
    }

    /** A 64-bit checksum: CRC-32C in the high half, CRC-32 (another polynomial) in the low, both computed in hardware. */
    static final class Sum {
        private final CRC32C crc32c = new CRC32C();
        private final CRC32 crc32 = new CRC32();

        void update(ByteBuffer bytes) {
            ByteBuffer again = bytes.duplicate();
            crc32c.update(bytes);
            crc32.update(again);
        }

        void update(byte[] bytes, int offset, int length) {
            crc32c.update(bytes, offset, length);
            crc32.update(bytes, offset, length);
        }

        long value() {
            return crc32c.getValue() << 32 | crc32.getValue();
        }
    }
}
