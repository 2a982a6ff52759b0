package gotourl.visits;

import gotourl.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How the log store starts where it left off: reading {@code lives}, the {@code heads}
 * checkpoint and any seal after it, opening the segments, and counting again the visits the
 * checkpoint did not cover; and how it writes the checkpoint. See docs/VISITS-FORMAT.md.
 */
final class VisitCheckpoint {
    private static final int HEADS_MAGIC = 0x676F7648; // "govH"

    private VisitCheckpoint() {}


    static void recover(LogVisitStore store) throws IOException {
        store.lives.scan(0, entry -> {
            ByteBuffer in = entry.payload();
            switch (entry.type()) {
                case LogVisitStore.LIFE -> {
                    Scope life = new Scope(in.getInt(), null, in.getLong());
                    life = Scope.of(life.id, LogVisitStore.utf(in), life.created);
                    store.addLife(life);
                    store.nextLifeId = Math.max(store.nextLifeId, life.id + 1);
                }
                case LogVisitStore.RETIRE -> {
                    int id = in.getInt();
                    boolean deleted = in.get() != 0;
                    long created = in.getLong();
                    String code = LogVisitStore.utf(in);
                    Scope life = store.byId.get(id);
                    if (life != null) {
                        store.removeLife(life);
                        store.retired.add(id);
                    }
                    if (deleted) {
                        store.deletedLinks.merge(code, created, Math::max);
                    }
                }
                case LogVisitStore.ORPHANS_CLEARED -> {
                    store.orphans.clearedThrough = in.getLong();
                    store.orphans.baseTotal = in.getLong();
                    store.orphans.baseBots = in.getLong();
                }
                default -> throw new IOException("unknown record type " + entry.type() + " in " + store.dir.resolve("store.lives"));
            }
        });
        long checkpointThrough = -1;
        long daysEnd = 0;
        int checkpointDay = LogVisitStore.NO_DAY;
        Path heads = store.dir.resolve("heads");
        if (Files.exists(heads)) {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(heads));
            if (in.remaining() >= 4 && in.getInt() == HEADS_MAGIC) {
                checkpointDay = in.getInt();
                checkpointThrough = in.getLong();
                daysEnd = in.getLong();
                readHead(store, in, store.orphans);
                readHead(store, in, store.allLinks);
                int count = in.getInt();
                for (int i = 0; i < count; i++) {
                    Scope life = store.byId.get(in.getInt());
                    readHead(store, in, life == null ? new Scope(0, null, 0) : life);
                }
            }
        }
        // A seal that finished after the checkpoint, if a crash came before its own checkpoint:
        // its store.days replace the open day the checkpoint had.
        long[] sealed = {checkpointThrough, daysEnd, checkpointDay, 0};
        List<MetaLog.Entry> pending = new ArrayList<>();
        store.days.scan(Math.min(daysEnd, store.days.end()), entry -> {
            pending.add(entry);
            if (entry.type() == LogVisitStore.SEALED) {
                for (MetaLog.Entry day : pending) {
                    if (day.type() == LogVisitStore.DAY) {
                        applyDay(store, day);
                    }
                }
                pending.clear();
                ByteBuffer in = entry.payload();
                sealed[2] = in.getInt() + 1L;
                sealed[0] = in.getLong();
                sealed[1] = entry.next();
                sealed[3] = 1;
            }
        });
        if (sealed[1] < store.days.end()) {
            store.days.truncate(sealed[1]); // a seal a crash interrupted: its store.days are rebuilt below
        }
        if (sealed[3] != 0) {
            store.openDays.clear();
            store.names.clear();
        }
        openSegments(store, sealed[0]);
        store.openDay = (int) sealed[2];
        store.checkpointSeq = sealed[0];
        replay(store, sealed[0] + 1);
        long total = 0;
        long bots = 0;
        for (int id = 1; id < store.byId.limit(); id++) {
            Scope life = store.byId.get(id);
            if (life != null) {
                total += life.total;
                bots += life.bots;
            }
        }
        store.linkBots = bots;
        store.linkTotal = total;
    }

    private static void readHead(LogVisitStore store, ByteBuffer in, Scope scope) {
        scope.dayHead = in.getLong();
        scope.head = in.getLong();
        scope.total = in.getLong();
        scope.bots = in.getLong();
        scope.newestSeq = in.getLong();
        int todayBytes = in.getInt();
        if (todayBytes > 0) {
            ByteBuffer today = in.slice(in.position(), todayBytes);
            in.position(in.position() + todayBytes);
            if (scope.id != 0 || scope == store.allLinks) {
                store.openDays.remove(scope);
                store.openDays.load(scope, DayAggregate.decode(today), store.names);
            }
        }
    }

    private static void applyDay(LogVisitStore store, MetaLog.Entry entry) {
        ByteBuffer in = entry.payload().duplicate();
        int scopeId = in.getInt();
        in.getInt(); // day
        in.getLong(); // prev
        long lastSeq = in.getLong();
        long cumTotal = in.getLong();
        long cumBots = in.getLong();
        Scope scope = scopeId == Scope.ORPHANS ? store.orphans : scopeId == Scope.ALL_LINKS ? store.allLinks : store.byId.get(scopeId);
        if (scope != null) {
            scope.dayHead = entry.offset();
            scope.head = lastSeq;
            scope.total = cumTotal;
            scope.bots = cumBots;
        }
    }

    private static void openSegments(LogVisitStore store, long durableThrough) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(store.dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".visits")).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            VisitSegment segment = VisitSegment.open(files.get(i), i == files.size() - 1, durableThrough);
            store.segments.put(segment.base, segment);
        }
        store.current = store.segments.isEmpty() ? null : store.segments.lastEntry().getValue();
        store.nextSeq = store.current == null ? 0 : store.current.end();
        if (store.current != null && store.current.count() > 0) {
            store.lastMillis = store.current.lastMillis();
        }
    }

    /**
     * Counts again the visits after the last checkpoint, as the worker counted them. Strings are
     * read once each: the same few agents and referers repeat.
     */
    private static void replay(LogVisitStore store, long from) throws IOException {
        LogVisitQueries.Strings strings = new LogVisitQueries.Strings();
        Map<String, String> hosts = new HashMap<>();
        synchronized (store.dayLock) {
            for (long seq = Math.max(from, store.segments.isEmpty() ? 0 : store.segments.firstKey()); seq < store.nextSeq; seq++) {
                VisitSegment segment = store.segments.floorEntry(seq).getValue();
                int index = (int) (seq - segment.base);
                long millis = segment.millis(index);
                int day = (int) Math.floorDiv(millis, LogVisitStore.DAY_MILLIS);
                if (day != store.openDay) {
                    store.sealOpenDay(seq - 1);
                    store.openDay = day;
                }
                int lifeId = segment.life(index);
                // A crash can keep a record whose life's own record was not yet written (the
                // lives are forced after the visits): its id is never handed out again, so that
                // a later replay cannot count that visit for another link.
                store.nextLifeId = Math.max(store.nextLifeId, lifeId + 1);
                Scope scope = lifeId == 0 ? store.orphans : store.byId.get(lifeId);
                if (scope == null) {
                    continue; // a life deleted since, or whose record a crash lost
                }
                boolean bot = segment.bot(index);
                scope.count(seq, bot);
                String referer = strings.get(segment, segment.stringRef(index, LogVisitQueries.REFERER));
                String host = hosts.computeIfAbsent(referer, RefererHosts::hostOf);
                String browser = strings.get(segment, segment.stringRef(index, LogVisitQueries.BROWSER));
                String os = strings.get(segment, segment.stringRef(index, LogVisitQueries.OS));
                store.countDay(scope, seq, day, bot, host, browser, os);
                if (hosts.size() > 100_000) {
                    hosts.clear();
                }
            }
        }
    }

    /** Bytes the checkpoint is written through at a time: not a buffer of its whole size (~12 MB over 100,000 links). */
    static final int WRITE_BUFFER_BYTES = 64 * 1024;

    /**
     * Replaces {@code heads}: every chain's counts, newest visit and open day as of visit
     * {@code throughSeq}, which a start resumes from. Called with everything before it forced.
     * Written through one small buffer, chain by chain: a buffer of the whole checkpoint, every
     * few seconds at full load, was as much garbage as a thousand redirects, and one young
     * collection during the write copied it whole.
     */
    static void write(LogVisitStore store, long throughSeq) throws IOException {
        Path tmp = store.dir.resolve("heads.tmp");
        try (FileChannel channel = OwnerOnly.fresh(tmp)) {
            Writer out = new Writer(channel);
            out.room(4 + 4 + 8 + 8).putInt(HEADS_MAGIC).putInt(store.openDay).putLong(throughSeq).putLong(store.days.end());
            putHead(store, out, store.orphans);
            putHead(store, out, store.allLinks);
            long countAt = out.position();
            out.room(4).putInt(0);
            int count = 0;
            for (int id = 1; id < store.byId.limit(); id++) {
                Scope life = store.byId.get(id);
                if (life == null) {
                    continue;
                }
                out.room(4).putInt(life.id);
                putHead(store, out, life);
                count++;
            }
            out.flush();
            // The worker alone adds and removes lives, and it is writing this: the count is
            // byId's size, but it is what was written that a start reads.
            ByteBuffer counted = ByteBuffer.allocate(4).putInt(count).flip();
            while (counted.hasRemaining()) {
                channel.write(counted, countAt + counted.position());
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, store.dir.resolve("heads"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, store.dir.resolve("heads"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(store.dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** Writes a file in order through one buffer, flushed when the next piece would not fit. */
    private static final class Writer {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
        private long written;

        Writer(FileChannel channel) {
            this.channel = channel;
        }

        /** The buffer, with room for {@code bytes} more (at most its capacity). */
        ByteBuffer room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
            return buffer;
        }

        /** Writes {@code piece} (flipped), larger than the buffer, after what is buffered. */
        void write(ByteBuffer piece) throws IOException {
            flush();
            while (piece.hasRemaining()) {
                written += channel.write(piece, written);
            }
        }

        long position() {
            return written + buffer.position();
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                written += channel.write(buffer, written);
            }
            buffer.clear();
        }
    }

    private static int headBytes(LogVisitStore store, Scope scope) {
        return 8 * 5 + 4 + (store.openDays.visited(scope) ? store.openDays.encodedBytes(scope.openDayAt, store.names) : 0);
    }

    private static void putHead(LogVisitStore store, Writer writer, Scope scope) throws IOException {
        int bytes = headBytes(store, scope);
        ByteBuffer out = bytes <= WRITE_BUFFER_BYTES ? writer.room(bytes) : ByteBuffer.allocate(bytes);
        out.putLong(scope.dayHead).putLong(scope.head).putLong(scope.total).putLong(scope.bots).putLong(scope.newestSeq);
        // The scope's open day if it has a visit: a day kept empty from the day before is not written.
        if (!store.openDays.visited(scope)) {
            out.putInt(0);
        } else {
            int lengthAt = out.position();
            out.putInt(0);
            store.openDays.encode(scope.openDayAt, out, store.names);
            out.putInt(lengthAt, out.position() - lengthAt - 4);
        }
        if (bytes > WRITE_BUFFER_BYTES) {
            writer.write(out.flip()); // an open day with many long names
        }
    }
}
