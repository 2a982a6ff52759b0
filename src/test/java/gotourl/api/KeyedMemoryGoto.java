package gotourl.api;

import gotourl.RunningGoto;
import gotourl.store.MemoryLinkStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A goto on a memory store that knows {@link TestApiKeys}' keys, started on free ports before each
 * test and closed after it, for tests that speak to the API over a real socket. Register it with
 * {@code @RegisterExtension final KeyedMemoryGoto running = new KeyedMemoryGoto();} and reach the
 * goto through {@link #app()}.
 */
public final class KeyedMemoryGoto implements BeforeEachCallback, AfterEachCallback {
    private RunningGoto app;

    /** The goto of the test running now; null outside a test. */
    public RunningGoto app() {
        return app;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), (config, metrics) -> new MemoryLinkStore(), TestApiKeys.options());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
