package gotourl.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyNotFoundException;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyStore;
import gotourl.apikey.ApiKeyTable;
import gotourl.apikey.KeyHash;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The REST API's keys in PostgreSQL's {@code api_keys} (migration V4), shared by every node. The
 * REST API reads them from an immutable {@link ApiKeyTable} in memory, lock-free (hashes compared
 * in constant time by {@link gotourl.apikey.StoredApiKeys}); a write runs on a virtual thread,
 * commits, tells the other nodes (NOTIFY, as link changes), reloads the table and then completes.
 * The other nodes reload when their feed sees the number of keys or of disabled keys change
 * ({@link #refreshIfChanged}), within the feed's poll interval without a notification.
 */
final class PgApiKeys implements ApiKeyStore {
    private static final String COLUMNS = "id, name, role, created_at, expires_at, enabled, key_hash";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM api_keys ORDER BY position";
    private static final String FINGERPRINT = "SELECT count(*), count(*) FILTER (WHERE NOT enabled) FROM api_keys";
    private static final String INSERT = "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    /** The key of an id, else of a name (ids win, as the file store's), locked until the transaction ends. */
    private static final String FIND = "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?"
            + " OR (name = ? AND NOT EXISTS (SELECT 1 FROM api_keys WHERE id = ?)) FOR UPDATE";
    private static final String DISABLE = "UPDATE api_keys SET enabled = false WHERE id = ?";

    private final HikariDataSource pool;
    private volatile ApiKeyTable table = ApiKeyTable.EMPTY;
    /** Keys and disabled keys in {@link #table} (guarded by this). */
    private long loadedKeys = -1;
    private long loadedDisabled = -1;

    PgApiKeys(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public ApiKeyTable apiKeyTable() {
        return table;
    }

    /** Reloads the table if the keys in the database differ from those held; cheap when they do not. */
    void refreshIfChanged(Connection connection) throws SQLException {
        long keys;
        long disabled;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(FINGERPRINT)) {
            row.next();
            keys = row.getLong(1);
            disabled = row.getLong(2);
        }
        synchronized (this) {
            if (keys == loadedKeys && disabled == loadedDisabled) {
                return;
            }
        }
        load(connection);
    }

    /** Reads every key and publishes them as the table. */
    synchronized void load(Connection connection) throws SQLException {
        ApiKeyTable.Builder builder = new ApiKeyTable.Builder();
        long disabled = 0;
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(SELECT_ALL)) {
            while (rows.next()) {
                ApiKeyRecord key = read(rows);
                builder.add(key);
                disabled += key.enabled() ? 0 : 1;
            }
        }
        ApiKeyTable loaded = builder.build();
        loadedKeys = loaded.size();
        loadedDisabled = disabled;
        table = loaded;
    }

    @Override
    public CompletableFuture<ApiKeyRecord> createApiKey(ApiKeyRecord key) {
        try {
            table.with(key); // a name, id or key this node knows to be taken: refused at once, with the reason
        } catch (IllegalArgumentException taken) {
            return CompletableFuture.failedFuture(taken);
        }
        return write("creating " + key, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, key.id());
                insert.setString(2, key.name());
                insert.setString(3, key.role().name().toLowerCase(Locale.ROOT));
                insert.setObject(4, VisitRows.timestamp(key.createdAt()));
                insert.setObject(5, key.expiresAt() == null ? null : VisitRows.timestamp(key.expiresAt()));
                insert.setBoolean(6, key.enabled());
                insert.setBytes(7, key.hash().bytes());
                insert.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) { // unique_violation: another node took the name, id or key first
                    connection.rollback();
                    load(connection);
                    table.with(key); // throws IllegalArgumentException saying which
                    throw new IllegalArgumentException("that API key, its name or its id exists already; generate a new one");
                }
                throw e;
            }
            return key;
        });
    }

    @Override
    public CompletableFuture<ApiKeyRecord> disableApiKey(String idOrName) {
        return write("disabling API key " + idOrName, connection -> {
            ApiKeyRecord key;
            try (PreparedStatement find = connection.prepareStatement(FIND)) {
                find.setString(1, idOrName);
                find.setString(2, idOrName);
                find.setString(3, idOrName);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        throw new ApiKeyNotFoundException(idOrName);
                    }
                    key = read(row);
                }
            }
            if (!key.enabled()) {
                return key; // disabled already: nothing to write
            }
            try (PreparedStatement disable = connection.prepareStatement(DISABLE)) {
                disable.setString(1, key.id());
                disable.executeUpdate();
            }
            return key.disabled();
        });
    }

    @FunctionalInterface
    private interface Write {
        ApiKeyRecord run(Connection connection) throws SQLException;
    }

    /** Runs {@code write} on a virtual thread in one transaction with a NOTIFY; completes after the commit and reload. */
    private CompletableFuture<ApiKeyRecord> write(String what, Write write) {
        if (pool.isClosed()) {
            return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
        }
        CompletableFuture<ApiKeyRecord> done = new CompletableFuture<>();
        Thread.ofVirtual().name("goto-pg-api-key").start(() -> {
            try (Connection connection = pool.getConnection()) {
                try {
                    ApiKeyRecord result = write.run(connection);
                    try (Statement notify = connection.createStatement()) {
                        notify.execute("NOTIFY " + LinkRows.CHANNEL);
                    }
                    connection.commit();
                    load(connection);
                    connection.commit();
                    done.complete(result);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                done.completeExceptionally(pool.isClosed() ? new StoreFailedException("the store is closed", e)
                        : PgWriter.isUnavailable(e) ? new StoreBusyException(what + " failed: the database is unavailable ("
                        + SqlErrors.describe(e) + ")")
                        : new StoreFailedException(what + " failed: " + SqlErrors.describe(e), e));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static ApiKeyRecord read(ResultSet row) throws SQLException {
        OffsetDateTime expires = row.getObject(5, OffsetDateTime.class);
        return new ApiKeyRecord(row.getString(1), row.getString(2), ApiKey.Role.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
                row.getObject(4, OffsetDateTime.class).toInstant(), expires == null ? null : expires.toInstant(), row.getBoolean(6),
                KeyHash.fromBytes(row.getBytes(7)));
    }
}
