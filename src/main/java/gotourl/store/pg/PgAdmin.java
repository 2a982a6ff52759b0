package gotourl.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import gotourl.apikey.ApiKeyStore;
import gotourl.check.HealthBook;
import gotourl.link.Link;
import gotourl.store.StoreFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A goto database opened by a command, with no goto running on this machine: {@code goto api-key
 * -db} and {@code goto check -db}. Nodes may be serving from the same database meanwhile: what
 * this writes reaches them as their own writes do (an API key with a NOTIFY and their feed's
 * reload, health through its change numbers), within about a second. Holds a pool of at most two
 * connections, and brings the schema up to date first, as a starting node does (Flyway), so keys
 * can be made before the first node starts.
 */
public final class PgAdmin implements AutoCloseable {
    /** How long {@link #close} gives the health writer to write what waits. */
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    private final PgSettings settings;
    private final HikariDataSource pool;
    private final PgApiKeys keys;
    private PgHealth health;

    private PgAdmin(PgSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
        this.keys = new PgApiKeys(pool);
    }

    /**
     * Connects, migrates, and reads the API keys. Throws {@link StoreFailedException} naming the
     * database (never its password) when it cannot be reached or migrated.
     */
    public static PgAdmin open(PgSettings settings) {
        HikariDataSource pool;
        try {
            com.zaxxer.hikari.HikariConfig config = settings.poolConfig("goto-pg-admin", 2, "goto-admin");
            config.setConnectionInitSql("SET synchronous_commit = on"); // a key is made once its commit is flushed
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreFailedException("cannot connect to " + settings.describe() + ": " + PgLinkStore.rootMessage(e), e);
        }
        PgAdmin admin = new PgAdmin(settings, pool);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            try (Connection connection = pool.getConnection()) {
                admin.keys.load(connection);
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreFailedException("cannot open " + settings.describe() + ": " + PgLinkStore.rootMessage(e), e);
        }
        return admin;
    }

    /** The REST API's keys in the database, as every node takes them; a change completes after its commit. */
    public ApiKeyStore apiKeys() {
        return keys;
    }

    /**
     * Every live link (deleted ones left out), by short code, read in one snapshot. Throws
     * {@link StoreFailedException} when the database cannot be read.
     */
    public Map<String, Link> liveLinks() {
        Map<String, Link> links = new LinkedHashMap<>();
        try (Connection connection = pool.getConnection();
             PreparedStatement select = connection.prepareStatement(LinkRows.CHANGED_AFTER)) {
            select.setFetchSize(10_000);
            select.setLong(1, 0);
            select.setLong(2, Long.MAX_VALUE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    LinkRows.Row row = LinkRows.read(rows);
                    if (!row.deleted()) {
                        links.put(row.link().shortCode(), row.link());
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreFailedException("cannot read the links of " + settings.describe() + ": " + SqlErrors.describe(e), e);
        }
        return links;
    }

    /** Link health in the database ({@code link_health}), written in batches by a thread of its own until {@link #close}. */
    public synchronized HealthBook.Keeper linkHealth() {
        if (health == null) {
            health = new PgHealth(pool, settings);
            health.start();
        }
        return health;
    }

    /** Where this is, as messages show it: the database, never its password. */
    public String describe() {
        return "the database " + settings.describe();
    }

    /** Writes the health verdicts still waiting (within 10 s), then disconnects. */
    @Override
    public synchronized void close() {
        if (health != null) {
            health.stop(System.nanoTime() + CLOSE_DEADLINE.toNanos());
        }
        pool.close();
    }
}
