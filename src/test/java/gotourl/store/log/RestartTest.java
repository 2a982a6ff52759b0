package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed lost everything written after its first restart and handed those keys out again.
 * goto must keep every link across many restarts and resume keys after the highest key (or
 * reservation) ever written, never from a count of links, so a gap is never filled.
 */
class RestartTest {
    private static final int RESTARTS = 100;

    @TempDir
    Path dir;

    @Test
    void aHundredRestartsWithAddsBetweenKeepEveryLinkAndNeverReuseAKey() throws Exception {
        Path file = dir.resolve("goto.data");
        Random random = new Random(20261129);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        Map<String, String> failed = new HashMap<>();
        long highest = -1;
        long reserved = 0;
        int asyncRuns = 0;
        int failedRuns = 0;
        for (int run = 0; run < RESTARTS; run++) {
            boolean async = run % 7 == 3;
            boolean diskFails = run % 10 == 5 && !async; // async mode acknowledges before the disk can fail
            HookedChannel[] channel = new HookedChannel[1];
            LogLinkStore.Options options = LogLinkStore.Options.defaults().withDurable(!async)
                    .withWriteChannel(open -> channel[0] = new HookedChannel(open));
            LogLinkStore store = LogLinkStore.open(file, options);
            String at = "run " + run;

            assertThat(store.size()).as(at).isGreaterThanOrEqualTo(acknowledged.size());
            acknowledged.forEach((key, url) -> assertThat(store.longUrlOf(key)).as(at + ": key " + key).isEqualTo(url));
            failed.forEach((key, url) -> assertThat(store.longUrlOf(key)).as(at + ": the failed add's key " + key).isIn(url, null));

            int adds = 1 + random.nextInt(4);
            long firstOfRun = -1;
            for (int i = 0; i < adds; i++) {
                String url = "https://example.com/" + run + "/" + i;
                String key = add(store, url);
                long counter = Keys.decode(key);
                assertThat(counter).as(at + ": key " + key + " comes after every key handed out before").isGreaterThan(highest);
                assertThat(counter).as(at + ": key " + key + " comes after the keys async mode reserved").isGreaterThanOrEqualTo(reserved);
                firstOfRun = firstOfRun < 0 ? counter : firstOfRun;
                assertThat(acknowledged.put(key, url)).as(at + ": key " + key + " handed out twice").isNull();
                highest = counter;
            }
            if (diskFails) {
                // Written, then the force fails: the add is refused, but its record may be on disk.
                channel[0].beforeForce = () -> {
                    throw new IOException("injected: fsync failed");
                };
                String url = "https://example.com/" + run + "/failed";
                assertThatThrownBy(() -> store.add(url).orTimeout(10, TimeUnit.SECONDS).join()).as(at)
                        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreFailedException.class);
                failed.put(Keys.encode(highest + 1), url);
                highest++; // its key may be on disk, so it must never be reused
                failedRuns++;
            }
            if (async) {
                // The run reserved a block of keys on disk before handing any out; they may have gone to lost adds.
                reserved = firstOfRun + LogWriter.KEYS_PER_RESERVATION;
                asyncRuns++;
            }
            store.close(java.time.Duration.ofSeconds(10));
        }
        assertThat(acknowledged).hasSizeGreaterThan(RESTARTS);
        assertThat(asyncRuns).isPositive();
        assertThat(failedRuns).isPositive();

        try (LogLinkStore last = DataFiles.open(file)) {
            acknowledged.forEach((key, url) -> assertThat(last.longUrlOf(key)).isEqualTo(url));
        }
    }

    @Test
    void keysResumeAfterTheHighestKeyNotAfterTheNumberOfLinks() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.write(file, DataFiles.header(), DataFiles.link("a", "https://example.com/a"),
                DataFiles.link("b", "https://example.com/b"), DataFiles.link("k", "https://example.com/k"));

        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.size()).isEqualTo(3);
            assertThat(add(store, "https://example.com/next")).isEqualTo("l");
        }
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.longUrlOf("d")).as("the gap stays a gap").isNull();
            assertThat(add(store, "https://example.com/after")).isEqualTo("m");
        }
    }

    @Test
    void keysResumeAfterTheHighestReservationEvenWithNoLinkUnderIt() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.write(file, DataFiles.header(), DataFiles.link("a", "https://example.com/a"), DataFiles.reservation(70_000),
                DataFiles.link("b", "https://example.com/b"));

        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode(70_000));
        }
    }

    @Test
    void aLowerReservationAfterAHigherKeyDoesNotMoveKeysBack() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.write(file, DataFiles.header(), DataFiles.link(Keys.encode(500), "https://example.com/500"),
                DataFiles.reservation(100));

        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode(501));
        }
    }
}
