package gotourl.store;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Creates, edits, deletes and lookups on many threads at once, released together, with the
 * invariant checked while they run and after: no code is handed out twice, a custom slug has one
 * holder at a time, every acknowledged change is seen by the very next lookup on any thread, and
 * nothing deleted comes back. A subclass may add churn of its own (a compaction) meanwhile.
 */
public abstract class LinkStoreStressContract {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WRITERS = 6;
    private static final int READERS = 2;
    private static final int OPERATIONS = 400;
    /** Few slugs, so that threads contend for them. */
    private static final int SLUGS = 12;

    protected LinkStore store;

    protected abstract LinkStore openEmptyStore(Clock clock) throws Exception;

    /** Work to run beside the writers until {@code done} (e.g. compactions); none by default. */
    protected void churn(AtomicBoolean done) throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        store = openEmptyStore(Clock.systemUTC());
        for (int i = 0; i < SLUGS; i++) {
            slugLocks.put("s" + i, new ReentrantReadWriteLock());
        }
    }

    @AfterEach
    void closeStore() {
        store.close(WAIT);
    }

    /** What the writers have acknowledged, per code: the link, or null for deleted, with a version. */
    private record Known(Link link, long version) {}

    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** Codes a writer is changing right now, with how many writers are (two may race for one slug). */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Integer> slugHolders = new ConcurrentHashMap<>();
    private final Map<String, ReadWriteLock> slugLocks = new ConcurrentHashMap<>();
    private final Set<String> generated = ConcurrentHashMap.newKeySet();
    private final AtomicLong versions = new AtomicLong();
    private final AtomicLong checkedByReaders = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void createsEditsDeletesAndLookupsOnManyThreadsKeepTheInvariant() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        // Writers wait for the readers to be running: on a busy machine the readers' threads were
        // scheduled after the writers had finished all their work, and checked nothing.
        CountDownLatch readersRunning = new CountDownLatch(READERS);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("stress-writer-" + w).start(() -> run(start, () -> {
                readersRunning.await();
                write(writer);
            })));
        }
        List<Thread> others = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            long seed = r;
            others.add(Thread.ofPlatform().name("stress-reader-" + r).start(() -> run(start, () -> {
                readersRunning.countDown();
                read(seed, done);
            })));
        }
        others.add(Thread.ofPlatform().name("stress-churn").start(() -> run(start, () -> churn(done))));
        start.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
        // With a store in memory the writers' 2,400 operations can end before a reader's thread
        // got the core at all (seen on a loaded 2-core machine): the readers then check the last
        // state, so that at least their checks ran.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (checkedByReaders.get() == 0 && failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        done.set(true);
        for (Thread thread : others) {
            thread.join(WAIT.toMillis());
        }
        assertThat(failure.get()).isNull();
        assertThat(checkedByReaders.get()).as("lookups the readers checked").isPositive();

        long live = 0;
        for (Map.Entry<String, Known> entry : known.entrySet()) {
            Link expected = entry.getValue().link();
            assertThat(store.lookup(entry.getKey())).as("code " + entry.getKey()).isEqualTo(expected);
            live += expected == null ? 0 : 1;
        }
        assertThat(store.size()).isEqualTo(live);
        List<Link> all = new ArrayList<>();
        store.forEach(all::add);
        assertThat(all).hasSize((int) live);
    }

    private interface Work {
        void run() throws Exception;
    }

    private void run(CountDownLatch start, Work work) {
        try {
            start.await();
            work.run();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void write(int writer) throws Exception {
        SplittableRandom random = new SplittableRandom(writer * 7919L);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < OPERATIONS && failure.get() == null; i++) {
            int dice = random.nextInt(10);
            String url = "https://example.com/" + writer + "/" + i;
            if (dice < 3 || mine.isEmpty()) {
                Link link = done(store.create(LinkDraft.of(url)));
                assertThat(generated.add(link.shortCode())).as("generated code %s handed out twice", link.shortCode()).isTrue();
                acknowledged(link.shortCode(), link);
                mine.add(link.shortCode());
            } else if (dice < 5) {
                // Writers race for a free slug: the store must give it to one of them only.
                String slug = "s" + random.nextInt(SLUGS);
                Lock racing = slugLocks.get(slug).readLock();
                racing.lock();
                changing(slug);
                try {
                    Link link = done(store.create(LinkDraft.of(url).withCustomSlug(slug).withTags(List.of("w" + writer))));
                    Integer other = slugHolders.putIfAbsent(slug, writer);
                    assertThat(other).as("slug %s acknowledged to writer %d while writer %s holds it", slug, writer, other).isNull();
                    acknowledged(slug, link);
                    mine.add(slug);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(LinkConflictException.class);
                } finally {
                    changed(slug);
                    racing.unlock();
                }
            } else if (dice < 8) {
                String code = mine.get(random.nextInt(mine.size()));
                changing(code);
                Link edited = done(store.edit(code, random.nextBoolean() ? LinkEdit.none().longUrl(url)
                        : LinkEdit.none().title("t" + i).tags(List.of("e" + i))));
                acknowledged(code, edited);
                changed(code);
            } else {
                String code = mine.remove(random.nextInt(mine.size()));
                // A slug goes back to the race only once its delete is acknowledged and checked.
                Lock handover = slugLocks.containsKey(code) ? slugLocks.get(code).writeLock() : new ReentrantLock();
                handover.lock();
                changing(code);
                try {
                    Link deleted = done(store.delete(code));
                    assertThat(deleted).isEqualTo(known.get(code).link());
                    acknowledged(code, null);
                    slugHolders.remove(code, writer);
                } finally {
                    changed(code);
                    handover.unlock();
                }
            }
        }
    }

    private void changing(String code) {
        inFlight.merge(code, 1, Integer::sum);
    }

    private void changed(String code) {
        inFlight.computeIfPresent(code, (c, writers) -> writers == 1 ? null : writers - 1);
    }

    /** Records an acknowledged change after checking this thread's very next lookup sees it. */
    private void acknowledged(String code, Link link) {
        assertThat(store.lookup(code)).as("the lookup right after the change of %s was acknowledged", code).isEqualTo(link);
        known.put(code, new Known(link, versions.incrementAndGet()));
    }

    /** Other threads' lookups: an acknowledged state, whole, for every code not being changed. */
    private void read(long seed, AtomicBoolean done) {
        SplittableRandom random = new SplittableRandom(seed);
        while (!done.get() && failure.get() == null) {
            List<String> codes = new ArrayList<>(known.keySet());
            if (codes.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            String code = codes.get(random.nextInt(codes.size()));
            Known before = known.get(code);
            if (inFlight.containsKey(code)) {
                continue;
            }
            Link seen = store.lookup(code);
            Known after = known.get(code);
            if (inFlight.containsKey(code) || after.version() != before.version()) {
                continue; // changed while looking: nothing to compare with
            }
            assertThat(seen).as("code %s read by another thread", code).isEqualTo(before.link());
            checkedByReaders.incrementAndGet();
        }
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The codes the writers hold now: for subclasses checking state after a restart. */
    protected Set<String> liveCodes() {
        Set<String> live = new HashSet<>();
        known.forEach((code, state) -> {
            if (state.link() != null) {
                live.add(code);
            }
        });
        return live;
    }
}
