package gotourl.control;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyAdmin;
import gotourl.apikey.ApiKeyNotFoundException;
import gotourl.apikey.ApiKeyStore;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ApiKeyOperations} on a store in this process: the running goto's (serving its control
 * socket) or a stopped goto's data file opened by the command line. Blocks the calling thread
 * until the store has kept the change, so it runs off the request path (a virtual thread of the
 * control socket, or the command's main thread).
 */
public final class LocalKeyOperations implements ApiKeyOperations {
    /** A key change waits this long for the store; one group commit takes milliseconds. */
    public static final long WAIT_SECONDS = 10;
    static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

    private final ApiKeyStore store;
    private final ApiKeyAdmin admin;
    private final String where;
    private final AutoCloseable owned;

    /**
     * Operations on {@code store}, described as {@code where}; {@code owned} (or null) is closed
     * with these operations: the store the command line opened.
     */
    public LocalKeyOperations(ApiKeyStore store, Clock clock, String where, AutoCloseable owned) {
        this.store = store;
        this.admin = new ApiKeyAdmin(store, clock);
        this.where = where;
        this.owned = owned;
    }

    @Override
    public Generated generate(String name, ApiKey.Role role, Instant expiresAt) throws ControlException {
        ApiKeyAdmin.Minted minted = await(admin.generate(name, role, expiresAt), "no key was made");
        return new Generated(minted.secret(), KeyLine.of(minted.key()));
    }

    @Override
    public KeyLine disable(String idOrName) throws ControlException {
        return KeyLine.of(await(admin.disable(idOrName), "no key was disabled"));
    }

    @Override
    public List<KeyLine> list() {
        return store.apiKeyTable().all().stream().map(KeyLine::of).toList();
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void close() throws IOException {
        if (owned != null) {
            try {
                owned.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /** The change's result; its failure as a {@link ControlException} saying {@code unchanged} and why. */
    private <T> T await(CompletableFuture<T> change, String unchanged) throws ControlException {
        try {
            return change.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted while waiting for the store; the change may or may not have been kept"
                    + " (goto api-key list shows)");
        } catch (TimeoutException e) {
            throw new ControlException("the store did not keep the change within " + WAIT.toSeconds()
                    + " s; goto api-key list shows whether it was kept, and goto's log why it is slow");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof ApiKeyNotFoundException) {
                throw new ControlException(cause.getMessage());
            }
            if (owned != null && cause instanceof StoreFailedException && cause.getCause() instanceof java.io.IOException disk) {
                // The command's own store could not write (a full disk, a read-only file system):
                // one line for its user, as there is no goto to restart and no log to read.
                throw new ControlException(unchanged + ": " + cause.getMessage().replace(disk.toString(), describe(disk))
                        + "; make room on its disk (or fix what the error names), then run the command again");
            }
            if (cause instanceof StoreBusyException || cause instanceof StoreFailedException) {
                throw new ControlException("nothing changed: goto cannot write now (" + cause.getMessage() + ")");
            }
            throw new ControlException("nothing changed: " + cause);
        }
    }

    private static String describe(java.io.IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
