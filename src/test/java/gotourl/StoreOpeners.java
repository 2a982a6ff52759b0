package gotourl;

import gotourl.store.log.LogLinkStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.function.UnaryOperator;

/** Store openers for tests that need a hand inside the store goto serves from. */
public final class StoreOpeners {
    private StoreOpeners() {}

    /**
     * The file store wired as goto wires it (sync mode, metrics), with {@code customize} applied
     * to its options, e.g. {@code o -> o.withWriteChannel(gates::wrap)}.
     */
    public static GotoService.StoreOpener logStore(UnaryOperator<LogLinkStore.Options> customize) {
        return (config, metrics) -> {
            LogLinkStore.Options options = customize.apply(LogLinkStore.Options.defaults()
                    .withDurable(config.sync()).withObserver(metrics.commitObserver()));
            LogLinkStore store = LogLinkStore.open(config.file(), options);
            metrics.replayed(store.replay().took());
            metrics.watchStore(store, LogLinkStore::queueDepth);
            metrics.watchDataFile(store, LogLinkStore::fileBytes, LogLinkStore::liveBytes);
            return store;
        };
    }

    /** A port that was free a moment ago, for a listener whose address a test must know in advance. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
