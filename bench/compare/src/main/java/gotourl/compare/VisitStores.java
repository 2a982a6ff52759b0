package gotourl.compare;

import com.sun.management.OperatingSystemMXBean;
import gotourl.visits.LogVisitStore;
import gotourl.visits.Visit;
import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One candidate visit store in a fresh JVM: record N visits in batches of 1,000 (as the visits
 * worker does, forcing every second), then start again from the files and time the queries the
 * API asks of it. The visits: 10,000 links, skewed so that a few are hot (the hottest gets ~4%),
 * a dozen agents and referers, one visit every 20 ms of simulated time. Run through
 * {@code bench/compare/run stores|logscale}.
 *
 * <p>Figures: CPU per visit recorded (the whole process, so a database's own threads count),
 * visits per second, bytes on disk per visit, start (open and first answer), and each query's
 * median of five.
 */
public final class VisitStores {
    static final int LINKS = 10_000;
    static final int BATCH = 1_000;
    static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    static final long STEP_MILLIS = 20;
    static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "curl/8.5.0",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    };
    static final String[] BROWSERS = {"Chrome", "Safari", "Firefox", "Safari", "Chrome", "Edge", "Googlebot", "Facebook",
        "Slackbot", "curl", "Twitterbot", "Bingbot"};
    static final String[] REFERERS = {"", "https://t.co/abc", "https://www.google.com/", "https://news.ycombinator.com/item?id=1",
        "https://www.facebook.com/", "https://mail.google.com/", "https://example.org/blog/post", ""};

    /** What each candidate must do. */
    interface Candidate extends AutoCloseable {
        void append(List<Visit> visits) throws Exception;

        void sync() throws Exception;

        long summaryTotal(String code) throws Exception;

        int newestPage(String code, int size) throws Exception;

        long rangeCount(String code, long fromMillis, long toMillis) throws Exception;

        int perDay(String code) throws Exception;

        long diskBytes() throws Exception;

        @Override
        void close() throws Exception;
    }

    private VisitStores() {}

    static String code(int link) {
        return "k" + link;
    }

    // Built once, so that making a visit costs next to nothing in what is measured.
    static final String[] CODES = new String[LINKS];
    static final String[] PATHS = new String[LINKS];
    static final String[] URLS = new String[LINKS];
    static final String[] HOSTS = new String[REFERERS.length];

    static {
        for (int i = 0; i < LINKS; i++) {
            CODES[i] = code(i);
            PATHS[i] = "/" + CODES[i];
            URLS[i] = "https://example.com/page/" + i;
        }
        for (int i = 0; i < REFERERS.length; i++) {
            HOSTS[i] = REFERERS[i].isEmpty() ? "" : REFERERS[i].split("/")[2];
        }
    }

    static Visit visit(long i, SplittableRandom random) {
        double r = random.nextDouble();
        int link = (int) (LINKS * r * r * r);
        int agent = random.nextInt(AGENTS.length);
        int referer = random.nextInt(REFERERS.length);
        return new Visit(VisitType.VALID_SHORT_URL, CODES[link], 1, Instant.ofEpochMilli(T0 + i * STEP_MILLIS), REFERERS[referer],
                AGENTS[agent], agent >= 6, PATHS[link], URLS[link], BROWSERS[agent],
                agent == 1 ? "iOS" : agent == 4 ? "Android" : "Windows NT", HOSTS[referer]);
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path dir = Path.of(args[1]);
        long n = Long.parseLong(args[2]);
        Files.createDirectories(dir);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        SplittableRandom random = new SplittableRandom(42);
        long warmUp = n / 5; // the first fifth warms the JIT up and is not counted
        long cpu0 = 0;
        long wall0 = 0;
        try (Candidate store = open(kind, dir)) {
            long lastSync = System.nanoTime();
            List<Visit> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < n; i++) {
                if (i == warmUp) {
                    cpu0 = os.getProcessCpuTime();
                    wall0 = System.nanoTime();
                }
                batch.add(visit(i, random));
                if (batch.size() == BATCH) {
                    store.append(batch);
                    batch.clear();
                    if (System.nanoTime() - lastSync > 1_000_000_000L) {
                        store.sync();
                        lastSync = System.nanoTime();
                    }
                }
            }
            store.append(batch);
            store.sync();
        }
        double cpuPerVisit = (os.getProcessCpuTime() - cpu0) / 1000.0 / (n - warmUp);
        double seconds = (System.nanoTime() - wall0) / 1e9 * n / (n - warmUp);
        long startNanos = System.nanoTime();
        try (Candidate store = open(kind, dir)) {
            long hottest = store.summaryTotal(code(0));
            double startMs = (System.nanoTime() - startNanos) / 1e6;
            long disk = store.diskBytes();
            System.out.printf("%s, %,d visits: %.2f µs CPU per visit recorded after a warm-up (%,.0f visits/s), %.1f bytes on"
                    + " disk per visit, start %.0f ms; the hottest link has %,d visits%n", kind, n, cpuPerVisit, n / seconds, disk / (double) n,
                    startMs, hottest);
            long mid = T0 + n / 2 * STEP_MILLIS;
            report("  summary of the hottest link", () -> store.summaryTotal(code(0)));
            report("  newest 20 visits of the hottest link", () -> store.newestPage(code(0), 20));
            report("  newest 20 visits of a quiet link", () -> store.newestPage(code(LINKS - 1), 20));
            report("  hottest link's visits in one hour mid-way (count)", () -> store.rangeCount(code(0), mid, mid + 3_600_000));
            report("  visits per day of the hottest link", () -> store.perDay(code(0)));
        }
    }

    @FunctionalInterface
    interface Query {
        long run() throws Exception;
    }

    static void report(String what, Query query) throws Exception {
        double[] ms = new double[5];
        long result = 0;
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            result = query.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-56s %9.2f ms  (%,d)%n", what, ms[2], result);
    }

    static Candidate open(String kind, Path dir) throws Exception {
        return switch (kind) {
            case "log" -> new Log(LogVisitStore.open(dir.resolve("visits")), dir);
            case "none" -> new Nothing();
            case "sqlite" -> new Sql(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("visits.db")), dir, true);
            case "duckdb" -> new Sql(DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("visits.duckdb")), dir, false);
            default -> throw new IllegalArgumentException("log, sqlite or duckdb, not " + kind);
        };
    }

    /** Keeps nothing: what making the visits costs, to subtract from the others. */
    static final class Nothing implements Candidate {
        public void append(List<Visit> visits) {}
        public void sync() {}
        public long summaryTotal(String code) { return 0; }
        public int newestPage(String code, int size) { return 0; }
        public long rangeCount(String code, long from, long to) { return 0; }
        public int perDay(String code) { return 0; }
        public long diskBytes() { return 0; }
        public void close() {}
    }

    /** goto's visit log. */
    record Log(LogVisitStore store, Path dir) implements Candidate {
        public void append(List<Visit> visits) throws IOException {
            store.append(visits);
        }

        public void sync() throws IOException {
            store.sync();
        }

        public long summaryTotal(String code) {
            return store.summary(code).total();
        }

        public int newestPage(String code, int size) throws IOException {
            return store.linkVisits(code, VisitsQuery.all().page(1, size)).data().size();
        }

        public long rangeCount(String code, long from, long to) throws IOException {
            return store.linkVisits(code, VisitsQuery.all().between(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
                    .page(1, 20)).totalItems();
        }

        public int perDay(String code) throws IOException {
            return store.aggregates(code, null, null).perDay().size();
        }

        public long diskBytes() {
            return store.diskBytes();
        }

        public void close() throws IOException {
            store.close();
        }
    }

    /** A table of visits with every field inline, as Shlink's schema has; SQLite with an index on (link, time). */
    static final class Sql implements Candidate {
        private final Connection db;
        private final Path dir;
        private final boolean sqlite;

        Sql(Connection db, Path dir, boolean sqlite) throws SQLException {
            this.db = db;
            this.dir = dir;
            this.sqlite = sqlite;
            try (Statement s = db.createStatement()) {
                if (sqlite) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA cache_size=-65536");
                }
                s.execute("CREATE TABLE IF NOT EXISTS visit(link VARCHAR, ts BIGINT, bot BOOLEAN, type INTEGER, ua VARCHAR,"
                        + " referer VARCHAR, visited VARCHAR, redirect VARCHAR, browser VARCHAR, os VARCHAR)");
                if (sqlite) {
                    s.execute("CREATE INDEX IF NOT EXISTS visit_link_ts ON visit(link, ts)");
                }
            }
            db.setAutoCommit(!sqlite);
        }

        public void append(List<Visit> visits) throws SQLException {
            if (sqlite) {
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO visit VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                    for (Visit v : visits) {
                        insert.setString(1, v.shortCode());
                        insert.setLong(2, v.dateMillis());
                        insert.setBoolean(3, v.potentialBot());
                        insert.setInt(4, v.type().ordinal());
                        insert.setString(5, v.userAgent());
                        insert.setString(6, v.referer());
                        insert.setString(7, v.visitedPath());
                        insert.setString(8, v.redirectUrl());
                        insert.setString(9, v.browser());
                        insert.setString(10, v.operatingSystem());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                db.commit();
                return;
            }
            try (var appender = db.unwrap(org.duckdb.DuckDBConnection.class).createAppender(
                    org.duckdb.DuckDBConnection.DEFAULT_SCHEMA, "visit")) {
                for (Visit v : visits) {
                    appender.beginRow();
                    appender.append(v.shortCode());
                    appender.append(v.dateMillis());
                    appender.append(v.potentialBot());
                    appender.append(v.type().ordinal());
                    appender.append(v.userAgent());
                    appender.append(v.referer());
                    appender.append(v.visitedPath());
                    appender.append(v.redirectUrl());
                    appender.append(v.browser());
                    appender.append(v.operatingSystem());
                    appender.endRow();
                }
            }
        }

        public void sync() {
            // SQLite: each commit is durable up to synchronous=NORMAL's WAL rules; DuckDB: commits are durable.
        }

        private long one(String sql, Object... params) throws SQLException {
            try (PreparedStatement q = db.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    q.setObject(i + 1, params[i]);
                }
                boolean counting = sql.startsWith("SELECT count(");
                try (ResultSet rows = q.executeQuery()) {
                    long count = 0;
                    long first = 0;
                    while (rows.next()) {
                        if (count++ == 0 && counting) {
                            first = rows.getLong(1);
                        }
                    }
                    return counting ? first : count;
                }
            }
        }

        public long summaryTotal(String code) throws SQLException {
            return one("SELECT count(*), sum(CASE WHEN bot THEN 1 ELSE 0 END) FROM visit WHERE link = ?", code);
        }

        public int newestPage(String code, int size) throws SQLException {
            one("SELECT count(*) FROM visit WHERE link = ?", code); // the page's totalItems
            return (int) one("SELECT * FROM visit WHERE link = ? ORDER BY ts DESC LIMIT " + size, code);
        }

        public long rangeCount(String code, long from, long to) throws SQLException {
            return one("SELECT count(*) FROM visit WHERE link = ? AND ts BETWEEN ? AND ?", code, from, to);
        }

        public int perDay(String code) throws SQLException {
            return (int) one("SELECT ts / 86400000, count(*) FROM visit WHERE link = ? GROUP BY ts / 86400000", code);
        }

        public long diskBytes() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }

        public void close() throws SQLException {
            if (sqlite) {
                db.commit();
                db.setAutoCommit(true);
                try (Statement s = db.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            }
            db.close();
        }
    }

    static LocalDate day(long millis) {
        return LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
    }
}
