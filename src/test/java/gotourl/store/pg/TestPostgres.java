package gotourl.store.pg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, from the machine's PostgreSQL (Debian's
 * {@code postgresql} package, which {@code .ci/run} installs): initdb into a temporary folder,
 * listening on a free loopback port, stopped when the JVM exits. One {@link #shared()} server
 * serves every test of a JVM, each test on a database of its own ({@link #newDatabase()}); a test
 * that stops the server starts one of its own ({@link #start()}).
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (as CI does), the server runs
 * as the {@code postgres} user the package creates, through {@code runuser}.
 */
public final class TestPostgres implements AutoCloseable {
    private static TestPostgres shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The JVM's one server, started by the first test that asks (initdb and start take a few seconds). */
    public static synchronized TestPostgres shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start();
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
        }
        return shared;
    }

    /** A new server of its own; the caller closes it. */
    public static TestPostgres start() throws IOException, InterruptedException {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("goto-pg-");
        if (root) {
            run(List.of("chown", "postgres:", dir.toString()), false);
        }
        TestPostgres server = new TestPostgres(dir, bin, freePort(), root);
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-A", "trust", "-U", "goto",
                "-E", "UTF8", "--no-locale", "--no-sync"));
        server.startServer();
        return server;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Starts the server (again, after {@link #stopServer}) and waits until it takes connections. */
    public void startServer() throws IOException, InterruptedException {
        // fsync off: a test server's crash is the machine's, not goto's; commits stay synchronous
        // in goto's sense (acknowledged by the server after commit), at a test's speed.
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB", "start"));
    }

    /** Stops the server: {@code fast} (clients disconnected, a clean checkpoint) or {@code immediate} (as a crash). */
    public void stopServer(String mode) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", mode, "-w", "stop"));
    }

    public int port() {
        return port;
    }

    /** A new empty database on this server, as a JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "goto_test_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "goto", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=goto";
    }

    @Override
    public void close() {
        try {
            stopServer("immediate");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // already stopped, or the JVM is going down; the folder goes anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, true);
    }

    private static void run(List<String> command, boolean check) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 120 s");
        }
        if (check && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
    }

    /**
     * initdb and pg_ctl: {@code GOTO_TEST_PG_BIN}, else the newest Debian PostgreSQL
     * ({@code /usr/lib/postgresql/N/bin}), else the PATH.
     */
    private static Path findBin() throws IOException {
        String configured = System.getenv("GOTO_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString()))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
                return Path.of(entry);
            }
        }
        throw new IOException("the PostgreSQL tests need a PostgreSQL server's initdb and pg_ctl:"
                + " install Debian's postgresql package (.ci/run does), or set GOTO_TEST_PG_BIN to their folder");
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
