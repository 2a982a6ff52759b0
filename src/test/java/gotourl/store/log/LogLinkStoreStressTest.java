package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.LinkStore;
import gotourl.store.LinkStoreStressContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress contract on the durable file store, with compactions running the whole time, and
 * then a restart: the file holds what the writers were acknowledged, no more, no less.
 */
class LogLinkStoreStressTest extends LinkStoreStressContract {
    @TempDir
    Path dir;
    private int compactions;

    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        return LogLinkStore.open(dir.resolve("stress.data"), LogLinkStore.Options.defaults().withClock(clock));
    }

    @Override
    protected void churn(AtomicBoolean done) throws Exception {
        LogLinkStore log = (LogLinkStore) store;
        while (!done.get()) {
            log.compact().get(30, TimeUnit.SECONDS);
            compactions++;
        }
    }

    @AfterEach
    void theFileHoldsExactlyTheAcknowledgedLinks() throws Exception {
        assertThat(compactions).as("compactions while the writers ran").isPositive();
        java.util.Map<String, gotourl.link.Link> before = new java.util.HashMap<>();
        store.forEach(link -> before.put(link.shortCode(), link));
        assertThat(before.keySet()).isEqualTo(liveCodes());
        store.close();
        try (LogLinkStore reopened = LogLinkStore.open(dir.resolve("stress.data"), LogLinkStore.Options.defaults())) {
            java.util.Map<String, gotourl.link.Link> after = new java.util.HashMap<>();
            reopened.forEach(link -> after.put(link.shortCode(), link));
            assertThat(after).isEqualTo(before);
        }
    }
}
