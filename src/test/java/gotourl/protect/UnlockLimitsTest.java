package gotourl.protect;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The buckets of password tries, on a clock the test moves. */
class UnlockLimitsTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));

    @Test
    void aClientGetsItsTriesThenWaitsUntilTheBucketRefills() {
        UnlockLimits limits = new UnlockLimits(3, 100, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit("10.0.0.1", "code")).isZero();
        }
        long wait = limits.admit("10.0.0.1", "code");
        assertThat(wait).isBetween(1L, 20L);
        assertThat(limits.admit("10.0.0.2", "code")).as("another client has its own bucket").isZero();
        clock.advance(Duration.ofSeconds(wait));
        assertThat(limits.admit("10.0.0.1", "code")).as("one try back after the wait it was told").isZero();
    }

    @Test
    void aLinkTakesALimitedNumberOfWrongPasswordsFromAllClientsTogether_butRightOnesGiveTheirTokenBack() {
        UnlockLimits limits = new UnlockLimits(100, 4, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 4; i++) {
            assertThat(limits.admit("10.0.0." + i, "code")).isZero();
        }
        assertThat(limits.admit("10.0.0.9", "code")).as("a fifth client's guess on the same link").isPositive();
        assertThat(limits.admit("10.0.0.9", "other")).as("another link is not locked").isZero();

        UnlockLimits popular = new UnlockLimits(100, 4, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 50; i++) {
            assertThat(popular.admit("10.0.1." + i, "popular")).as("visitor " + i + " who knows the password").isZero();
            popular.unlocked("popular");
        }
    }

    @Test
    void aTryRefusedByTheLinkCostsTheClientNothing() {
        UnlockLimits limits = new UnlockLimits(2, 1, Duration.ofMinutes(1), clock);
        assertThat(limits.admit("10.0.0.1", "code")).isZero();
        assertThat(limits.admit("10.0.0.2", "code")).isPositive();
        assertThat(limits.admit("10.0.0.2", "other")).isZero();
        assertThat(limits.admit("10.0.0.2", "third")).as("its refused try on 'code' was given back").isZero();
    }
}
