package gotourl.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import gotourl.check.HealthBook;
import gotourl.check.HealthState;
import gotourl.check.LinkHealth;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link health on PostgreSQL ({@code link_health}, migration V6): the {@link HealthBook.Keeper} of
 * every node with {@code -db}, so verdicts survive a restart and every node shows the same.
 *
 * <p>Design note. A verdict made here waits in {@link #pending} (one per short code, so it is
 * bounded by the number of links, and a link checked twice before a write is written once); one
 * thread ({@code goto-pg-health}) writes what waits every {@link #FLUSH_MS} ms, or at once when
 * {@link #BATCH} wait, {@link #BATCH} rows per transaction as one {@code unnest} upsert. The
 * checker's workers never touch the database. While the database is away the verdicts stay
 * pending and are written when it is back; nothing blocks.
 *
 * <p>Each write takes change numbers by updating the one row of {@code link_health_changes}, whose
 * lock orders the writers of all nodes, so numbers commit in order. Other nodes read the rows
 * changed after the last number they saw ({@link #catchUp}, on their feed's connection, with its
 * poll every 500 ms): no verdict is missed across reconnects, and no notification is needed.
 * An upsert never replaces a newer verdict (by {@code checked_at}) with an older one.
 */
final class PgHealth implements HealthBook.Keeper {
    private static final Logger LOG = LoggerFactory.getLogger(PgHealth.class);
    /** Verdicts written per transaction at most: one round trip of a few hundred KB. */
    static final int BATCH = 1_000;
    /** How long a verdict waits to be batched; health is minutes old anyway, so seconds cost nothing. */
    static final long FLUSH_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final int PAGE = 5_000;

    private static final String COLUMNS = "short_code, link_created, long_url, state, status, location, checked_at, detail";
    private static final String MILLIS = "timestamptz 'epoch' + %s * interval '1 millisecond'";
    private static final String TAKE_NUMBERS = "UPDATE link_health_changes SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq";
    private static final String UPSERT = "INSERT INTO link_health AS h (" + COLUMNS + ", change_seq)"
            + " SELECT b.code, " + MILLIS.formatted("b.created") + ", b.url, b.state, b.status, b.location, "
            + MILLIS.formatted("b.checked") + ", b.detail, b.seq"
            + " FROM unnest(?::text[], ?::int8[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::int8[], ?::text[], ?::int8[])"
            + " AS b(code, created, url, state, status, location, checked, detail, seq)"
            + " ON CONFLICT (short_code) DO UPDATE SET link_created = EXCLUDED.link_created, long_url = EXCLUDED.long_url,"
            + " state = EXCLUDED.state, status = EXCLUDED.status, location = EXCLUDED.location, checked_at = EXCLUDED.checked_at,"
            + " detail = EXCLUDED.detail, change_seq = EXCLUDED.change_seq WHERE h.checked_at <= EXCLUDED.checked_at";
    private static final String SELECT = "SELECT " + COLUMNS + ", change_seq FROM link_health";
    private static final String CHANGED_AFTER = SELECT + " WHERE change_seq > ? ORDER BY change_seq LIMIT ?";
    /** The verdicts of links that are gone: deleted, or their code now another life's. */
    private static final String FORGET_GONE = "DELETE FROM link_health h WHERE NOT EXISTS (SELECT 1 FROM short_urls s"
            + " WHERE s.short_code = h.short_code AND NOT s.deleted AND s.date_created = h.link_created)";

    private final HikariDataSource pool;
    private final String where;
    private final Map<String, HealthBook.Entry> pending = new ConcurrentHashMap<>();
    private final ReentrantLock wake = new ReentrantLock();
    private final Condition due = wake.newCondition();
    private final ReentrantLock flushing = new ReentrantLock();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile String failure;
    /** Writes to {@code link_health} that failed (each retry counts): {@code goto_checks_health_writes_failed_total}. */
    private final java.util.concurrent.atomic.AtomicLong failedWrites = new java.util.concurrent.atomic.AtomicLong();
    /** Guards {@link #lastSeen} and {@link #learned}: the catch-up of one node reads in order. */
    private final ReentrantLock reading = new ReentrantLock();
    private long lastSeen;
    private Consumer<HealthBook.Entry> learned;

    PgHealth(HikariDataSource pool, PgSettings settings) {
        this.pool = pool;
        this.where = "link_health in " + settings.describe();
        this.writer = Thread.ofPlatform().name("goto-pg-health").daemon(true).unstarted(this::run);
    }

    void start() {
        writer.start();
    }

    @Override
    public List<HealthBook.Entry> open(Consumer<HealthBook.Entry> sink) throws IOException {
        reading.lock();
        try (Connection connection = pool.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setFetchSize(10_000);
            List<HealthBook.Entry> entries = new ArrayList<>();
            long newest = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    HealthBook.Entry entry = read(rows);
                    if (entry != null) {
                        entries.add(entry);
                    }
                    newest = Math.max(newest, rows.getLong(9));
                }
            }
            connection.commit();
            // One statement reads one snapshot, and numbers commit in order: every change after
            // `newest` is one this node has not read.
            lastSeen = newest;
            learned = sink;
            return entries;
        } catch (SQLException e) {
            throw new IOException("cannot read link health from " + where + ": " + SqlErrors.describe(e), e);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Hands the verdicts written (by any node) since the last one read to the book, in change
     * order; nothing before {@link #open}. Runs on the feed's thread and connection.
     */
    void catchUp(Connection connection) throws SQLException {
        reading.lock();
        try {
            if (learned == null) {
                return;
            }
            try (PreparedStatement select = connection.prepareStatement(CHANGED_AFTER)) {
                while (true) {
                    select.setLong(1, lastSeen);
                    select.setInt(2, PAGE);
                    int count = 0;
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            count++;
                            HealthBook.Entry entry = read(rows);
                            if (entry != null) {
                                learned.accept(entry);
                            }
                            lastSeen = rows.getLong(9);
                        }
                    }
                    if (count < PAGE) {
                        return;
                    }
                }
            }
        } finally {
            reading.unlock();
        }
    }

    @Override
    public void recorded(HealthBook.Entry entry) {
        pending.put(entry.shortCode(), entry);
        if (pending.size() >= BATCH) {
            signal();
        }
    }

    /**
     * Writes what waits, then deletes the verdicts of links gone from the database. Runs on the
     * checker's thread at the end of a round; throws {@link IOException} when the database
     * refuses (what waits stays pending for the writer thread).
     */
    @Override
    public void roundEnded(Collection<HealthBook.Entry> live) throws IOException {
        try (Connection connection = pool.getConnection()) {
            flush(connection);
            try (Statement forget = connection.createStatement()) {
                int gone = forget.executeUpdate(FORGET_GONE);
                connection.commit();
                if (gone > 0) {
                    LOG.debug("forgot the health of {} links that are gone", gone);
                }
            }
            failure = null;
        } catch (SQLException e) {
            // What waits stays pending: the writer retries it and clears the failure once written.
            failedWrites.incrementAndGet();
            failure = "link health is not being written to the database (" + SqlErrors.describe(e) + "); " + pending.size()
                    + " verdicts wait in memory";
            throw new IOException("link health not written to " + where + ": " + SqlErrors.describe(e), e);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Verdicts waiting to be written. */
    int pendingCount() {
        return pending.size();
    }

    private void signal() {
        wake.lock();
        try {
            due.signal();
        } finally {
            wake.unlock();
        }
    }

    private void run() {
        long backoff = FLUSH_MS;
        while (running) {
            try {
                awaitDue(pending.isEmpty() || failure != null ? backoff : FLUSH_MS);
                if (!pending.isEmpty()) {
                    try (Connection connection = pool.getConnection()) {
                        flush(connection);
                    }
                    if (failure != null) {
                        LOG.info("link health written to the database again");
                        failure = null;
                    }
                    backoff = FLUSH_MS;
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                String why = e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString();
                failedWrites.incrementAndGet();
                if (failure == null) {
                    LOG.warn("link health not written ({} verdicts wait in memory, retried): {}", pending.size(), why);
                }
                failure = "link health is not being written to the database (" + why + "); " + pending.size()
                        + " verdicts wait in memory";
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void awaitDue(long millis) throws InterruptedException {
        wake.lock();
        try {
            if (running && pending.size() < BATCH) {
                due.await(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            wake.unlock();
        }
    }

    /**
     * Writes every pending verdict, {@link #BATCH} per transaction; each leaves pending once
     * committed. One flush at a time (the writer's, a round's end, a stop), so no verdict is
     * written twice by two of them at once.
     */
    private void flush(Connection connection) throws SQLException {
        flushing.lock();
        try {
            flushPending(connection);
        } finally {
            flushing.unlock();
        }
    }

    private void flushPending(Connection connection) throws SQLException {
        while (!pending.isEmpty()) {
            List<HealthBook.Entry> batch = new ArrayList<>(Math.min(BATCH, pending.size()));
            for (HealthBook.Entry entry : pending.values()) {
                batch.add(entry);
                if (batch.size() == BATCH) {
                    break;
                }
            }
            try {
                write(connection, batch);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
            for (HealthBook.Entry entry : batch) {
                pending.remove(entry.shortCode(), entry); // unless a newer verdict came meanwhile
            }
        }
    }

    private static void write(Connection connection, List<HealthBook.Entry> batch) throws SQLException {
        long last;
        try (PreparedStatement numbers = connection.prepareStatement(TAKE_NUMBERS)) {
            numbers.setInt(1, batch.size());
            try (ResultSet row = numbers.executeQuery()) {
                row.next();
                last = row.getLong(1);
            }
        }
        int n = batch.size();
        String[] codes = new String[n];
        Long[] created = new Long[n];
        String[] urls = new String[n];
        String[] states = new String[n];
        Integer[] statuses = new Integer[n];
        String[] locations = new String[n];
        Long[] checked = new Long[n];
        String[] details = new String[n];
        Long[] seqs = new Long[n];
        for (int i = 0; i < n; i++) {
            HealthBook.Entry entry = batch.get(i);
            LinkHealth health = entry.health();
            codes[i] = entry.shortCode();
            created[i] = entry.linkCreatedMillis();
            urls[i] = entry.longUrl();
            states[i] = health.state().label();
            statuses[i] = health.status();
            locations[i] = health.location();
            checked[i] = health.checkedAt().toEpochMilli();
            details[i] = health.detail();
            seqs[i] = last - n + 1 + i;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, connection.createArrayOf("text", codes));
            upsert.setArray(2, connection.createArrayOf("int8", created));
            upsert.setArray(3, connection.createArrayOf("text", urls));
            upsert.setArray(4, connection.createArrayOf("text", states));
            upsert.setArray(5, connection.createArrayOf("int4", statuses));
            upsert.setArray(6, connection.createArrayOf("text", locations));
            upsert.setArray(7, connection.createArrayOf("int8", checked));
            upsert.setArray(8, connection.createArrayOf("text", details));
            upsert.setArray(9, connection.createArrayOf("int8", seqs));
            upsert.executeUpdate();
        }
    }

    /** A row as a book entry; null (and a warning) for a state this goto does not know (a newer goto wrote it). */
    private static HealthBook.Entry read(ResultSet row) throws SQLException {
        HealthState state;
        try {
            state = HealthState.ofLabel(row.getString(4));
        } catch (IllegalArgumentException unknown) {
            LOG.warn("link health of {} skipped: {}", row.getString(1), unknown.getMessage());
            return null;
        }
        int status = row.getInt(5);
        Integer statusOrNull = row.wasNull() ? null : status;
        Instant checkedAt = row.getObject(7, java.time.OffsetDateTime.class).toInstant();
        LinkHealth health = new LinkHealth(state, statusOrNull, row.getString(6), checkedAt, row.getString(8));
        return new HealthBook.Entry(row.getString(1), row.getObject(2, java.time.OffsetDateTime.class).toInstant().toEpochMilli(),
                row.getString(3), health);
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection failed; the pool drops it
        }
    }

    /** Writes what waits within the deadline (a stop loses no verdict it can write), then stops the writer. */
    void stop(long deadlineNanos) {
        running = false;
        signal(); // not an interrupt: that could break the connection of a write in flight
        try {
            writer.join(Math.max(1, Math.min(FLUSH_MS * 2, (deadlineNanos - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("the link health writer did not stop within {} ms", FLUSH_MS * 2);
        }
        if (!pending.isEmpty() && !pool.isClosed() && deadlineNanos - System.nanoTime() > 0) {
            try (Connection connection = pool.getConnection()) {
                flush(connection);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{} link health verdicts not written at the stop (the next check makes them again): {}", pending.size(),
                        e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString());
            }
        }
    }
}
