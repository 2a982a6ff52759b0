package gotourl.store.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import gotourl.store.StoreFailedException;
import gotourl.visits.Visit;
import gotourl.visits.VisitAggregates;
import gotourl.visits.VisitStats;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitStoreUnavailableException;
import gotourl.visits.VisitsPage;
import gotourl.visits.VisitsQuery;
import gotourl.visits.VisitsSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Visits in PostgreSQL ({@code -db}), shared by every node: the tables of migration V3, written
 * by the {@link gotourl.visits.Tracker}'s worker one batch per transaction.
 *
 * <p>Design note. {@link #append} writes a batch in one transaction of five statements, each
 * carrying the whole batch as arrays ({@link VisitRows}): the count of each visited code's life
 * ({@code visit_links}, whose row lock orders every node's writes of that code, and whose
 * upsert decides which life a visit belongs to), the raw visits, the per-day counts and names,
 * and this node's row of the totals. Nothing of a batch is half-written, and a batch is visible
 * to every node's queries once this returns. Commits are asynchronous
 * ({@code synchronous_commit = off}): a crash of the database may lose its last fraction of a
 * second of visits, as the file store's is bounded by its forcing interval; {@link #sync} makes
 * everything before it durable.
 *
 * <p>Outages: visits that cannot be written wait in memory ({@value #MAX_PENDING} at most, then
 * the oldest are dropped and counted in {@link #lostVisits()}) and are written when the database
 * answers again, tried at most every {@value #RETRY_MILLIS} ms; meanwhile {@link #unavailable()}
 * says why, and queries and deletes throw {@link VisitStoreUnavailableException}. Links and
 * redirects never wait for any of this.
 */
public final class PgVisitStore implements VisitStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgVisitStore.class);
    /** Visits held through an outage: ~10 s of heavy traffic, ~30 MB of visits whose strings are mostly shared. */
    static final int MAX_PENDING = 1 << 17;
    /** Visits per transaction at most: the Tracker's batch. */
    static final int MAX_WRITE = 4096;
    static final long RETRY_MILLIS = 1_000;
    private static final int ATTEMPTS = 3;

    private final HikariDataSource pool;
    /** This node's row of {@code visit_totals}: nodes rarely share one, so they rarely wait for each other. */
    private final int slot = ThreadLocalRandom.current().nextInt(16);
    private final VisitWrites writes;
    // Worker only: visits taken but not yet written, oldest first.
    private final ArrayList<Visit> pending = new ArrayList<>();
    private long lastAttemptNanos;
    private volatile String outage;
    private final AtomicLong lost = new AtomicLong();
    /** {@code pending.size()} for other threads (health). */
    private volatile int pendingCount;

    private PgVisitStore(HikariDataSource pool) {
        this.pool = pool;
        this.writes = new VisitWrites(slot);
    }

    /**
     * Connects to {@code settings}' database with a pool of its own (so that visits never take a
     * connection links need), and brings the schema up to date. Throws {@link StoreFailedException}
     * naming the database (never its password) when it cannot be reached or migrated.
     */
    public static PgVisitStore open(PgSettings settings) {
        HikariConfig config = settings.poolConfig("goto-pg-visits", 3, "goto-visits"); // the worker, and queries of the REST API
        config.setConnectionInitSql("SET synchronous_commit = off");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new StoreFailedException("cannot open the visits in " + settings.describe() + ": " + PgLinkStore.rootMessage(e), e);
        }
        return new PgVisitStore(pool);
    }

    // ---- writes: the Tracker's worker only ----

    @Override
    public void append(List<Visit> visits) throws IOException {
        pending.addAll(visits);
        if (pending.size() > MAX_PENDING) {
            int over = pending.size() - MAX_PENDING;
            pending.subList(0, over).clear();
            lost.addAndGet(over);
        }
        flush(false);
        pendingCount = pending.size();
    }

    /** Writes what is pending, unless the database was unreachable less than {@link #RETRY_MILLIS} ago. */
    private void flush(boolean evenSoon) throws IOException {
        if (pending.isEmpty() || outage != null && !evenSoon && System.nanoTime() - lastAttemptNanos < RETRY_MILLIS * 1_000_000) {
            return;
        }
        lastAttemptNanos = System.nanoTime();
        try {
            while (!pending.isEmpty()) {
                List<Visit> chunk = pending.subList(0, Math.min(MAX_WRITE, pending.size()));
                inTransaction(connection -> {
                    writes.write(connection, chunk);
                    return null;
                });
                chunk.clear();
            }
            if (outage != null) {
                LOG.info("visits are written to the database again ({} lost meanwhile)", lost.get());
                outage = null;
            }
        } catch (VisitStoreUnavailableException e) {
            if (outage == null) {
                LOG.warn("the database is unavailable; visits wait in memory (at most {}) and are written when it is back: {}",
                        MAX_PENDING, e.getMessage());
            }
            outage = e.getMessage();
        }
    }

    /**
     * Writes what waits, then makes every visit committed before it durable: a transaction that
     * takes an id commits synchronously, which flushes the WAL up to it, and so every earlier
     * asynchronous commit (PostgreSQL docs §28.4, "Asynchronous Commit").
     */
    @Override
    public void sync() throws IOException {
        flush(false);
        pendingCount = pending.size();
        if (outage != null) {
            return;
        }
        try {
            inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL synchronous_commit = on");
                    statement.execute("SELECT txid_current()");
                }
                return null;
            });
        } catch (VisitStoreUnavailableException e) {
            outage = e.getMessage(); // the visits before are committed, not yet known durable: a crash now could lose them
        }
    }

    @Override
    public long deleteVisits(String shortCode) throws IOException {
        flush(true);
        return inTransaction(connection -> writes.deleteVisits(connection, shortCode));
    }

    @Override
    public long deleteOrphanVisits() throws IOException {
        flush(true);
        return inTransaction(writes::deleteOrphanVisits);
    }

    @Override
    public void linkDeleted(String shortCode, long linkCreatedMillis) throws IOException {
        flush(true);
        inTransaction(connection -> {
            writes.linkDeleted(connection, shortCode, linkCreatedMillis);
            return null;
        });
    }

    @Override
    public long dropRawVisitsBefore(Instant cutoff) throws IOException {
        long dropped = 0;
        while (true) {
            long chunk = inTransaction(connection -> {
                try (PreparedStatement drop = connection.prepareStatement(VisitRows.DROP_BEFORE)) {
                    drop.setLong(1, cutoff.toEpochMilli());
                    return (long) drop.executeUpdate();
                }
            });
            dropped += chunk;
            if (chunk == 0) {
                return dropped;
            }
        }
    }

    // ---- reads: any thread but a selector's (each is a round trip) ----

    /** Every read is a database round trip, after a wait for a connection of up to 2 s. */
    @Override
    public boolean readsBlock() {
        return true;
    }

    @Override
    public VisitsSummary summary(String shortCode) {
        try {
            return inTransaction(connection -> {
                try (PreparedStatement select = connection.prepareStatement(VisitRows.SUMMARY)) {
                    select.setString(1, shortCode);
                    try (ResultSet row = select.executeQuery()) {
                        return row.next() ? VisitsSummary.of(row.getLong(1), row.getLong(2)) : VisitsSummary.NONE;
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VisitStats stats() {
        try {
            return inTransaction(connection -> {
                try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(VisitRows.STATS)) {
                    row.next();
                    return new VisitStats(VisitsSummary.of(row.getLong(1), row.getLong(2)), VisitsSummary.of(row.getLong(3), row.getLong(4)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VisitsPage linkVisits(String shortCode, VisitsQuery query) throws IOException {
        return page(VisitRows.Where.of("short_code = ?", query, shortCode), query);
    }

    @Override
    public VisitsPage orphanVisits(VisitsQuery query) throws IOException {
        return page(VisitRows.Where.of("short_code IS NULL", query), query);
    }

    @Override
    public VisitsPage nonOrphanVisits(VisitsQuery query) throws IOException {
        return page(VisitRows.Where.of("short_code IS NOT NULL", query), query);
    }

    @Override
    public VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) throws IOException {
        return page(VisitRows.Where.of("short_code = ANY(?)", query, (Object) shortCodes.toArray(String[]::new)), query);
    }

    /**
     * A page and the count of all matching, in one snapshot. Raw visits of a life that ended are
     * deleted in the transaction that ends it, so every visit stored is of a current life.
     */
    private VisitsPage page(VisitRows.Where where, VisitsQuery query) throws IOException {
        return inTransaction(connection -> {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long total;
                try (PreparedStatement count = connection.prepareStatement(where.count())) {
                    where.bind(count, connection);
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        total = row.getLong(1);
                    }
                }
                List<Visit> data = new ArrayList<>();
                if (total > 0) {
                    try (PreparedStatement select = connection.prepareStatement(where.page(query))) {
                        where.bind(select, connection);
                        select.setFetchSize(1_000);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                data.add(VisitRows.read(rows));
                            }
                        }
                    }
                }
                return VisitsPage.of(query, data, total);
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        });
    }

    @Override
    public VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) throws IOException {
        return inTransaction(connection -> VisitAggregateReads.read(connection, shortCode, from, to));
    }

    // ---- state ----

    @Override
    public String unavailable() {
        String why = outage;
        return why == null ? null : "the database is unavailable (" + why + "); " + pendingCount + " visits wait to be written";
    }

    @Override
    public long lostVisits() {
        return lost.get();
    }

    @Override
    public void close() {
        if (!pending.isEmpty()) {
            try {
                flush(true); // the database may be back since the last attempt
            } catch (IOException e) {
                LOG.warn("writing the last visits failed: {}", e.getMessage());
            }
        }
        if (!pending.isEmpty()) {
            LOG.warn("{} visits were not written: the database was unavailable until goto stopped", pending.size());
        }
        pool.close();
    }

    /** Work on one connection in one transaction, committed when {@code work} returns. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction, again (up to {@value #ATTEMPTS} times) after a
     * serialization failure or deadlock. Throws {@link VisitStoreUnavailableException} when the
     * database cannot be reached, {@link IOException} when it refuses.
     */
    private <T> T inTransaction(Work<T> work) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection);
                    throw e;
                }
            } catch (SQLException e) {
                if (SqlErrors.isRetry(e.getSQLState()) && attempt < ATTEMPTS) {
                    continue;
                }
                if (PgWriter.isUnavailable(e)) {
                    throw new VisitStoreUnavailableException(SqlErrors.describe(e), e);
                }
                throw new IOException("the database refused a visits statement: " + SqlErrors.describe(e), e);
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it
        }
    }
}
