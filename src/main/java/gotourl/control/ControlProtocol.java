package gotourl.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The control socket's protocol, one request per connection. The client sends one line of
 * tab-separated fields ({@code generate NAME ROLE EXPIRES|-}, {@code disable ID_OR_NAME},
 * {@code list}); the server answers {@code ok} and one line per result (a generated key's
 * secret, then {@link KeyLine}s), or {@code error} and a message, then closes. UTF-8 throughout;
 * fields hold no tabs or newlines (names may not hold control characters).
 */
final class ControlProtocol {
    static final String GENERATE = "generate";
    static final String DISABLE = "disable";
    static final String LIST = "list";
    static final String OK = "ok";
    static final String ERROR = "error";
    /** A request is a name of at most 100 characters and a few words: 4 KiB is plenty. */
    static final int MAX_REQUEST_BYTES = 4096;
    /** An answer lists every key, ~150 bytes each. */
    static final int MAX_RESPONSE_BYTES = 16 << 20;

    private ControlProtocol() {}

    static String request(String... fields) {
        for (String field : fields) {
            if (field.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("'" + field.strip() + "' holds control characters (a tab or newline);"
                        + " API key names and ids never do");
            }
        }
        return String.join("\t", fields) + "\n";
    }

    static String ok(List<String> lines) {
        StringBuilder out = new StringBuilder(OK).append('\n');
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static String error(String message) {
        return ERROR + "\t" + message.replace('\n', ' ').replace('\t', ' ') + "\n";
    }

    static void expect(List<String> fields, int count) throws ApiKeyOperations.ControlException {
        if (fields.size() != count) {
            throw new ApiKeyOperations.ControlException("a '" + fields.getFirst() + "' request has " + count + " fields, not "
                    + fields.size() + "; is the goto command from another version than the running goto?");
        }
    }

    /** Reads one request line (without its newline); throws if it is longer than {@link #MAX_REQUEST_BYTES} or cut short. */
    static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST_BYTES);
        while (true) {
            int end = indexOfNewline(buffer);
            if (end >= 0) {
                return new String(buffer.array(), 0, end, StandardCharsets.UTF_8);
            }
            if (!buffer.hasRemaining()) {
                throw new IOException("a request longer than " + MAX_REQUEST_BYTES + " bytes");
            }
            if (channel.read(buffer) < 0) {
                throw new IOException("the client closed before ending its request");
            }
        }
    }

    private static int indexOfNewline(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        for (int i = 0; i < buffer.position(); i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads a whole answer, until the server closes. */
    static List<String> readAnswer(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (out.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("goto's answer is longer than " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            throw new IOException("goto closed the control socket without an answer (is it stopping?)");
        }
        List<String> lines = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.removeLast();
        }
        return lines;
    }
}
