package gotourl.store.pg;

import gotourl.link.Link;
import gotourl.store.LinkConflictException;
import gotourl.store.LinkNotFoundException;
import gotourl.store.LinkState;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store's one writer thread ({@code goto-pg-writer}): the seeds' {@code saveLoop},
 * writing group commits to the database.
 *
 * <p>Design note. The writer takes every waiting plan (up to {@link #MAX_GROUP}) and writes them
 * in one transaction: it takes as many change numbers as the group has writes by updating the
 * one row of {@code short_url_changes} (which holds that row's lock until commit, so groups of
 * all nodes commit in change-number order), reads what other nodes committed since this node's
 * last seen change, sends every write as one JDBC batch of {@link LinkRows#WRITE} (one round
 * trip, order kept), then NOTIFY, then COMMIT with {@code synchronous_commit = on}. Only after
 * the commit returns are the other nodes' changes and then the group published to memory and the
 * futures completed: an acknowledged change is in the database's WAL on disk.
 *
 * <p>A write the database refuses (a slug another node took meanwhile, a link another node
 * deleted) fails its plan, and every plan of the group touching the same code; the rest is
 * written again in a new transaction. A lost connection fails the group as busy (the client may
 * retry; if the commit did reach the database, the link appears with the next replay, never the
 * other way round) and marks the store down until a connection works again.
 */
final class PgWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PgWriter.class);
    /** Changes of one transaction at most: a batch of 1000 writes is a few ms of the database's time. */
    static final int MAX_GROUP = 1_000;
    /**
     * Keys kept leased ahead: a batch may take a thousand at once, and leasing costs one round
     * trip per block, so a node leases the next block while a whole batch's worth is still left.
     */
    static final long LOW_WATER_KEYS = 1_000;
    private static final long IDLE_POLL_MS = 250;

    private final PgLinkStore store;
    private final Thread thread;
    private volatile boolean running = true;

    PgWriter(PgLinkStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("goto-pg-writer").daemon(false).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        List<LinkState.Plan> group = new ArrayList<>();
        while (running || !store.queue.isEmpty()) {
            try {
                LinkState.Plan first = store.queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    store.queue.drainTo(group, MAX_GROUP - 1);
                    write(group);
                    group.clear();
                }
                maintain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // A failure of this iteration must not end the thread; its plans are already failed.
                LOG.error("writer iteration failed", e);
                fail(group, new StoreFailedException("the writer failed: " + e, e));
                group.clear();
            }
        }
    }

    /** Probes the database while it is down, and leases keys when few are left. */
    private void maintain() {
        if (store.isDown()) {
            try (Connection connection = store.pool.getConnection()) {
                if (connection.isValid(1)) {
                    store.up("the writer connected");
                }
            } catch (SQLException e) {
                return;
            }
        }
        if (store.state.leasedKeysLeft() < LOW_WATER_KEYS) {
            try {
                leaseKeys();
            } catch (SQLException e) {
                LOG.warn("could not lease keys: {}", PgLinkStore.rootMessage(e));
                if (isUnavailable(e)) {
                    store.down(PgLinkStore.rootMessage(e));
                }
            }
        }
    }

    /** Leases blocks of keys until at least {@link #LOW_WATER_KEYS} more than now are left. */
    void leaseKeys() throws SQLException {
        try (Connection connection = store.pool.getConnection(); Statement statement = connection.createStatement()) {
            long size;
            try (ResultSet rows = statement.executeQuery(LinkRows.LEASE_SIZE)) {
                rows.next();
                size = rows.getLong(1);
            }
            while (store.state.leasedKeysLeft() < 2 * LOW_WATER_KEYS) {
                try (ResultSet rows = statement.executeQuery(LinkRows.LEASE_KEYS)) {
                    rows.next();
                    long from = rows.getLong(1);
                    store.state.lease(from, from + size);
                }
            }
            connection.commit();
        }
    }

    private void write(List<LinkState.Plan> group) {
        List<LinkState.Plan> remaining = new ArrayList<>(group);
        while (!remaining.isEmpty()) {
            Map<LinkState.Plan, RuntimeException> refused;
            try (Connection connection = store.pool.getConnection()) {
                store.feedLock.lock();
                try {
                    refused = attempt(connection, remaining);
                } finally {
                    store.feedLock.unlock();
                }
            } catch (SQLException e) {
                String why = SqlErrors.describe(e);
                if (SqlErrors.isRetry(e.getSQLState())) {
                    fail(remaining, new StoreBusyException("the database asked to retry the write (" + why + ")"));
                } else if (isUnavailable(e)) {
                    store.down(why);
                    fail(remaining, new StoreBusyException("the database is unavailable (" + why + ")"));
                } else {
                    LOG.error("the database refused a group of {} changes: {}", remaining.size(), why);
                    fail(remaining, new StoreFailedException("the database refused the write: " + why, e));
                }
                return;
            }
            if (refused.isEmpty()) {
                return;
            }
            for (Map.Entry<LinkState.Plan, RuntimeException> entry : refused.entrySet()) {
                store.state.abandon(entry.getKey(), entry.getValue());
            }
            remaining.removeIf(refused::containsKey);
        }
    }

    /**
     * Writes {@code plans} in one transaction; returns the refused plans (and rolls back), or an
     * empty map once committed and published.
     */
    private Map<LinkState.Plan, RuntimeException> attempt(Connection connection, List<LinkState.Plan> plans) throws SQLException {
        int count = 0;
        for (LinkState.Plan plan : plans) {
            count += plan.writes().size();
        }
        long last;
        try (PreparedStatement take = connection.prepareStatement(LinkRows.TAKE_CHANGE_NUMBERS)) {
            take.setLong(1, count);
            try (ResultSet rows = take.executeQuery()) {
                rows.next();
                last = rows.getLong(1);
            }
        }
        long first = last - count + 1;
        List<LinkRows.Row> others = new ArrayList<>();
        try (PreparedStatement since = connection.prepareStatement(LinkRows.CHANGED_BETWEEN)) {
            since.setLong(1, store.lastSeen);
            since.setLong(2, first);
            try (ResultSet rows = since.executeQuery()) {
                LinkRows.readAll(rows, others);
            }
        }
        List<LinkState.Plan> owners = new ArrayList<>(count);
        List<LinkState.Change> writes = new ArrayList<>(count);
        try (PreparedStatement write = connection.prepareStatement(LinkRows.WRITE)) {
            long seq = first;
            for (LinkState.Plan plan : plans) {
                for (LinkState.Change change : plan.writes()) {
                    Link link = change.after() != null ? change.after() : change.before();
                    LinkRows.bind(write, connection, link, change.after() == null, seq++, change.before() == null);
                    write.addBatch();
                    owners.add(plan);
                    writes.add(change);
                }
            }
            int[] counts = write.executeBatch();
            Map<LinkState.Plan, RuntimeException> refused = refusals(counts, owners, writes);
            if (!refused.isEmpty()) {
                connection.rollback();
                return refused;
            }
        }
        try (Statement notify = connection.createStatement()) {
            notify.execute("NOTIFY " + LinkRows.CHANNEL);
        }
        connection.commit();
        Set<String> written = new HashSet<>();
        for (LinkState.Change change : writes) {
            written.add(change.shortCode());
        }
        synchronized (store.state) {
            store.publishRows(others, written);
            for (LinkState.Plan plan : plans) {
                store.state.publish(plan);
            }
            store.lastSeen = last;
        }
        return Map.of();
    }

    /** The plans whose writes the database refused (update count 0), and every plan touching the same codes. */
    private static Map<LinkState.Plan, RuntimeException> refusals(int[] counts, List<LinkState.Plan> owners,
                                                                  List<LinkState.Change> writes) {
        Map<LinkState.Plan, RuntimeException> refused = new IdentityHashMap<>();
        Map<String, RuntimeException> badCodes = new java.util.HashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                continue;
            }
            LinkState.Change change = writes.get(i);
            String code = change.shortCode();
            RuntimeException why;
            if (change.before() != null) {
                why = new LinkNotFoundException(code);
            } else if (change.after().customSlug()) {
                why = new LinkConflictException(code, "the short code '" + code + "' is in use; choose another custom slug");
            } else {
                why = new StoreBusyException("the code '" + code + "' was taken on another node meanwhile; retry");
            }
            badCodes.putIfAbsent(code, why);
        }
        if (badCodes.isEmpty()) {
            return refused;
        }
        for (int i = 0; i < writes.size(); i++) {
            RuntimeException why = badCodes.get(writes.get(i).shortCode());
            if (why != null) {
                refused.putIfAbsent(owners.get(i), why);
            }
        }
        return refused;
    }

    private void fail(List<LinkState.Plan> plans, RuntimeException why) {
        for (LinkState.Plan plan : plans) {
            store.state.abandon(plan, why);
        }
    }

    /** True when {@code e} says the database cannot be reached now (rather than refusing this write). */
    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && SqlErrors.isUnavailable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops taking plans, writes those waiting until {@code deadlineNanos}, and fails the rest;
     * returns how many were not written.
     */
    int stop(long deadlineNanos) {
        running = false;
        try {
            thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<LinkState.Plan> left = new ArrayList<>();
        store.queue.drainTo(left);
        if (thread.isAlive()) {
            LOG.warn("the writer did not finish within the shutdown deadline; {} changes left unwritten", left.size());
            thread.interrupt();
        }
        fail(left, new StoreFailedException("the store closed before this change was written", null));
        return left.size();
    }
}
