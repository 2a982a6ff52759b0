package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import gotourl.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code -public-add} and {@code -add-rate} over a real socket: a closed /add answers 403 and its
 * form page says where to add instead; a limited /add answers 429 with Retry-After in whole
 * seconds once a client's budget is spent, and lets it through again as time passes (a test
 * clock moves, nothing sleeps). The seed's default stays open and unlimited.
 */
class AddAccessTest {
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aClosedAddRefusesWith403AndTheFormSaysWhereToAddInstead() throws Exception {
        try (RunningGoto running = RunningGoto.start(RunningGoto.config(null).withAddAccess(new AddAccess(false, null)))) {
            HttpResponse<String> post = running.add("https://example.com/closed");
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(post.body()).contains("closed on this goto").contains("REST API").contains("X-Api-Key");
            HttpResponse<String> get = running.get("/add?url=https%3A%2F%2Fexample.com%2Fby-get");
            assertThat(get.statusCode()).isEqualTo(403);
            assertThat(running.service().store().size()).as("nothing stored").isZero();

            HttpResponse<String> seedForm = running.get("/add");
            assertThat(seedForm.statusCode()).isEqualTo(200);
            assertThat(seedForm.body()).contains("closed").contains("REST API").doesNotContain("<form");
            // The web app's page keeps its form for a signed-in user (it goes through the REST API),
            // but never offers the closed /add.
            HttpResponse<String> page = running.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("closed").contains("REST API").doesNotContain("action=\"/add\"");
            assertThat(running.admin("/metrics").body()).contains("reason=\"closed\"");
        }
    }

    @Test
    void theSeedsAddStaysOpenAndUnlimited() throws Exception {
        try (RunningGoto running = RunningGoto.inMemory()) {
            for (int i = 0; i < 30; i++) {
                running.addKey("https://example.com/open-" + i);
            }
            assertThat(running.get("/add").body()).contains("<form");
        }
    }

    @Test
    void aLimitedAddAnswers429WithRetryAfterThenLetsThroughAsTimePasses() throws Exception {
        TestClock clock = new TestClock(START);
        AddAccess access = new AddAccess(true, new AddAccess.Rate(3, Duration.ofMinutes(1)));
        try (RunningGoto running = RunningGoto.start(RunningGoto.config(null).withAddAccess(access), clock)) {
            for (int i = 0; i < 3; i++) {
                running.addKey("https://example.com/burst-" + i);
            }
            HttpResponse<String> refused = running.add("https://example.com/one-too-many");
            assertThat(refused.statusCode()).isEqualTo(429);
            // 3 a minute refill one every 20 s: the next add is possible in 20 s.
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
            assertThat(refused.body()).contains("3 links per minute").contains("-add-rate").contains("retry in 20 seconds");
            assertThat(running.get("/add?url=https%3A%2F%2Fexample.com%2Fby-get").statusCode()).isEqualTo(429);
            assertThat(running.get("/add").statusCode()).as("showing the form is not an add").isEqualTo(200);
            assertThat(running.service().store().size()).isEqualTo(3);

            clock.advance(Duration.ofSeconds(19));
            HttpResponse<String> stillEarly = running.add("https://example.com/early");
            assertThat(stillEarly.statusCode()).isEqualTo(429);
            assertThat(stillEarly.headers().firstValue("Retry-After")).hasValue("1");

            clock.advance(Duration.ofSeconds(1));
            running.addKey("https://example.com/after-refill");
            assertThat(running.add("https://example.com/again-too-many").statusCode()).isEqualTo(429);

            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < 3; i++) {
                running.addKey("https://example.com/after-a-minute-" + i);
            }
            assertThat(running.add("https://example.com/over").statusCode()).isEqualTo(429);
            assertThat(running.admin("/metrics").body()).contains("reason=\"rate_limited\"");
        }
    }

    @Test
    void clientsAreCountedByAddressAndIpv6ByItsSlash64() {
        assertThat(AddLimiter.clientOf(new java.net.InetSocketAddress("127.0.0.1", 5000))).isEqualTo("127.0.0.1");
        String one = AddLimiter.clientOf(new java.net.InetSocketAddress("2001:db8:1:2:aaaa::1", 5000));
        String other = AddLimiter.clientOf(new java.net.InetSocketAddress("2001:db8:1:2:bbbb::9", 5001));
        String elsewhere = AddLimiter.clientOf(new java.net.InetSocketAddress("2001:db8:1:3::1", 5000));
        assertThat(one).isEqualTo(other).isNotEqualTo(elsewhere);
    }
}
