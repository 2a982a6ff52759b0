package gotourl.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import gotourl.link.NotFoundRedirects;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

/**
 * The not-found redirects in PostgreSQL's {@code not_found_redirects} (migration V7), shared by
 * every node. The redirect path reads them from memory, lock-free; a write runs on a virtual
 * thread, commits with a NOTIFY, publishes and then completes. The other nodes reload when their
 * feed sees the row's {@code version} change ({@link #refreshIfChanged}), within the feed's poll
 * interval without a notification.
 */
final class PgNotFoundRedirects {
    private static final String SELECT = "SELECT base_url_redirect, regular_404_redirect, invalid_short_url_redirect, version"
            + " FROM not_found_redirects WHERE id = 1";
    private static final String UPSERT = "INSERT INTO not_found_redirects AS r (id, base_url_redirect, regular_404_redirect,"
            + " invalid_short_url_redirect, version) VALUES (1, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET"
            + " base_url_redirect = EXCLUDED.base_url_redirect, regular_404_redirect = EXCLUDED.regular_404_redirect,"
            + " invalid_short_url_redirect = EXCLUDED.invalid_short_url_redirect, version = r.version + 1 RETURNING version";

    private final HikariDataSource pool;
    private volatile NotFoundRedirects value = NotFoundRedirects.NONE;
    /** The row's version {@link #value} was read at, 0 for no row (guarded by this). */
    private long loadedVersion;

    PgNotFoundRedirects(HikariDataSource pool) {
        this.pool = pool;
    }

    NotFoundRedirects value() {
        return value;
    }

    /** Reads the row and publishes it if its version is newer than the one held; one indexed read. */
    void refreshIfChanged(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(SELECT)) {
            if (row.next()) {
                publish(new NotFoundRedirects(row.getString(1), row.getString(2), row.getString(3)), row.getLong(4));
            }
        }
    }

    private synchronized void publish(NotFoundRedirects redirects, long version) {
        if (version > loadedVersion) {
            loadedVersion = version;
            value = redirects;
        }
    }

    /** Writes all three, tells the other nodes, and completes with them once committed and published here. */
    CompletableFuture<NotFoundRedirects> set(NotFoundRedirects redirects) {
        if (pool.isClosed()) {
            return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
        }
        CompletableFuture<NotFoundRedirects> done = new CompletableFuture<>();
        Thread.ofVirtual().name("goto-pg-redirects").start(() -> {
            try (Connection connection = pool.getConnection()) {
                try {
                    long version;
                    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                        upsert.setString(1, redirects.baseUrlRedirect());
                        upsert.setString(2, redirects.regular404Redirect());
                        upsert.setString(3, redirects.invalidShortUrlRedirect());
                        try (ResultSet row = upsert.executeQuery()) {
                            row.next();
                            version = row.getLong(1);
                        }
                    }
                    try (Statement notify = connection.createStatement()) {
                        notify.execute("NOTIFY " + LinkRows.CHANNEL);
                    }
                    connection.commit();
                    publish(redirects, version);
                    done.complete(redirects);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                done.completeExceptionally(pool.isClosed() ? new StoreFailedException("the store is closed", e)
                        : PgWriter.isUnavailable(e) ? new StoreBusyException("setting the not-found redirects failed: the"
                        + " database is unavailable (" + SqlErrors.describe(e) + ")")
                        : new StoreFailedException("setting the not-found redirects failed: " + SqlErrors.describe(e), e));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
