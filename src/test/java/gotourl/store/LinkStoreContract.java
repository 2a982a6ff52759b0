package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import gotourl.link.SeedKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LinkStore} promises, run against each implementation by a subclass that
 * says how to open one.
 */
public abstract class LinkStoreContract {
    private static final Duration WAIT = Duration.ofSeconds(30);

    protected LinkStore store;

    /** A new, empty store. */
    protected abstract LinkStore openEmptyStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        store.close(WAIT);
    }

    protected static String keyOf(CompletableFuture<String> add) throws Exception {
        return add.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void addsGetTheSeedsKeysInCounterOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            keys.add(keyOf(store.add("https://example.com/" + i)));
        }
        assertThat(keys).startsWith("a", "b", "c");
        assertThat(keys.get(25)).isEqualTo("z");
        assertThat(keys.get(61)).isEqualTo("9");
        assertThat(keys.get(62)).isEqualTo("ba");
        for (int i = 0; i < keys.size(); i++) {
            assertThat(keys.get(i)).isEqualTo(SeedKeys.genKey(i));
        }
    }

    @Test
    void looksUpWhatWasAdded() throws Exception {
        String first = keyOf(store.add("https://example.com/first"));
        String second = keyOf(store.add("http://example.org:8080/second?q=1#top"));
        assertThat(store.longUrlOf(first)).isEqualTo("https://example.com/first");
        assertThat(store.longUrlOf(second)).isEqualTo("http://example.org:8080/second?q=1#top");
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void theSameUrlAddedTwiceGetsTwoKeys() throws Exception {
        String one = keyOf(store.add("https://example.com/same"));
        String two = keyOf(store.add("https://example.com/same"));
        assertThat(one).isNotEqualTo(two);
        assertThat(store.longUrlOf(one)).isEqualTo(store.longUrlOf(two)).isEqualTo("https://example.com/same");
    }

    @Test
    void unknownAndMalformedKeysLookUpNothing() throws Exception {
        keyOf(store.add("https://example.com/only"));
        for (String key : new String[] {"b", "ba", "9999999999", "", "aa", "a-b", "favicon.ico", "ünï", "99999999999"}) {
            assertThat(store.longUrlOf(key)).as("lookup of \"%s\"", key).isNull();
        }
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertThat(store.size()).isZero();
        assertThat(store.longUrlOf("a")).isNull();
        assertThat(store.failure()).isNull();
    }

    @Test
    void concurrentAddsGetDistinctConsecutiveKeysAndKeepTheirOwnUrls() throws Exception {
        int threads = 8;
        int addsPerThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Map<String, String>> byThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Map<String, String> mine = new HashMap<>();
            byThread.add(mine);
            int thread = t;
            workers.add(Thread.ofPlatform().name("adder-" + t).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < addsPerThread; i++) {
                        String url = "https://example.com/" + thread + "/" + i;
                        mine.put(keyOf(store.add(url)), url);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(WAIT.toMillis());
        }
        assertThat(failure.get()).isNull();

        Map<String, String> all = new HashMap<>();
        for (Map<String, String> mine : byThread) {
            assertThat(mine).hasSize(addsPerThread);
            for (Map.Entry<String, String> link : mine.entrySet()) {
                assertThat(all.put(link.getKey(), link.getValue())).as("key %s handed out twice", link.getKey()).isNull();
            }
        }
        // No key twice and none skipped: exactly the first threads * addsPerThread counters.
        assertThat(all.keySet()).hasSize(threads * addsPerThread);
        for (long counter = 0; counter < threads * addsPerThread; counter++) {
            assertThat(all).containsKey(Keys.encode(counter));
        }
        for (Map.Entry<String, String> link : all.entrySet()) {
            assertThat(store.longUrlOf(link.getKey())).isEqualTo(link.getValue());
        }
        assertThat(store.size()).isEqualTo(threads * addsPerThread);
    }

    @Test
    void closeFinishesTheAddsAlreadyTaken() throws Exception {
        List<CompletableFuture<String>> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(store.add("https://example.com/" + i));
        }
        assertThat(store.close(WAIT)).as("adds left unfinished").isZero();
        for (int i = 0; i < taken.size(); i++) {
            assertThat(taken.get(i)).isCompletedWithValue(Keys.encode(i));
        }
    }

    @Test
    void afterCloseAddsAreRefusedAndFailureSaysWhy() throws Exception {
        keyOf(store.add("https://example.com/before"));
        store.close(WAIT);

        CompletableFuture<String> late = store.add("https://example.com/after");
        assertThatThrownBy(() -> late.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreFailedException.class);
        assertThat(store.failure()).isNotBlank();
        assertThat(store.longUrlOf("b")).isNull();
    }

    @Test
    void closingTwiceIsHarmless() {
        assertThat(store.close(WAIT)).isZero();
        assertThat(store.close(WAIT)).isZero();
    }
}
