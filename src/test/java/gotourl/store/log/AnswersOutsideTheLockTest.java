package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkDraft;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable change is answered once its group commit is on disk (on the writer's thread unless
 * the store was told to answer elsewhere, {@link LogLinkStore#answerOn}); that
 * answer (a REST create writes its JSON and its response there) must not hold the store's lock,
 * or every create, add and edit being planned meanwhile waits for it.
 */
class AnswersOutsideTheLockTest {
    @TempDir
    Path dir;

    @Test
    void anotherAddIsAdmittedWhileACreateIsBeingAnswered() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(dir.resolve("goto.data"), LogLinkStore.Options.defaults())) {
            CompletableFuture<CompletableFuture<String>> admitted = new CompletableFuture<>();
            AtomicBoolean admittedDuringTheAnswer = new AtomicBoolean();
            store.create(LinkDraft.of("https://example.com/first").withTitle("rich")).thenAccept(link -> {
                // The answer, on the writer's thread: another client's add must get in meanwhile.
                Thread other = Thread.ofPlatform().start(() -> admitted.complete(store.add("https://example.com/second")));
                try {
                    other.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                admittedDuringTheAnswer.set(admitted.isDone());
            }).get(30, TimeUnit.SECONDS);

            assertThat(admittedDuringTheAnswer).as("the add was admitted while the create's answer ran").isTrue();
            assertThat(admitted.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).as("and kept after it").isNotNull();
        }
    }
}
