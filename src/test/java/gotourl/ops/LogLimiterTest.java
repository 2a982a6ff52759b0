package gotourl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One line per kind per interval, with a count and a sample of what was left out; time is moved, not slept. */
class LogLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1), now::get);

    @Test
    void theFirstEventOfAKindIsWrittenAndTheRestOfTheIntervalOnlyCounted() {
        assertThat(limiter.admit("bad host", "one").write()).isTrue();
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.admit("bad host", "more " + i).write()).isFalse();
        }
        advance(Duration.ofSeconds(59));
        assertThat(limiter.admit("bad host", "still").write()).as("59 s later, the same interval").isFalse();

        advance(Duration.ofSeconds(2));
        LogLimiter.Verdict next = limiter.admit("bad host", "next minute");

        assertThat(next.write()).isTrue();
        assertThat(next.leftOut()).isEqualTo(1_001);
        assertThat(next.leftOutOver()).isEqualTo(Duration.ofSeconds(61));
        assertThat(next.leftOutNote()).isEqualTo(" (1001 more like it left out of the log in the last 61 s, e.g. more 0)");
        assertThat(limiter.admit("bad host", "x").write()).as("a new interval began").isFalse();
    }

    @Test
    void kindsAreLimitedEachOnTheirOwn() {
        assertThat(limiter.admit("bad host", "a").write()).isTrue();
        assertThat(limiter.admit("no host", "b").write()).isTrue();
        assertThat(limiter.admit("bad host", "c").write()).isFalse();
        assertThat(limiter.admit("no host", "d").write()).isFalse();
    }

    @Test
    void aKindWithNothingLeftOutSaysNothingMore() {
        limiter.admit("rare", "a");
        advance(Duration.ofMinutes(5));
        LogLimiter.Verdict again = limiter.admit("rare", "b");
        assertThat(again.write()).isTrue();
        assertThat(again.leftOutNote()).isEmpty();
    }

    @Test
    void endlesslyNewKindsAreFoldedIntoOneOnceThereAreTooMany() {
        int written = 0;
        for (int i = 0; i < 5_000; i++) {
            if (limiter.admit("kind " + i, "s").write()) {
                written++;
            }
        }
        assertThat(written).isEqualTo(1_001);
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> new LogLimiter(Duration.ZERO, now::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
