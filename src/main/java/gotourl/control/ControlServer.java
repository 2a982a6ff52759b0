package gotourl.control;

import gotourl.apikey.ApiKey;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running goto's end of the control channel: a Unix domain socket at {@code FILE.sock}, one
 * request per connection (see {@link ControlProtocol}). Only the socket file's owner (the user
 * goto runs as) and root may use it: the file is made mode 0600 once bound, and, because a
 * client could connect in the moment between bind and chmod, every peer's credentials
 * ({@code SO_PEERCRED}) are checked too. The admin listener is not used for this: it has no
 * authentication, and anyone who can reach it could mint keys.
 *
 * <p>Owns one platform thread ({@code goto-control}, accepting) and a scheduler thread that cuts
 * off a client silent for {@link #CLIENT_DEADLINE}; each request runs on a virtual thread (it
 * waits for the store's group commit), at most {@link #MAX_CLIENTS} at once.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.control");
    static final Duration CLIENT_DEADLINE = Duration.ofSeconds(15);
    static final int MAX_CLIENTS = 4;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ApiKeyOperations operations;
    private final UserPrincipal owner;
    private final Thread acceptor;
    private final ScheduledExecutorService deadlines;
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private volatile boolean closing;

    private ControlServer(Path socket, ServerSocketChannel server, ApiKeyOperations operations, UserPrincipal owner) {
        this.socket = socket;
        this.server = server;
        this.operations = operations;
        this.owner = owner;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "goto-control-deadline"));
        this.acceptor = new Thread(this::acceptLoop, "goto-control");
    }

    /** Where the control socket of the goto serving {@code dataFile} is: {@code FILE.sock} beside it. */
    public static Path socketOf(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".sock");
    }

    /**
     * Where a goto node on PostgreSQL ({@code -db}) notes, beside its {@code -file} (which then
     * holds no data file), which database keeps its API keys: {@code FILE.pg-node}, one line such
     * as {@code jdbc:postgresql://db:5432/goto as goto} (never a password). It stays after the
     * node stops, so that {@code goto api-key -file=FILE} on a stopped node says to use
     * {@code -db} rather than make a data file whose keys no node reads; a goto started on the
     * file without {@code -db} deletes it.
     */
    public static Path nodeNoteOf(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".pg-node");
    }

    /**
     * Binds {@code socket} and serves {@code operations} on it. The caller must hold the data
     * file's lock: a socket file left at {@code socket} by a goto that was killed is then stale
     * and is replaced. Throws {@link IOException} if the socket cannot be bound (a path longer
     * than the system's limit of about 100 bytes, a directory without write permission) or if
     * something other than a socket is in the way.
     */
    public static ControlServer start(Path socket, ApiKeyOperations operations) throws IOException {
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther()) {
                throw new IOException(socket + " exists and is not a socket; move it away so that goto can make its control socket there");
            }
            Files.delete(socket); // stale: this goto holds the data file's lock, so no other serves it
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            UserPrincipal owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
            ControlServer control = new ControlServer(socket, server, operations, owner);
            control.acceptor.start();
            return control;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw new IOException("cannot serve the control socket " + socket + " (" + e.getMessage()
                    + "); goto api-key cannot reach this goto while it runs", e);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (AsynchronousCloseException closed) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                LOG.warn("control socket {}: accept failed: {}", socket, e.toString());
                continue;
            }
            if (!clients.tryAcquire()) {
                answerQuietly(client, ControlProtocol.error("goto is busy with " + MAX_CLIENTS + " other api-key commands; retry"));
                continue;
            }
            Thread.ofVirtual().name("goto-control-client").start(() -> {
                try {
                    serve(client);
                } finally {
                    clients.release();
                }
            });
        }
    }

    private void serve(SocketChannel client) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(client), CLIENT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        try (client) {
            String refusal = peerRefusal(client);
            if (refusal != null) {
                LOG.warn("control socket {}: {}", socket, refusal);
                answer(client, ControlProtocol.error(refusal));
                return;
            }
            String request = ControlProtocol.readLine(client);
            answer(client, handle(request));
        } catch (IOException e) {
            LOG.debug("control socket {}: a client went away: {}", socket, e.toString());
        } catch (RuntimeException e) {
            // e.g. a system where SO_PEERCRED is not supported: refuse rather than serve unchecked
            LOG.warn("control socket {}: a client was refused: {}", socket, e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    /** Why the peer may not use the socket, or null: it must run as the socket's owner, or as root. */
    private String peerRefusal(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        if (user.equals(owner.getName()) || user.equals("root") || user.equals("0")) {
            return null;
        }
        return "refused a client running as '" + user + "': only '" + owner.getName() + "', who runs goto, and root may manage API keys";
    }

    private String handle(String request) {
        List<String> fields = List.of(request.split("\t", -1));
        try {
            switch (fields.getFirst()) {
                case ControlProtocol.GENERATE -> {
                    ControlProtocol.expect(fields, 4);
                    ApiKey.Role role = ApiKey.Role.valueOf(fields.get(2).toUpperCase(Locale.ROOT));
                    Instant expires = fields.get(3).equals("-") ? null : Instant.parse(fields.get(3));
                    ApiKeyOperations.Generated generated = operations.generate(fields.get(1), role, expires);
                    LOG.info("control socket: generated {} key '{}' (id {})", generated.key().roleName(), generated.key().name(),
                            generated.key().id());
                    return ControlProtocol.ok(List.of(generated.secret(), generated.key().encode()));
                }
                case ControlProtocol.DISABLE -> {
                    ControlProtocol.expect(fields, 2);
                    KeyLine disabled = operations.disable(fields.get(1));
                    LOG.info("control socket: disabled API key '{}' (id {})", disabled.name(), disabled.id());
                    return ControlProtocol.ok(List.of(disabled.encode()));
                }
                case ControlProtocol.LIST -> {
                    return ControlProtocol.ok(operations.list().stream().map(KeyLine::encode).toList());
                }
                default -> {
                    return ControlProtocol.error("unknown request '" + fields.getFirst() + "': this goto knows generate, disable and"
                            + " list; is the goto command newer than the running goto?");
                }
            }
        } catch (ApiKeyOperations.ControlException e) {
            return ControlProtocol.error(e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("control socket {}: a request failed", socket, e);
            return ControlProtocol.error("the request failed inside goto: " + e + " (goto's log has more)");
        }
    }

    private static void answer(SocketChannel client, String response) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    private static void answerQuietly(SocketChannel client, String response) {
        try (client) {
            answer(client, response);
        } catch (IOException ignored) {
            // the client is gone; it was refused anyway
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing to end a silent client; nothing else to do
        }
    }

    /** Stops accepting, waits a moment for the accepting thread, and removes the socket file. */
    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the control socket {} failed: {}", socket, e.toString());
        }
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acceptor.isAlive()) {
            LOG.warn("the control socket's thread did not stop within 1 s");
        }
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("could not remove the control socket {}: {}", socket, e.toString());
        }
    }
}
