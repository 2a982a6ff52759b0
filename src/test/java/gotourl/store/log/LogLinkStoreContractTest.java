package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.LinkStore;
import gotourl.store.LinkStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract for the durable log store, in a real file; the file format has its own tests. */
class LogLinkStoreContractTest extends LinkStoreContract {
    @TempDir
    Path dir;

    @Override
    protected LinkStore openEmptyStore() throws Exception {
        return LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults());
    }

    @Test
    void acknowledgedLinksAreThereAfterReopeningAndKeysGoOn() throws Exception {
        String first = keyOf(store.add("https://example.com/kept"));
        String second = keyOf(store.add("https://example.com/also-kept"));
        store.close(Duration.ofSeconds(10));

        store = LogLinkStore.open(dir.resolve("links.data"), LogLinkStore.Options.defaults());
        assertThat(store.longUrlOf(first)).isEqualTo("https://example.com/kept");
        assertThat(store.longUrlOf(second)).isEqualTo("https://example.com/also-kept");
        assertThat(keyOf(store.add("https://example.com/next"))).isEqualTo("c");
    }
}
