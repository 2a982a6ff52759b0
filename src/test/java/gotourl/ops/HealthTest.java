package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.ForwardingLinkStore;
import gotourl.store.MemoryLinkStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void startingUntilTheStoreIsOpen() {
        Health health = new Health();
        assertThat(health.notReadyReason()).isEqualTo("starting: loading links from the data file");
        health.ready(new MemoryLinkStore());
        assertThat(health.notReadyReason()).isNull();
    }

    @Test
    void notReadyWhileTheStoreCannotWriteWithItsReason() {
        Health health = new Health();
        FailingStore store = new FailingStore();
        health.ready(store);
        assertThat(health.notReadyReason()).isNull();
        store.failure = "writing goto.data failed: No space left on device";
        assertThat(health.notReadyReason()).isEqualTo("cannot store links: writing goto.data failed: No space left on device");
    }

    @Test
    void notReadyOnceStoppingEvenWithAHealthyStore() {
        Health health = new Health();
        health.ready(new MemoryLinkStore());
        health.stopping();
        assertThat(health.notReadyReason()).isEqualTo("shutting down");
    }

    private static final class FailingStore extends ForwardingLinkStore {
        volatile String failure;

        FailingStore() {
            super(new MemoryLinkStore());
        }

        @Override
        public String failure() {
            return failure;
        }
    }
}
