package gotourl.control;

import gotourl.apikey.ApiKey;
import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The command line's end: {@link #open} reaches the goto that serves a data file through its
 * control socket, or, when none runs, opens the file itself (taking its lock, as goto does).
 */
public final class ControlClient implements ApiKeyOperations {
    private final Path socket;

    private ControlClient(Path socket) {
        this.socket = socket;
    }

    /**
     * Operations on the keys of {@code dataFile}: through the running goto's control socket if
     * one answers, else on the file (created if missing). Throws {@link IOException} with what to
     * do when neither works: goto holds the file but its socket does not answer, or the file
     * cannot be opened.
     */
    public static ApiKeyOperations open(Path dataFile, Clock clock) throws IOException {
        Path socket = ControlServer.socketOf(dataFile);
        String socketProblem = null;
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            try (SocketChannel probe = connect(socket)) {
                return new ControlClient(socket);
            } catch (ConnectException | NoSuchFileException stale) {
                socketProblem = "it refused the connection (" + stale.getMessage() + ")"; // a goto killed with -9 left it
            } catch (IOException e) {
                socketProblem = e.getMessage();
            }
        } else {
            socketProblem = "there is none";
        }
        Path note = ControlServer.nodeNoteOf(dataFile);
        if (Files.exists(note)) {
            // Opening the file would make a data file, and keys in it that no node on -db reads.
            String database = Files.readString(note, StandardCharsets.UTF_8).strip();
            throw new IOException(dataFile + " is the -file of a goto node on PostgreSQL (" + database + "), which keeps its API"
                    + " keys in the database, and no node answers on " + socket + " (" + socketProblem + "); nothing was changed."
                    + " Run the command on the database: goto api-key ... -db=URL (the nodes' -db, with -db-password-file,"
                    + " GOTO_DB_PASSWORD or PGPASSWORD), or start the node first");
        }
        try {
            LogLinkStore store = LogLinkStore.open(dataFile, LogLinkStore.Options.defaults().withClock(clock).forCommand());
            return new LocalKeyOperations(store, clock, dataFile + " (goto is not running)", store);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("in use by another goto")) {
                throw new IOException("a goto is running with " + dataFile + ", but its control socket " + socket
                        + " cannot be reached: " + socketProblem + ". Run this as the user goto runs as, or restart goto"
                        + " (it makes the socket at start; its log says why if it could not)", e);
            }
            throw e;
        }
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Generated generate(String name, ApiKey.Role role, Instant expiresAt) throws IOException, ControlException {
        // Judged here as on a stopped file, in the same words: a name of thousands of characters
        // would not fit the socket's request line, and goto would only hang up on it.
        String problem = gotourl.apikey.ApiKeyRecord.nameProblem(name);
        if (problem != null) {
            throw new ControlException(problem);
        }
        List<String> lines = call(ControlProtocol.GENERATE, name, role.name().toLowerCase(java.util.Locale.ROOT),
                expiresAt == null ? "-" : expiresAt.toString());
        if (lines.size() != 2) {
            throw new IOException("goto answered a generate with " + lines.size() + " lines, not 2");
        }
        return new Generated(lines.get(0), KeyLine.decode(lines.get(1)));
    }

    @Override
    public KeyLine disable(String idOrName) throws IOException, ControlException {
        if (idOrName.length() > gotourl.apikey.ApiKeyRecord.MAX_NAME_CHARS) {
            // No key's id or name is this long: the answer goto would give, without a request too long to send.
            throw new ControlException(new gotourl.apikey.ApiKeyNotFoundException(idOrName).getMessage());
        }
        List<String> lines = call(ControlProtocol.DISABLE, idOrName);
        if (lines.size() != 1) {
            throw new IOException("goto answered a disable with " + lines.size() + " lines, not 1");
        }
        return KeyLine.decode(lines.getFirst());
    }

    @Override
    public List<KeyLine> list() throws IOException, ControlException {
        return call(ControlProtocol.LIST).stream().map(KeyLine::decode).toList();
    }

    @Override
    public String where() {
        return "the running goto (via " + socket + ")";
    }

    @Override
    public void close() {
        // one connection per call: nothing held between them
    }

    private List<String> call(String... fields) throws IOException, ControlException {
        String request;
        try {
            request = ControlProtocol.request(fields);
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
        int length = request.getBytes(StandardCharsets.UTF_8).length;
        if (length > ControlProtocol.MAX_REQUEST_BYTES) {
            throw new ControlException("the request is " + length + " bytes, more than goto's control socket reads ("
                    + ControlProtocol.MAX_REQUEST_BYTES + "); nothing was sent");
        }
        try (SocketChannel channel = connect(socket)) {
            ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            List<String> answer = ControlProtocol.readAnswer(channel);
            String status = answer.getFirst();
            if (status.startsWith(ControlProtocol.ERROR + "\t")) {
                throw new ControlException(status.substring(ControlProtocol.ERROR.length() + 1));
            }
            if (!status.equals(ControlProtocol.OK)) {
                throw new IOException("goto's control socket answered '" + status + "', which this command does not understand");
            }
            return answer.subList(1, answer.size());
        }
    }
}
