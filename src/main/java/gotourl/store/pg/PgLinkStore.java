package gotourl.store.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrls;
import gotourl.store.LinkChange;
import gotourl.store.LinkState;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links on PostgreSQL, for several goto nodes sharing one database. Each node keeps every link in
 * a {@link LinkState} in memory, as the file store does, so a redirect never waits for the
 * database; writes go to the database through one writer thread ({@link PgWriter}: group commit,
 * acknowledged after commit), and other nodes' writes arrive through {@link PgFeed} (LISTEN/NOTIFY
 * and a replay by change number, so none is missed across a reconnect).
 *
 * <p>Keys: the counter hands out keys of blocks this node leased from a sequence, so adds never
 * coordinate with other nodes; a custom slug is unique by the table's primary key.
 *
 * <p>While the database is unreachable, redirects go on from memory, writes are refused at once
 * as busy ({@link #failure()} says why, so health is not ready), and the store recovers by
 * itself when a connection succeeds again.
 */
public final class PgLinkStore implements LinkStore, gotourl.apikey.ApiKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgLinkStore.class);

    /**
     * @param queueCapacity changes that may wait for the writer before more are refused as busy
     * @param clock         creation times
     * @param poolSize      connections of the writer's pool (the feed has one of its own)
     */
    public record Options(int queueCapacity, Clock clock, int poolSize) {
        /** As the file store's queue: a group commit takes every waiting change. */
        public static final int DEFAULT_QUEUE_CAPACITY = 4096;

        public Options {
            if (queueCapacity < 1 || poolSize < 1) {
                throw new IllegalArgumentException("queue capacity and pool size must be at least 1, not " + queueCapacity + " and " + poolSize);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_QUEUE_CAPACITY, Clock.systemUTC(), 2);
        }

        public Options withClock(Clock newClock) {
            return new Options(queueCapacity, newClock, poolSize);
        }
    }

    final LinkState state = new LinkState();
    final ArrayBlockingQueue<LinkState.Plan> queue;
    /** Held while changes are read from the database and published, so that they publish in change order. */
    final ReentrantLock feedLock = new ReentrantLock();
    /** The last change this node has published (guarded by {@link #feedLock}). */
    long lastSeen;
    final HikariDataSource pool;
    final PgSettings settings;
    private final Clock clock;
    private final PgWriter writer;
    private final PgFeed feed;
    /** The REST API's keys, kept beside the links as the file store keeps them. */
    final PgApiKeys keys;
    /** Link health (goto check, -check-interval), kept beside the links and followed by the feed. */
    final PgHealth health;
    /** The not-found redirects, kept beside the links and followed by the feed. */
    final PgNotFoundRedirects redirects;
    private volatile String down;
    private volatile boolean closed; // set under state's lock

    private PgLinkStore(PgSettings settings, Options options, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
        this.clock = options.clock();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.writer = new PgWriter(this);
        this.feed = new PgFeed(this);
        this.keys = new PgApiKeys(pool);
        this.health = new PgHealth(pool, settings);
        this.redirects = new PgNotFoundRedirects(pool);
    }

    /**
     * Connects, brings the schema up to date (Flyway, {@code db/migration}), loads every link,
     * leases keys, and starts the writer and the feed. Throws {@link StoreFailedException} naming
     * the database (never its password) when it cannot be reached or migrated.
     */
    public static PgLinkStore open(PgSettings settings, Options options) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings, options));
        } catch (RuntimeException e) {
            throw new StoreFailedException("cannot connect to " + settings.describe() + ": " + rootMessage(e), e);
        }
        PgLinkStore store = new PgLinkStore(settings, options, pool);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            long started = System.nanoTime();
            store.load();
            store.writer.leaseKeys();
            LOG.info("loaded {} links from {} in {} ms", store.size(), settings.describe(), (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreFailedException("cannot open the links in " + settings.describe() + ": " + rootMessage(e), e);
        }
        store.feed.start();
        store.writer.start();
        store.health.start();
        return store;
    }

    private static HikariConfig poolConfig(PgSettings settings, Options options) {
        // A writer waits at most 2 s for a connection while the database is away, then refuses
        // the waiting changes as busy; clients are answered 503 with Retry-After.
        HikariConfig config = settings.poolConfig("goto-pg", options.poolSize(), "goto");
        // Durability: a change is acknowledged once its commit is flushed (the
        // server's default, set here in case the server or role says otherwise).
        config.setConnectionInitSql("SET synchronous_commit = on");
        return config;
    }

    /** Reads every row (tombstones too) in change order, in one snapshot. */
    private void load() throws SQLException {
        state.useLeases();
        state.beginBulkLoad(); // the long-URL index is built once, after the last row
        try (Connection connection = pool.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement select = connection.prepareStatement(LinkRows.CHANGED_AFTER)) {
                select.setFetchSize(10_000);
                select.setLong(1, 0);
                select.setLong(2, Long.MAX_VALUE);
                List<LinkRows.Row> page = new ArrayList<>(10_000);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(LinkRows.read(rows));
                        if (page.size() == 10_000) {
                            publishRows(page, Set.of());
                            page.clear();
                        }
                    }
                }
                publishRows(page, Set.of());
            }
            state.endBulkLoad();
            keys.load(connection);
            redirects.refreshIfChanged(connection);
            connection.commit();
        }
    }

    /**
     * Publishes rows other nodes wrote (or this node, before a restart), in change order, except
     * those of {@code skip} (codes a group commit of this node overwrote after them); moves
     * {@link #lastSeen}. Called with {@link #feedLock} held, or before the threads start.
     */
    void publishRows(List<LinkRows.Row> rows, Set<String> skip) {
        synchronized (state) {
            for (LinkRows.Row row : rows) {
                if (row.changeSeq() <= lastSeen) {
                    continue;
                }
                lastSeen = row.changeSeq();
                Link link = row.link();
                if (skip.contains(link.shortCode())) {
                    continue;
                }
                Link current = state.index().get(link.shortCode());
                if (row.deleted()) {
                    if (current != null) {
                        state.apply(new LinkState.Change(current, null, LinkRows.counterOf(current)));
                    } else if (link.origin() == Link.CodeOrigin.CUSTOM_SLUG) {
                        state.release(link.shortCode());
                    } else if (link.origin() == Link.CodeOrigin.RANDOM) {
                        state.retire(link.shortCode());
                    }
                } else if (!link.equals(current)) {
                    state.apply(new LinkState.Change(current, link, row.counter()));
                }
            }
        }
    }

    // ---- writes ----

    @Override
    public CompletableFuture<List<Link>> apply(List<LinkChange> changes) {
        if (changes.isEmpty() || changes.size() > MAX_BATCH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a batch holds 1 to " + MAX_BATCH + " changes, not " + changes.size()));
        }
        try {
            synchronized (state) {
                if (closed) {
                    return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
                }
                String why = down;
                if (why != null) {
                    return CompletableFuture.failedFuture(new StoreBusyException("the database is unavailable (" + why + ")"));
                }
                LinkState.Plan plan = state.plan(changes, now(), true);
                if (plan.writes().isEmpty()) {
                    state.publish(plan); // found or unchanged links: nothing to write
                } else if (!queue.offer(plan)) {
                    StoreBusyException busy = new StoreBusyException("write queue full (" + queue.size() + " waiting for the database)");
                    state.abandon(plan, busy);
                    return CompletableFuture.failedFuture(busy);
                }
                return plan.results();
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    @Override
    public CompletableFuture<String> add(String url) {
        String problem = LongUrls.problem(url);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        return create(LinkDraft.of(url)).thenApply(Link::shortCode);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The database could not be reached: writes are refused until {@link #up()}. */
    void down(String why) {
        if (down == null) {
            LOG.warn("database unavailable, refusing writes and serving redirects from memory: {}", why);
        }
        down = why;
    }

    void up(String by) {
        if (down != null) {
            LOG.info("database reachable again ({}); taking writes", by);
            // Connections the pool kept from before the outage were ended by the server (SQLSTATE
            // 57P01 after a fast shutdown); HikariCP skips its validation for a connection used in
            // the last 500 ms, so one could reach the next write. Retire them all: each is closed
            // once idle, and new writes get new connections.
            var beans = pool.getHikariPoolMXBean();
            if (beans != null) {
                beans.softEvictConnections();
            }
        }
        down = null;
    }

    boolean isDown() {
        return down != null;
    }

    // ---- API keys: in the database, read from memory ----

    @Override
    public CompletableFuture<gotourl.apikey.ApiKeyRecord> createApiKey(gotourl.apikey.ApiKeyRecord key) {
        return closed ? CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null)) : keys.createApiKey(key);
    }

    @Override
    public CompletableFuture<gotourl.apikey.ApiKeyRecord> disableApiKey(String idOrName) {
        return closed ? CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null)) : keys.disableApiKey(idOrName);
    }

    @Override
    public gotourl.link.NotFoundRedirects notFoundRedirects() {
        return redirects.value();
    }

    /** Kept in {@code not_found_redirects}; the other nodes follow within the feed's poll interval ({@link PgNotFoundRedirects}). */
    @Override
    public CompletableFuture<gotourl.link.NotFoundRedirects> setNotFoundRedirects(gotourl.link.NotFoundRedirects redirects) {
        return this.redirects.set(redirects);
    }

    @Override
    public gotourl.apikey.ApiKeyTable apiKeyTable() {
        return keys.apiKeyTable();
    }

    /** Where a running goto keeps link health with {@code -db}: {@code link_health}, shared by every node. */
    public gotourl.check.HealthBook.Keeper linkHealth() {
        return health;
    }

    // ---- reads: from memory, never blocking ----

    @Override
    public Link lookup(String shortCode) {
        return state.index().get(shortCode);
    }

    @Override
    public gotourl.store.LinkIndex redirectIndex() {
        return state.index();
    }

    @Override
    public List<Link> linksTo(String longUrl) {
        return state.committedLinksTo(longUrl);
    }

    @Override
    public void forEach(Consumer<? super Link> action) {
        state.forEach(action);
    }

    @Override
    public List<String> crawlableShortCodes() {
        return state.crawlableShortCodes();
    }

    /** One visit counted, if the life's count is below the limit; answers the new count, or no row. */
    private static final String COUNT_VISIT = "INSERT INTO short_url_visit_counts AS c (short_code, date_created, visits)"
            + " VALUES (?, ?, 1) ON CONFLICT (short_code, date_created) DO UPDATE SET visits = c.visits + 1"
            + " WHERE c.visits < ? RETURNING visits";

    /**
     * Visits being counted at once: a bound on the virtual threads waiting for a connection, so
     * a flood of visits to limited links while the database is slow is refused (503), not piled up.
     */
    private static final int MAX_VISITS_IN_FLIGHT = 256;
    private final java.util.concurrent.Semaphore visitsInFlight = new java.util.concurrent.Semaphore(MAX_VISITS_IN_FLIGHT);

    /**
     * A visit of a limited link, counted in the database by one conditional upsert (exact across
     * nodes and restarts), on a virtual thread: the caller's thread never waits on the database.
     * The limit is the one this node holds for the link (an edit on another node reaches it
     * within a second). A database that cannot be reached refuses with {@link StoreBusyException}.
     */
    @Override
    public CompletableFuture<Boolean> reserveVisit(Link link) {
        Integer max = link.maxVisits();
        if (max == null) {
            throw new IllegalArgumentException("link " + link.shortCode() + " has no maxVisits: only limited links are counted here");
        }
        if (closed) {
            return CompletableFuture.failedFuture(new StoreFailedException("the store is closed", null));
        }
        if (!visitsInFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new StoreBusyException(MAX_VISITS_IN_FLIGHT
                    + " visits of limited links are already waiting for the database; retry shortly"));
        }
        CompletableFuture<Boolean> counted = new CompletableFuture<>();
        counted.whenComplete((allowed, failure) -> visitsInFlight.release());
        Thread.ofVirtual().name("goto-pg-visit").start(() -> {
            try (java.sql.Connection connection = pool.getConnection();
                 java.sql.PreparedStatement count = connection.prepareStatement(COUNT_VISIT)) {
                connection.setAutoCommit(true);
                count.setString(1, link.shortCode());
                count.setObject(2, java.time.OffsetDateTime.ofInstant(link.dateCreated(), java.time.ZoneOffset.UTC));
                count.setLong(3, max);
                try (java.sql.ResultSet row = count.executeQuery()) {
                    boolean allowed = row.next();
                    // What this node knows of the count, forgotten with the link when it is deleted.
                    state.visitCounts().observed(link.shortCode(), link.dateCreated().toEpochMilli(),
                            allowed ? row.getLong(1) : max);
                    counted.complete(allowed);
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                counted.completeExceptionally(closed ? new StoreFailedException("the store is closed", e)
                        : new StoreBusyException("the database did not count the visit: " + rootMessage(e)));
            }
        });
        return counted;
    }

    /**
     * What this node last counted or learned for {@code link}'s life (other nodes' visits show
     * once this node counts one); 0 for an unlimited link.
     */
    @Override
    public long visitsCounted(Link link) {
        return link.maxVisits() == null ? 0 : state.visitCounts().reserved(link);
    }

    @Override
    public gotourl.store.LinksPage list(gotourl.store.LinksQuery query) {
        return state.list(query);
    }

    @Override
    public java.util.Map<String, Long> tagCounts(String author) {
        return state.tagCounts(author);
    }

    @Override
    public long size() {
        return state.size();
    }

    /** Changes waiting for the writer. */
    public int queueDepth() {
        return queue.size();
    }

    @Override
    public String failure() {
        if (closed) {
            return "the store is closed";
        }
        String why = down;
        return why == null ? null : "the database is unavailable (" + why + "); redirects are served from memory";
    }

    @Override
    public int close(Duration deadline) {
        synchronized (state) {
            if (closed) {
                return 0;
            }
            closed = true;
        }
        long end = System.nanoTime() + deadline.toNanos();
        int unwritten = writer.stop(end);
        feed.stop(end);
        health.stop(end);
        pool.close();
        return unwritten;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return PgSettings.masked(message);
    }
}
