package gotourl.check;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.fetch.Cancellation;
import gotourl.fetch.FetchOptions;
import gotourl.fetch.Fetcher;
import gotourl.fetch.TestSite;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounded crawler against a site the test starts: verdicts, bounds, cancellation. */
class CheckRunTest {
    private TestSite site;
    private TestSite internal;
    private Fetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        site = TestSite.start();
        internal = TestSite.start("127.0.0.2", 8);
        fetcher = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1200)), TestSite.resolver());
    }

    @AfterEach
    void stop() throws Exception {
        fetcher.close();
        site.close();
        internal.close();
    }

    private static CheckRun.Target target(String code, String url) {
        return new CheckRun.Target(code, Instant.parse("2026-11-30T12:00:00Z"), url);
    }

    private Map<String, LinkHealth> check(List<CheckRun.Target> targets, int concurrency, int perHost) {
        CheckRun run = new CheckRun(new LinkChecker(fetcher, Clock.systemUTC()), concurrency, perHost);
        return run.run(targets, new Cancellation(), result -> {}).stream()
                .collect(Collectors.toMap(r -> r.target().shortCode(), CheckRun.Result::health));
    }

    @Test
    void judgesEachKindOfPage() {
        String base = site.base("public.test");
        String privateRedirect = base + "/to?url=" + URLEncoder.encode(internal.base("internal.test") + "/ok", StandardCharsets.UTF_8);
        site.slowMillis(3_000);
        Map<String, LinkHealth> health = check(List.of(
                target("fine", base + "/ok"),
                target("gone", base + "/missing"),
                target("down", base + "/broken"),
                target("nohead", base + "/no-head"),
                target("moved", base + "/hops/2"),
                target("loop", base + "/loop-a"),
                target("slow", base + "/slow"),
                target("sneaky", privateRedirect),
                target("nohost", "http://nowhere.invalid/")), 8, 4);

        assertThat(health.get("fine").state()).isEqualTo(HealthState.OK);
        assertThat(health.get("fine").status()).isEqualTo(200);
        assertThat(health.get("fine").location()).isNull();
        assertThat(health.get("gone").state()).isEqualTo(HealthState.CLIENT_ERROR);
        assertThat(health.get("gone").status()).isEqualTo(404);
        assertThat(health.get("down").state()).isEqualTo(HealthState.SERVER_ERROR);
        assertThat(health.get("down").status()).isEqualTo(500);
        assertThat(health.get("nohead").state()).isEqualTo(HealthState.OK);
        assertThat(site.hits("/no-head")).as("a HEAD refused, then a GET").isEqualTo(2);
        assertThat(health.get("moved").state()).isEqualTo(HealthState.REDIRECTED);
        assertThat(health.get("moved").location()).isEqualTo(base + "/hops/0");
        assertThat(health.get("moved").status()).isEqualTo(200);
        assertThat(health.get("loop").state()).isEqualTo(HealthState.UNREACHABLE);
        assertThat(health.get("loop").detail()).contains("redirect loop");
        assertThat(health.get("slow").state()).isEqualTo(HealthState.UNREACHABLE);
        assertThat(health.get("slow").detail()).contains("in time");
        assertThat(health.get("sneaky").state()).isEqualTo(HealthState.UNREACHABLE);
        assertThat(health.get("sneaky").detail()).contains("refused").contains("127.0.0.2");
        assertThat(internal.totalHits()).isZero();
        assertThat(health.get("nohost").detail()).contains("unknown host");
    }

    @Test
    void neverFetchesMoreThanThePerHostBoundFromOneHost() {
        List<CheckRun.Target> targets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            targets.add(target("l" + i, site.base("one.test") + "/wait?ms=60&n=" + i));
        }
        Map<String, LinkHealth> health = check(targets, 20, 3);
        assertThat(health).hasSize(30).allSatisfy((code, h) -> assertThat(h.state()).isEqualTo(HealthState.OK));
        assertThat(site.maxInFlight()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
    }

    @Test
    void neverFetchesMoreThanTheGlobalBoundAcrossHosts() {
        List<CheckRun.Target> targets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            targets.add(target("l" + i, site.base("h" + (i % 12) + ".test") + "/wait?ms=60&n=" + i));
        }
        Map<String, LinkHealth> health = check(targets, 5, 2);
        assertThat(health).hasSize(60);
        assertThat(site.maxInFlight()).isLessThanOrEqualTo(5).isGreaterThanOrEqualTo(3);
    }

    @Test
    void cancellationStopsTheRunWithinASecondAndAbortsFetchesInFlight() throws Exception {
        List<CheckRun.Target> targets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            targets.add(target("h" + i, site.base("h" + (i % 10) + ".test") + "/hang?n=" + i));
        }
        targets.add(0, target("first", site.base("quick.test") + "/ok"));
        try (Fetcher patient = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60)), TestSite.resolver())) {
            CheckRun run = new CheckRun(new LinkChecker(patient, Clock.systemUTC()), 8, 2);
            Cancellation cancel = new Cancellation();
            List<CheckRun.Result> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread runner = Thread.ofVirtual().start(() -> seen.addAll(run.run(targets, cancel, r -> {})));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((site.hits("/hang") < 8 || site.inFlight() < 8) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(site.inFlight()).as("fetches in flight before the cancel").isEqualTo(8);
            long cancelled = System.nanoTime();
            cancel.cancel("test");
            runner.join(Duration.ofSeconds(5));
            Duration took = Duration.ofNanos(System.nanoTime() - cancelled);
            assertThat(runner.isAlive()).isFalse();
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(seen).extracting(r -> r.target().shortCode()).containsExactly("first");
            // No link past the cancel was started: 8 hung requests, nothing more.
            assertThat(site.hits("/hang")).isEqualTo(8);
        }
    }

    @Test
    void hostOfLowercasesTheHost() {
        assertThat(CheckRun.hostOf("https://Example.COM:8443/a")).isEqualTo("example.com");
        assertThat(CheckRun.hostOf("http://a|b.example/")).isEqualTo("a|b.example");
    }
}
