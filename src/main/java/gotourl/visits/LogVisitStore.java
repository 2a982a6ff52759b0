package gotourl.visits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * goto's embedded visit store: an append-only log of fixed-size visit records in daily segments
 * ({@link VisitSegment}), beside two small framed logs ({@link MetaLog}): {@code lives} (which
 * link life has which id, deletions) and {@code days} (each chain's sealed per-day aggregates,
 * linked newest to oldest). Chosen over SQLite and DuckDB by measurement (BENCHMARKS.md): a
 * visit costs ~0.2 µs to record here against ~1.5 µs in either database, within what a redirect
 * can afford.
 *
 * <p>Design note. Visits are numbered in the order the worker writes them (their sequence),
 * which is also time order (a visit's time is never written earlier than the one before it), so
 * a newest-first list walks sequence numbers down. Each record points to the previous visit of
 * its chain (its link's life, or orphans), so a link's visits are read without touching anyone
 * else's. Counts per chain are kept in memory (O(1) summaries); per-day aggregates of the open
 * day too, and at UTC midnight each active chain's day is appended to {@code days} ("sealed"),
 * a marker says through which visit, and a {@code heads} snapshot of every chain's counts is
 * replaced atomically. A start reads {@code lives}, the snapshot, and replays only the visits
 * after the last sealed day. Crash: records and strings are forced every second by the tracker
 * ({@link #sync}); a torn record fails its CRC and ends its segment; aggregates of an unsealed
 * day are rebuilt from the visits. Retention deletes whole segments older than the cutoff.
 */
public final class LogVisitStore implements VisitStore {
    static final long DAY_MILLIS = 86_400_000L;
    static final byte LIFE = 1;
    static final byte RETIRE = 2;
    static final byte ORPHANS_CLEARED = 3;
    static final byte DAY = 4;
    static final byte SEALED = 5;
    static final int NO_DAY = Integer.MIN_VALUE;
    /**
     * A checkpoint every 30 s or 262,144 visits bounds what a start replays (~1 s of CPU at most,
     * BENCHMARKS.md), for the cost of rewriting every chain's counts: ~50 bytes per link with
     * visits (and its open day's names), a few MB at most, twice a minute. A clean close writes
     * one too, so that a start after a stop replays nothing.
     */
    static final long CHECKPOINT_INTERVAL_NANOS = 30_000_000_000L;
    static final long CHECKPOINT_VISITS = 1 << 18;

    final Path dir;
    final MetaLog lives;
    final MetaLog days;
    final ConcurrentSkipListMap<Long, VisitSegment> segments = new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<String, Scope> byCode = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, Scope> byId = new ConcurrentHashMap<>();
    final Set<Integer> retired = ConcurrentHashMap.newKeySet();
    final Scope orphans = new Scope(Scope.ORPHANS, null, 0);
    final Scope allLinks = new Scope(Scope.ALL_LINKS, null, 0);
    /** Guards the open day's aggregates (written by the worker, copied by queries) and sealing. */
    final Object dayLock = new Object();
    /** Visits below this sequence number are readable. */
    volatile long nextSeq;
    /**
     * Retention dropped the raw visits below this sequence number (0 while none was dropped):
     * counts then exceed what a list can show, so lists count what they walk.
     */
    volatile long droppedBelow;
    volatile long linkTotal;
    volatile long linkBots;

    // Worker only (and recovery, before the worker starts).
    final Map<String, Long> deletedLinks = new HashMap<>();
    final Set<Scope> activeToday = new LinkedHashSet<>();
    VisitSegment current;
    int nextLifeId = 1;
    long lastMillis = Long.MIN_VALUE;
    int openDay = NO_DAY;
    long checkpointSeq = -1;
    private long lastCheckpointNanos = System.nanoTime();
    private final LogVisitQueries queries;

    private LogVisitStore(Path dir, MetaLog lives, MetaLog days) {
        this.dir = dir;
        this.lives = lives;
        this.days = days;
        this.queries = new LogVisitQueries(this);
    }

    /**
     * Opens the visit store in {@code dir} (created if missing) and brings it up to date: reads the
     * lives, the last snapshot, and replays the visits of unsealed days. Throws IOException if the
     * directory cannot be used.
     */
    public static LogVisitStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        MetaLog lives = MetaLog.open(dir.resolve("lives"));
        MetaLog days = null;
        try {
            days = MetaLog.open(dir.resolve("days"));
            LogVisitStore store = new LogVisitStore(dir, lives, days);
            VisitCheckpoint.recover(store);
            long firstKept = store.segments.isEmpty() ? store.nextSeq : store.segments.firstKey();
            store.droppedBelow = Math.max(0, firstKept); // retention dropped what came before
            return store;
        } catch (IOException | RuntimeException e) {
            lives.close();
            if (days != null) {
                days.close();
            }
            throw e;
        }
    }

    // ---- writing (the visits worker) ----

    @Override
    public void append(List<Visit> visits) throws IOException {
        synchronized (dayLock) {
            long seq = nextSeq;
            for (Visit visit : visits) {
                long millis = Math.max(visit.date().toEpochMilli(), lastMillis);
                int day = (int) Math.floorDiv(millis, DAY_MILLIS);
                if (day != openDay) {
                    publish(seq);
                    sealOpenDay(seq - 1);
                    openDay = day;
                    roll(seq);
                }
                if (current == null || current.isFull(seq - current.base)) {
                    publish(seq);
                    roll(seq);
                }
                Scope scope;
                if (visit.isOrphan()) {
                    scope = orphans;
                } else {
                    scope = lifeFor(visit.shortCode(), visit.linkCreatedMillis());
                    if (scope == null) {
                        continue; // a visit of a link deleted while it was queued
                    }
                }
                boolean visitedIsCode = !visit.isOrphan() && isCodePath(visit.visitedPath(), visit.shortCode());
                current.put((int) (seq - current.base), millis, scope.head, scope.id == Scope.ORPHANS ? 0 : scope.id, visit,
                        visitedIsCode);
                lastMillis = millis;
                scope.count(seq, visit.potentialBot());
                if (scope != orphans) {
                    linkTotal++;
                    if (visit.potentialBot()) {
                        linkBots++;
                    }
                }
                aggregate(scope, seq, visit, day);
                seq++;
            }
            publish(seq);
        }
    }

    private void publish(long seq) throws IOException {
        if (current != null && seq > nextSeq) {
            current.publish((int) (seq - current.base));
            nextSeq = seq;
        }
    }

    static boolean isCodePath(String path, String code) {
        return path.length() == code.length() + 1 && path.charAt(0) == '/' && path.endsWith(code);
    }

    private void aggregate(Scope scope, long seq, Visit visit, int day) {
        add(scope, seq, visit, day);
        if (scope != orphans) {
            add(allLinks, seq, visit, day);
        }
    }

    private void add(Scope scope, long seq, Visit visit, int day) {
        add(scope, seq, day, visit.potentialBot(), visit.refererHost(), visit.browser(), visit.operatingSystem());
    }

    void add(Scope scope, long seq, int day, boolean bot, String refererHost, String browser, String os) {
        if (scope.today == null) {
            scope.today = new DayAggregate(day);
            activeToday.add(scope);
        }
        scope.today.add(bot, refererHost, browser, os);
        scope.lastSeqToday = seq;
    }

    private void roll(long seq) throws IOException {
        if (current != null && current.count() == 0) {
            return;
        }
        if (current != null) {
            current.seal();
        }
        current = VisitSegment.create(dir, seq);
        segments.put(seq, current);
    }

    private Scope lifeFor(String code, long created) throws IOException {
        Scope life = byCode.get(code);
        Long deleted = deletedLinks.isEmpty() ? null : deletedLinks.get(code);
        if (life != null && life.created == created && deleted == null) {
            return life; // nearly every visit: skip the rule's boxing
        }
        switch (Scope.LifeRule.of(deleted, life == null ? null : life.created, created)) {
            case IGNORE -> {
                return null;
            }
            case SAME -> {
                return life;
            }
            case NEW -> {
                if (life != null) {
                    retire(life, false);
                }
                life = new Scope(nextLifeId++, code, created);
                byte[] name = code.getBytes(StandardCharsets.UTF_8);
                lives.append(LIFE, ByteBuffer.allocate(4 + 8 + 2 + name.length).putInt(life.id).putLong(created)
                        .putShort((short) name.length).put(name).flip());
                byId.put(life.id, life);
                byCode.put(code, life);
                return life;
            }
            default -> throw new AssertionError();
        }
    }

    private void retire(Scope life, boolean deleted) throws IOException {
        byte[] name = life.code.getBytes(StandardCharsets.UTF_8);
        lives.append(RETIRE, ByteBuffer.allocate(4 + 1 + 8 + 2 + name.length).putInt(life.id).put((byte) (deleted ? 1 : 0))
                .putLong(life.created).putShort((short) name.length).put(name).flip());
        byCode.remove(life.code, life);
        byId.remove(life.id);
        retired.add(life.id);
        synchronized (dayLock) {
            activeToday.remove(life);
            life.today = null;
        }
        linkTotal -= life.total;
        linkBots -= life.bots;
    }

    /** Appends every active chain's open day to {@code days}, the marker, and a new heads snapshot. */
    void sealOpenDay(long throughSeq) throws IOException {
        if (openDay == NO_DAY || activeToday.isEmpty()) {
            return;
        }
        for (Scope scope : activeToday) {
            DayAggregate today = scope.today;
            ByteBuffer out = ByteBuffer.allocate(4 + 4 + 8 * 5 + today.encodedBytes());
            out.putInt(scope.id).putInt(today.day).putLong(scope.dayHead).putLong(scope.lastSeqToday)
                    .putLong(scope.total).putLong(scope.bots);
            today.encode(out);
            scope.dayHead = days.append(DAY, out.flip());
            scope.today = null;
        }
        activeToday.clear();
        days.append(SEALED, ByteBuffer.allocate(12).putInt(openDay).putLong(throughSeq).flip());
        // The checkpoint counts every visit through throughSeq: they must be on disk before it.
        if (current != null) {
            current.sync();
        }
        lives.sync();
        days.sync();
        writeHeads(throughSeq);
    }

    private void writeHeads(long throughSeq) throws IOException {
        VisitCheckpoint.write(this, throughSeq);
        checkpointSeq = throughSeq;
        lastCheckpointNanos = System.nanoTime();
    }

    /**
     * Forces visits, strings and both small logs; then, every {@link #CHECKPOINT_INTERVAL_NANOS}
     * or {@link #CHECKPOINT_VISITS} visits, a new {@code heads} checkpoint, so that a start
     * replays at most that much.
     */
    @Override
    public void sync() throws IOException {
        if (current != null) {
            current.sync();
        }
        lives.sync();
        days.sync();
        if (nextSeq - 1 > checkpointSeq && (nextSeq - 1 - checkpointSeq >= CHECKPOINT_VISITS
                || System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_INTERVAL_NANOS)) {
            synchronized (dayLock) {
                writeHeads(nextSeq - 1);
            }
        }
    }

    /** Forces everything and writes a checkpoint now (tests; the tracker's syncs write them on a schedule). */
    void checkpointNow() throws IOException {
        if (current != null) {
            current.sync();
        }
        lives.sync();
        days.sync();
        synchronized (dayLock) {
            writeHeads(nextSeq - 1);
        }
    }

    @Override
    public long deleteVisits(String shortCode) throws IOException {
        Scope life = byCode.get(shortCode);
        if (life == null) {
            return 0;
        }
        long deleted = life.total;
        retire(life, false);
        return deleted;
    }

    @Override
    public long deleteOrphanVisits() throws IOException {
        long deleted = orphans.total - orphans.baseTotal;
        long through = nextSeq - 1;
        lives.append(ORPHANS_CLEARED, ByteBuffer.allocate(24).putLong(through).putLong(orphans.total).putLong(orphans.bots).flip());
        orphans.clearedThrough = through;
        orphans.baseBots = orphans.bots;
        orphans.baseTotal = orphans.total;
        return deleted;
    }

    @Override
    public void linkDeleted(String shortCode, long linkCreatedMillis) throws IOException {
        Scope life = byCode.get(shortCode);
        if (life != null && life.created <= linkCreatedMillis) {
            retire(life, true);
        } else {
            byte[] name = shortCode.getBytes(StandardCharsets.UTF_8);
            lives.append(RETIRE, ByteBuffer.allocate(4 + 1 + 8 + 2 + name.length).putInt(0).put((byte) 1)
                    .putLong(linkCreatedMillis).putShort((short) name.length).put(name).flip());
        }
        deletedLinks.merge(shortCode, linkCreatedMillis, Math::max);
    }

    @Override
    public long dropRawVisitsBefore(Instant cutoff) throws IOException {
        long dropped = 0;
        for (VisitSegment segment : List.copyOf(segments.values())) {
            if (segment == current || segment.count() == 0 || segment.lastMillis() >= cutoff.toEpochMilli()) {
                continue;
            }
            segments.remove(segment.base);
            droppedBelow = Math.max(droppedBelow, segment.end());
            dropped += segment.count();
            segment.delete();
        }
        return dropped;
    }

    // ---- reading (any thread) ----

    @Override
    public VisitsSummary summary(String shortCode) {
        Scope life = byCode.get(shortCode);
        return life == null ? VisitsSummary.NONE : life.summary();
    }

    @Override
    public VisitsSummary summary(String shortCode, long linkCreatedMillis) {
        Scope life = byCode.get(shortCode);
        return life == null || life.created != linkCreatedMillis ? VisitsSummary.NONE : life.summary();
    }

    @Override
    public VisitStats stats() {
        long bots = linkBots;
        long total = linkTotal;
        return new VisitStats(VisitsSummary.of(Math.max(total, bots), bots), orphans.summary());
    }

    @Override
    public VisitsPage linkVisits(String shortCode, VisitsQuery query) throws IOException {
        return queries.linkVisits(shortCode, query);
    }

    @Override
    public VisitsPage orphanVisits(VisitsQuery query) throws IOException {
        return queries.orphanVisits(query);
    }

    @Override
    public VisitsPage nonOrphanVisits(VisitsQuery query) throws IOException {
        return queries.nonOrphanVisits(query);
    }

    @Override
    public VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) throws IOException {
        return queries.visitsOf(shortCodes, query);
    }

    @Override
    public VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) throws IOException {
        return queries.aggregates(shortCode, from, to);
    }

    /** A copy of {@code scope}'s open day, or null. */
    DayAggregate today(Scope scope) {
        synchronized (dayLock) {
            if (scope.today == null) {
                return null;
            }
            DayAggregate copy = new DayAggregate(scope.today.day);
            copy.merge(scope.today);
            return copy;
        }
    }

    @Override
    public long diskBytes() {
        long bytes = lives.size() + days.size();
        for (VisitSegment segment : segments.values()) {
            try {
                bytes += segment.bytesOnDisk();
            } catch (IOException e) {
                // a segment retention just deleted
            }
        }
        return bytes;
    }

    static String utf(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Forces everything and writes a checkpoint (so the next start replays nothing), then closes the files. */
    @Override
    public void close() throws IOException {
        try (lives; days) {
            if (current != null && nextSeq - 1 > checkpointSeq) {
                checkpointNow();
            }
            for (VisitSegment segment : segments.values()) {
                segment.close();
            }
        }
    }
}
