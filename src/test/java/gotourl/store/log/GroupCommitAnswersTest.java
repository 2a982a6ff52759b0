package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable group commit's answers leave the writer as one task ({@link LogLinkStore#answerOn}):
 * handed over only after the commit's force, with every change in it already visible, and none
 * answered before the task runs; a failed force hands nothing over and fails every add in it.
 */
class GroupCommitAnswersTest {
    @TempDir
    Path dir;

    private HookedChannel channel;

    private LogLinkStore open() throws IOException {
        return LogLinkStore.open(dir.resolve("goto.data"), LogLinkStore.Options.defaults()
                .withWriteChannel(real -> channel = new HookedChannel(real)));
    }

    @Test
    void aGroupCommitIsAnsweredByOneTaskAfterItsForce() throws Exception {
        try (LogLinkStore store = open()) {
            BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
            store.answerOn(tasks::add);
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            channel.beforeForce = () -> {
                forcing.countDown();
                await(release);
            };
            CompletableFuture<String> first = store.add("https://example.com/first");
            assertThat(forcing.await(10, TimeUnit.SECONDS)).as("the first add's force began").isTrue();
            // These queue behind the held force, so the writer takes them as one group commit.
            List<CompletableFuture<String>> rest = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                rest.add(store.add("https://example.com/page/" + i));
            }
            assertThat(tasks).as("nothing handed over before the force ends").isEmpty();
            channel.beforeForce = HookedChannel.Hook.NONE;
            release.countDown();

            Runnable firstAnswers = tasks.poll(10, TimeUnit.SECONDS);
            assertThat(firstAnswers).as("the first commit's answers").isNotNull();
            assertThat(first).as("answered only when its task runs").isNotDone();
            firstAnswers.run();
            String firstKey = first.get(1, TimeUnit.SECONDS);
            assertThat(store.lookup(firstKey).longUrl()).isEqualTo("https://example.com/first");

            Runnable restAnswers = tasks.poll(10, TimeUnit.SECONDS);
            assertThat(restAnswers).as("the second commit's answers").isNotNull();
            assertThat(rest).as("answered only when their task runs").noneMatch(CompletableFuture::isDone);
            assertThat(store.size()).as("but visible to readers already").isEqualTo(21);
            restAnswers.run();
            for (int i = 0; i < rest.size(); i++) {
                assertThat(store.lookup(rest.get(i).get(1, TimeUnit.SECONDS)).longUrl()).isEqualTo("https://example.com/page/" + i);
            }
            assertThat(tasks.poll(200, TimeUnit.MILLISECONDS)).as("one task for the 20 adds of one commit").isNull();
            assertThat(channel.forces.get()).as("two group commits, two forces").isEqualTo(2);
        }
    }

    @Test
    void aFailedForceHandsNothingOverAndFailsItsAdds() throws Exception {
        try (LogLinkStore store = open()) {
            BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
            store.answerOn(tasks::add);
            channel.beforeForce = () -> {
                throw new IOException("Input/output error");
            };
            CompletableFuture<String> add = store.add("https://example.com/lost");
            assertThat(add).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StoreFailedException.class);
            assertThat(tasks).as("no answers handed over").isEmpty();
            assertThat(store.size()).as("nothing stored").isZero();
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the force");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
