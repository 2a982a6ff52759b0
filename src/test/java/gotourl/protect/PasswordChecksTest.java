package gotourl.protect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded pool of password checks: never more running than allowed, never more waiting. */
class PasswordChecksTest {
    @Test
    void checksBeyondTheRunningAndWaitingOnesAreRefusedAtOnceAndTheOthersAllComplete() throws Exception {
        String hash = Passwords.hash("correct horse");
        try (PasswordChecks checks = new PasswordChecks(1, 2)) {
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(checks.verify(i % 2 == 0 ? "correct horse" : "wrong horse", hash));
            }
            AtomicInteger busy = new AtomicInteger();
            List<Boolean> answers = new ArrayList<>();
            for (CompletableFuture<Boolean> future : futures) {
                try {
                    answers.add(future.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(PasswordChecks.BusyException.class).hasMessageContaining("retry");
                    busy.incrementAndGet();
                }
            }
            assertThat(answers).as("one running and two waiting are checked").hasSize(3);
            assertThat(busy).as("the other three are refused, not queued").hasValue(3);
            assertThat(answers.get(0)).isTrue();
            assertThat(checks.inFlight()).isZero();
        }
    }

    @Test
    void afterCloseAcheckIsRefusedNotLost() throws Exception {
        PasswordChecks checks = new PasswordChecks(1, 1);
        assertThat(checks.close(Duration.ofSeconds(5))).isZero();
        CompletableFuture<Boolean> late = checks.verify("correct horse", "$argon2id$x");
        assertThat(late).failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("stopping");
        assertThat(checks.inFlight()).isZero();
    }

    @Test
    void theChecksRunOnNamedVirtualThreads() throws Exception {
        try (PasswordChecks checks = new PasswordChecks(1, 0)) {
            String hash = Passwords.hash("correct horse"); // ~70 ms of check: the callback is attached long before it ends
            CompletableFuture<Thread> where = new CompletableFuture<>();
            checks.verify("correct horse", hash).whenComplete((ok, e) -> where.complete(Thread.currentThread()));
            Thread thread = where.get(30, TimeUnit.SECONDS);
            assertThat(thread.isVirtual()).isTrue();
            assertThat(thread.getName()).startsWith("goto-password-");
        }
    }
}
