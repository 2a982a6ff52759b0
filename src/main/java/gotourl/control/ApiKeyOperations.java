package gotourl.control;

import gotourl.apikey.ApiKey;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What {@code goto api-key} does, on a running goto (through its control socket) or on a stopped
 * one's data file. Every method throws {@link ControlException} with a message for the user when
 * the operation is refused (a taken name, an unknown key, a store that cannot write), and
 * {@link IOException} when goto cannot be reached.
 */
public interface ApiKeyOperations extends AutoCloseable {

    /** A key just made: the secret, shown once, and what is kept of it. */
    record Generated(String secret, KeyLine key) {
        @Override
        public String toString() {
            return "Generated[" + key + "]";
        }
    }

    /** Makes a key; see {@link gotourl.apikey.ApiKeyAdmin#generate}. */
    Generated generate(String name, ApiKey.Role role, Instant expiresAt) throws IOException, ControlException;

    /** Disables the key of id, else name, {@code idOrName}, and returns it. */
    KeyLine disable(String idOrName) throws IOException, ControlException;

    /** Every key, oldest first. */
    List<KeyLine> list() throws IOException, ControlException;

    /** Where the operations ran: "the running goto (via FILE.sock)" or "FILE (goto is stopped)". */
    String where();

    @Override
    void close() throws IOException;

    /** An operation goto refused; the message says what was wrong and what to do. */
    final class ControlException extends Exception {
        public ControlException(String message) {
            super(message);
        }
    }
}
