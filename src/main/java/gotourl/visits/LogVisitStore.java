package gotourl.visits;

import gotourl.files.OwnerOnly;
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
     * A checkpoint every 30 s or 524,288 visits bounds what a start replays (~1 s of CPU at most:
     * a million visits over 100,000 links replayed in 1.0–1.9 s, measured), for the cost of
     * rewriting every chain's counts: ~120 bytes per link with visits (and its open day's names),
     * ~12 MB for 100,000 links, every ~4 s at full load (every 2 s, at 262,144 visits, it took a
     * tenth of the worker's time, profiled). A clean close writes one too, so that a start after
     * a stop replays nothing. Over more lives than that many visits, both bounds grow with the
     * lives ({@link #checkpointDue}): a checkpoint's cost is one record per life, and a million
     * lives rewritten every 524,288 visits took a sixth of the worker's samples (1,000,000 links,
     * profiled); at ten million it would write ~1.2 GB for every half million visits.
     */
    static final long CHECKPOINT_INTERVAL_NANOS = 30_000_000_000L;
    static final long CHECKPOINT_VISITS = 1 << 19;
    /** The timed checkpoint waits for at least one visit per this many lives. */
    static final int CHECKPOINT_LIVES_PER_VISIT = 16;

    final Path dir;
    final MetaLog lives;
    final MetaLog days;
    final ConcurrentSkipListMap<Long, VisitSegment> segments = new ConcurrentSkipListMap<>();
    final LivesByCode byCode = new LivesByCode();
    final LifeIds byId = new LifeIds();
    final Set<Integer> retired = ConcurrentHashMap.newKeySet();
    final Scope.Orphans orphans = new Scope.Orphans();
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
    /** The chains holding an open day: those visited in it, and those visited the day before. */
    final OpenDays openDays = new OpenDays();
    /** The names the open days count, as ids (see {@link OpenDays}). */
    final DayNames names = new DayNames();
    /** The links' redirect URLs written to {@link #current}, for their chains' memos. */
    final SegmentUrls segmentUrls = new SegmentUrls();
    VisitSegment current;
    /** Each visit's life as {@link #lookUpLives} found it, for the batch being appended. */
    private Scope[] looked = new Scope[Tracker.MAX_BATCH];
    /** Each visit's code's {@link LivesByCode#hash}, beside {@link #looked}. */
    private int[] hashes = new int[Tracker.MAX_BATCH];
    /** A life was created or retired since {@link #lookUpLives}: {@link #looked} may be stale. */
    private boolean livesChanged;
    /** Where the touched counts go, so that the touching is not optimized away. */
    @SuppressWarnings("unused")
    private long touchedSink;
    /** Visits of links (and of them, bots) appended but not yet added to {@link #linkTotal}. */
    private long linkVisits;
    private long linkBotVisits;
    /**
     * The visits appended but not yet readable, in order: each one's chain, sequence number and
     * whether it was a bot. Counted (and made their chains' heads) once {@link #nextSeq} covers
     * them: a query that saw a count or a head first found no visit at all (a list of six
     * orphans came back empty, its total 6). The worker links a chain's next visit through
     * {@link Scope#newestSeq}, which is set at once.
     */
    private Scope[] held = new Scope[Tracker.MAX_BATCH];
    private long[] heldSeqs = new long[Tracker.MAX_BATCH];
    private boolean[] heldBots = new boolean[Tracker.MAX_BATCH];
    private int heldSize;
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
        OwnerOnly.createDirectories(dir); // 0700, and every file in it 0600: the visits are no one else's
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
            lookUpLives(visits);
            long seq = nextSeq;
            for (int i = 0; i < visits.size(); i++) {
                Visit visit = visits.get(i);
                long millis = Math.max(visit.dateMillis(), lastMillis);
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
                    scope = lifeFor(visit.shortCode(), visit.linkCreatedMillis(), looked[i]);
                    if (scope == null) {
                        continue; // a visit of a link deleted while it was queued
                    }
                    linkVisits++;
                    if (visit.potentialBot()) {
                        linkBotVisits++;
                    }
                }
                put(seq, millis, scope, visit);
                lastMillis = millis;
                countLater(scope, seq, visit.potentialBot());
                countDay(scope, seq, day, visit.potentialBot(), visit.refererHost(), visit.browser(), visit.operatingSystem());
                seq++;
            }
            publish(seq);
            publishLinkCounts();
        }
    }

    /** Holds the count of {@code scope}'s visit at {@code seq} until {@link #publish} makes it readable. */
    private void countLater(Scope scope, long seq, boolean bot) {
        if (heldSize == held.length) {
            held = java.util.Arrays.copyOf(held, 2 * heldSize);
            heldSeqs = java.util.Arrays.copyOf(heldSeqs, 2 * heldSize);
            heldBots = java.util.Arrays.copyOf(heldBots, 2 * heldSize);
        }
        held[heldSize] = scope;
        heldSeqs[heldSize] = seq;
        heldBots[heldSize++] = bot;
    }

    /** Counts the visits {@link #countLater} held, each in its chain, and makes each its chain's head. */
    private void countHeld() {
        for (int i = 0; i < heldSize; i++) {
            held[i].count(heldSeqs[i], heldBots[i]);
            held[i] = null;
        }
        heldSize = 0;
    }

    /** Writes {@code visit}'s record at {@code seq}, in {@code scope}'s chain. */
    private void put(long seq, long millis, Scope scope, Visit visit) throws IOException {
        VisitSegment segment = current;
        boolean visitedIsCode = !visit.isOrphan() && isCodePath(visit.visitedPath(), visit.shortCode());
        int redirect = VisitSegment.NONE;
        String url = visit.redirectUrl();
        if (url != null) {
            // A link sends (nearly) every visit to the same URL: its reference is kept on the
            // link's chain, so that 100,000 links' URLs need no lookup in the segment's strings,
            // and its bytes in segmentUrls, compared by value: each redirect builds its URL
            // afresh, and keeping that young copy in the long-lived scope would keep it alive and
            // dirty an old card per visit, which made every young collection copy and scan them
            // (20-30 ms pauses at full rate). Not through the segment's memo of strings either: a
            // memo entry per link and segment was a young String, entry and Integer stored into
            // an old table, 100,000 of them in each segment's first seconds over 100,000 links.
            if (scope.lastUrlGeneration == segmentUrls.generation() && segmentUrls.matches(scope.lastUrlAt, url)) {
                redirect = scope.lastUrlRef;
            } else {
                byte[] utf8 = url.getBytes(StandardCharsets.UTF_8);
                redirect = segment.writeString(utf8);
                scope.lastUrlAt = segmentUrls.add(utf8);
                scope.lastUrlRef = redirect;
                scope.lastUrlGeneration = segmentUrls.generation();
            }
        }
        long prev = scope.newestSeq == VisitSegment.NO_SEQ ? scope.head : scope.newestSeq; // the head: a checkpoint without it
        segment.put((int) (seq - segment.base), millis, prev, scope.id == Scope.ORPHANS ? 0 : scope.id,
                segment.string(LogVisitQueries.UA, visit.userAgent()), segment.string(LogVisitQueries.REFERER, visit.referer()),
                visitedIsCode ? VisitSegment.NONE : segment.string(visit.visitedPath()), redirect,
                segment.string(LogVisitQueries.BROWSER, visit.browser()), segment.string(LogVisitQueries.OS, visit.operatingSystem()),
                visit.potentialBot(), visit.type());
    }

    /**
     * Adds the links' visits counted since the last call to {@link #linkTotal} and {@link #linkBots}:
     * once a batch rather than once a visit, as each is a volatile write (and before a life is
     * retired, which takes its visits off them).
     */
    private void publishLinkCounts() {
        linkTotal += linkVisits;
        linkBots += linkBotVisits;
        linkVisits = 0;
        linkBotVisits = 0;
    }

    private void publish(long seq) throws IOException {
        lives.flush(); // the lives first, so that a crash of goto alone leaves no record naming an unknown life
        if (current != null && seq > nextSeq) {
            current.publish((int) (seq - current.base));
            nextSeq = seq;
        }
        countHeld(); // after nextSeq: a query that reads a count, then nextSeq, finds every visit counted
    }

    static boolean isCodePath(String path, String code) {
        return path.length() == code.length() + 1 && path.charAt(0) == '/' && path.endsWith(code);
    }

    /**
     * Counts a visit in its chain's open day and, for a link's, in all links' day (the worker,
     * and a start's replay). Each name is looked up once for both days.
     */
    void countDay(Scope scope, long seq, int day, boolean bot, String host, String browser, String os) {
        int h = names.idOf(OpenDays.HOSTS, host);
        int b = names.idOf(OpenDays.BROWSERS, browser);
        int o = names.idOf(OpenDays.SYSTEMS, os);
        int today = openDays.open(scope, day);
        openDays.visit(today, bot);
        h = openDays.count(today, OpenDays.HOSTS, h, host, names);
        b = openDays.count(today, OpenDays.BROWSERS, b, browser, names);
        o = openDays.count(today, OpenDays.SYSTEMS, o, os, names);
        scope.newestSeq = seq;
        if (scope != orphans) {
            int all = openDays.open(allLinks, day);
            openDays.visit(all, bot);
            openDays.count(all, OpenDays.HOSTS, h, host, names);
            openDays.count(all, OpenDays.BROWSERS, b, browser, names);
            openDays.count(all, OpenDays.SYSTEMS, o, os, names);
            allLinks.newestSeq = seq;
        }
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
        segmentUrls.clear(); // the chains' references were the old segment's
    }

    /**
     * Looks up the life of each visit's link, for the whole batch before any visit is counted.
     * Over many links each lookup is a few cache misses (the table's slot, the life, its open day,
     * the segment's copy of its URL), most of what a visit cost the worker over 100,000 links
     * (profiled, BENCHMARKS.md). Each depends on the one before, so they go in passes over the
     * batch: every slot, then every life in them, then the look-ups proper, then every open day's
     * row and URL; within a pass the reads do not depend on each other, and the processor waits
     * for many at once instead of one visit's chain at a time. What {@link #put} and
     * {@link #countDay} read of them is then in the cache. A life created or retired meanwhile
     * makes {@link #lifeFor} look again.
     */
    private void lookUpLives(List<Visit> visits) {
        int n = visits.size();
        if (looked.length < n) {
            looked = new Scope[Math.max(n, 2 * looked.length)];
            hashes = new int[looked.length];
        }
        long touched = 0;
        for (int i = 0; i < n; i++) { // the slots
            String code = visits.get(i).shortCode();
            if (code != null) {
                int hash = LivesByCode.hash(code);
                hashes[i] = hash;
                looked[i] = byCode.firstSlot(hash);
            } else {
                looked[i] = null;
            }
        }
        for (int i = 0; i < n; i++) { // the lives the slots hold
            Scope first = looked[i];
            if (first != null) {
                touched += first.packedCode;
            }
        }
        for (int i = 0; i < n; i++) { // the look-ups, from the cache
            String code = visits.get(i).shortCode();
            looked[i] = code == null ? null : byCode.get(code, hashes[i]);
        }
        int generation = segmentUrls.generation();
        for (int i = 0; i < n; i++) { // each life's open day and URL
            Scope life = looked[i];
            if (life != null) {
                if (life.openDayAt >= 0) {
                    touched += openDays.touch(life.openDayAt);
                }
                if (life.lastUrlGeneration == generation) {
                    touched += segmentUrls.touch(life.lastUrlAt); // the URL put() compares
                }
            }
        }
        touchedSink = touched;
        livesChanged = false;
    }

    private Scope lifeFor(String code, long created, Scope lookedUp) throws IOException {
        Scope life = livesChanged ? byCode.get(code) : lookedUp;
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
                livesChanged = true;
                life = Scope.of(nextLifeId++, code, created);
                byte[] name = code.getBytes(StandardCharsets.UTF_8);
                // Held and written with the batch (publish), before the records that name it.
                lives.appendLater(LIFE, ByteBuffer.allocate(4 + 8 + 2 + name.length).putInt(life.id).putLong(created)
                        .putShort((short) name.length).put(name).flip());
                addLife(life);
                return life;
            }
            default -> throw new AssertionError();
        }
    }

    /** Makes {@code life} its code's current life, for queries and for the worker. */
    void addLife(Scope life) {
        byId.put(life);
        byCode.put(life);
    }

    /** Takes {@code life} away from the lives queries and the worker find. */
    void removeLife(Scope life) {
        byCode.remove(life);
        byId.remove(life);
    }

    private void retire(Scope life, boolean deleted) throws IOException {
        publishLinkCounts(); // with life's held visits, which leave linkTotal with it below
        long heldTotal = 0;
        long heldBots = 0;
        for (int i = 0; i < heldSize; i++) {
            if (held[i] == life) {
                heldTotal++;
                heldBots += this.heldBots[i] ? 1 : 0;
            }
        }
        livesChanged = true;
        byte[] name = life.code().getBytes(StandardCharsets.UTF_8);
        lives.append(RETIRE, ByteBuffer.allocate(4 + 1 + 8 + 2 + name.length).putInt(life.id).put((byte) (deleted ? 1 : 0))
                .putLong(life.created).putShort((short) name.length).put(name).flip());
        removeLife(life);
        retired.add(life.id);
        synchronized (dayLock) {
            openDays.remove(life);
        }
        linkTotal -= life.total + heldTotal;
        linkBots -= life.bots + heldBots;
    }

    /**
     * Appends every visited chain's open day to {@code days}, the marker, and a new heads
     * snapshot. Each visited chain keeps its day, emptied, for the next; a chain that held one
     * but had no visit in the sealed day loses it.
     */
    void sealOpenDay(long throughSeq) throws IOException {
        if (openDay == NO_DAY || !openDays.anyVisited()) {
            openDays.clear();
            names.clear();
            return;
        }
        // Backwards: a removal moves the last scope, already seen, into the removed one's place.
        for (int i = openDays.size() - 1; i >= 0; i--) {
            Scope scope = openDays.get(i);
            if (openDays.total(i) == 0) {
                openDays.remove(scope);
                continue;
            }
            ByteBuffer out = ByteBuffer.allocate(4 + 4 + 8 * 5 + openDays.encodedBytes(i, names));
            out.putInt(scope.id).putInt(openDays.day(i)).putLong(scope.dayHead).putLong(scope.newestSeq)
                    .putLong(scope.total).putLong(scope.bots);
            openDays.encode(i, out, names);
            scope.dayHead = days.append(DAY, out.flip());
            openDays.reset(i);
        }
        names.clear();
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
        if (checkpointDue(nextSeq - 1 - checkpointSeq, byCode.size(), System.nanoTime() - lastCheckpointNanos)) {
            synchronized (dayLock) {
                writeHeads(nextSeq - 1);
            }
        }
    }

    /**
     * Whether a sync writes a checkpoint, {@code visits} visits after the last one, with
     * {@code lives} current lives, {@code elapsedNanos} after it: once the visits reach
     * {@link #CHECKPOINT_VISITS} or the lives, whichever is more, so that a start replays at
     * most as many visits as the checkpoint it reads holds lives, and a checkpoint costs the
     * worker at most one life's record per visit; or after {@link #CHECKPOINT_INTERVAL_NANOS}
     * with at least one visit per {@link #CHECKPOINT_LIVES_PER_VISIT} lives.
     */
    static boolean checkpointDue(long visits, long lives, long elapsedNanos) {
        if (visits <= 0) {
            return false;
        }
        return visits >= Math.max(CHECKPOINT_VISITS, lives)
                || elapsedNanos >= CHECKPOINT_INTERVAL_NANOS && visits * CHECKPOINT_LIVES_PER_VISIT >= lives;
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
            return openDays.visited(scope) ? openDays.toAggregate(scope.openDayAt, names) : null;
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
