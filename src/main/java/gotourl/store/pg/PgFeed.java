package gotourl.store.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings other nodes' changes into this node's memory ({@code goto-pg-feed}). It LISTENs on a
 * connection of its own; on each notification, and at least every {@link #POLL_MS} ms without
 * one, it reads the rows changed after the last change this node has seen, in change order. A
 * notification is only a hint: after a lost connection the feed reconnects, LISTENs again, and
 * replays from its last seen change, so no change is ever missed (the writer's change numbers
 * commit in order, see {@link PgWriter}). While it cannot connect, the store is down.
 */
final class PgFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PgFeed.class);
    /**
     * The longest a change waits without a notification (a dropped one, or an engine without
     * LISTEN): half the 1 s goto promises, for one indexed query per node per interval.
     */
    static final int POLL_MS = 500;
    private static final int PAGE = 5_000;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final PgLinkStore store;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean warnedNoListen;
    /** The LISTEN connection, so that a stop can abort its wait for notifications. */
    private volatile Connection listening;

    PgFeed(PgLinkStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("goto-pg-feed").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = 100;
        Connection connection = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = connect();
                    listening = connection;
                    catchUp(connection);
                    store.up("the feed reconnected and replayed");
                    backoff = 100;
                }
                connection.unwrap(PGConnection.class).getNotifications(POLL_MS);
                if (running) {
                    catchUp(connection);
                }
            } catch (SQLException | RuntimeException e) {
                close(connection);
                connection = null;
                if (!running) {
                    break;
                }
                String why = e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString();
                if (!(e instanceof SQLException sql) || PgWriter.isUnavailable(sql)) {
                    store.down("lost the connection that follows other nodes' changes: " + why);
                } else {
                    LOG.error("following other nodes' changes failed; reconnecting: {}", why);
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        close(connection);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (store.settings.user() != null) {
            properties.setProperty("user", store.settings.user());
        }
        if (store.settings.password() != null) {
            properties.setProperty("password", store.settings.password());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "goto-feed");
        Connection connection = DriverManager.getConnection(store.settings.jdbcUrl(), properties);
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + LinkRows.CHANNEL);
        } catch (SQLException e) {
            if (PgWriter.isUnavailable(e)) {
                close(connection);
                throw e;
            }
            // An engine without LISTEN (CockroachDB; YugabyteDB before 2025.2): the poll alone
            // brings changes, within POLL_MS.
            if (!warnedNoListen) {
                LOG.warn("the database does not take LISTEN ({}); other nodes' changes arrive by polling every {} ms",
                        SqlErrors.describe(e), POLL_MS);
                warnedNoListen = true;
            }
        }
        return connection;
    }

    /** Publishes every row changed after the last seen change, a page at a time. */
    private void catchUp(Connection connection) throws SQLException {
        store.feedLock.lock();
        try (PreparedStatement select = connection.prepareStatement(LinkRows.CHANGED_AFTER)) {
            while (true) {
                select.setLong(1, store.lastSeen);
                select.setInt(2, PAGE);
                List<LinkRows.Row> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    LinkRows.readAll(result, rows);
                }
                store.publishRows(rows, Set.of());
                if (rows.size() < PAGE) {
                    store.keys.refreshIfChanged(connection); // API keys made or disabled on other nodes
                    store.health.catchUp(connection); // link health checked on other nodes
                    store.redirects.refreshIfChanged(connection); // not-found redirects set on other nodes
                    return;
                }
            }
        } finally {
            store.feedLock.unlock();
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped because it failed; nothing more to learn
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void stop(long deadlineNanos) {
        running = false;
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.abort(Runnable::run); // ends the wait for notifications at once
            } catch (SQLException ignored) {
                // the feed exits at its next poll anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(Math.max(1, Math.min(POLL_MS * 2L, (deadlineNanos - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the feed of other nodes' changes did not stop within {} ms", POLL_MS * 2);
        }
    }
}
