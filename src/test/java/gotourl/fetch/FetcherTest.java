package gotourl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guard and the fetch over real sockets, against sites the test starts. */
class FetcherTest {
    private static TestSite site;
    /** A second site on 127.0.0.2: the "internal" server a redirect must never reach. */
    private static TestSite internal;
    private static Fetcher fetcher;

    @BeforeAll
    static void start() throws Exception {
        site = TestSite.start();
        internal = TestSite.start("127.0.0.2", 8);
        // Timeouts far above what these exchanges take, so that a busy machine does not turn a
        // redirect loop into a timeout; the timeout test has its own short one.
        fetcher = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20)), TestSite.resolver());
    }

    @AfterAll
    static void stop() throws Exception {
        fetcher.close();
        site.close();
        internal.close();
    }

    private static String url(String path) {
        return site.base("public.test") + path;
    }

    @Test
    void fetchesAPageWithGotosUserAgent() throws Exception {
        Fetcher.Response page = fetcher.fetch(url("/ua"), "GET", 4096, new Cancellation());
        assertThat(page.status()).isEqualTo(200);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).matches("<title>goto/[^ ]+ \\(URL shortener.*</title>");
        assertThat(page.redirects()).isEmpty();
    }

    @Test
    void refusesALoopbackAddressWithoutFetchPrivate() throws Exception {
        int before = site.totalHits();
        try (Fetcher strict = Fetcher.start(FetchOptions.defaults(), TestSite.resolver())) {
            assertThatThrownBy(() -> strict.fetch("http://127.0.0.1:" + site.port() + "/ok", "GET", 4096, new Cancellation()))
                    .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED))
                    .hasMessageContaining("loopback").hasMessageContaining("-fetch-private");
            // A name resolving to a loopback address is refused the same way.
            assertThatThrownBy(() -> strict.fetch(site.base("public.test") + "/ok", "GET", 4096, new Cancellation()))
                    .hasMessageContaining("public.test resolves to 127.0.0.1, loopback");
        }
        assertThat(site.totalHits()).isEqualTo(before);
    }

    @Test
    void fetchPrivateAllowsTheLocalServer() throws Exception {
        try (Fetcher lenient = Fetcher.start(FetchOptions.defaults().withPolicy(AddressPolicy.ALLOW_PRIVATE), TestSite.resolver())) {
            assertThat(lenient.fetch("http://127.0.0.1:" + site.port() + "/ok", "HEAD", 0, new Cancellation()).status()).isEqualTo(200);
        }
    }

    @Test
    void refusesARedirectToAPrivateAddressAndNeverConnectsToIt() throws Exception {
        String internalUrl = internal.base("internal.test") + "/ok";
        String literal = "http://127.0.0.2:" + internal.port() + "/ok";
        for (String target : List.of(internalUrl, literal, "http://[::ffff:127.0.0.2]:" + internal.port() + "/ok")) {
            assertThatThrownBy(() -> fetcher.fetch(url("/to?url=" + URLEncoder.encode(target, StandardCharsets.UTF_8)), "GET", 4096,
                    new Cancellation()))
                    .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED))
                    .hasMessageContaining("127.0.0.2");
        }
        assertThat(internal.totalHits()).isZero();
    }

    @Test
    void refusesSchemesOtherThanHttpOnTheFirstUrlAndOnRedirects() throws Exception {
        assertThatThrownBy(() -> fetcher.fetch("file:///etc/passwd", "GET", 4096, new Cancellation()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED));
        assertThatThrownBy(() -> fetcher.fetch(url("/to?url=" + URLEncoder.encode("gopher://public.test/", StandardCharsets.UTF_8)),
                "GET", 4096, new Cancellation()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED))
                .hasMessageContaining("http:// and https:// URLs only");
    }

    @Test
    void followsRedirectsItselfUpToTheLimit() throws Exception {
        Fetcher.Response arrived = fetcher.fetch(url("/hops/3"), "HEAD", 0, new Cancellation());
        assertThat(arrived.status()).isEqualTo(200);
        assertThat(arrived.redirects()).hasSize(3);
        assertThat(arrived.url()).isEqualTo(url("/hops/0"));
        assertThatThrownBy(() -> fetcher.fetch(url("/hops/" + (FetchOptions.DEFAULT_MAX_REDIRECTS + 1)), "HEAD", 0, new Cancellation()))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.TOO_MANY_REDIRECTS));
    }

    @Test
    void detectsARedirectLoop() {
        assertThatThrownBy(() -> fetcher.fetch(url("/loop-a"), "GET", 4096, new Cancellation()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REDIRECT_LOOP))
                .hasMessageContaining("/loop-b redirects back to");
    }

    @Test
    void readsAHugeBodyOnlyUpToTheBound() throws Exception {
        Fetcher.Response huge = fetcher.fetch(url("/huge"), "GET", 100_000, new Cancellation());
        assertThat(huge.status()).isEqualTo(200);
        assertThat(huge.body()).hasSize(100_000);
        assertThat(huge.truncated()).isTrue();
        Thread.sleep(300);
        // The server could only push what buffers hold before the client stopped reading.
        assertThat(site.hugeBytesSent()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void givesUpOnASlowPageAtTheTotalTimeout() {
        site.slowMillis(5_000);
        try (Fetcher impatient = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500)), TestSite.resolver())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.fetch(url("/slow"), "GET", 4096, new Cancellation()))
                    .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void unknownHostIsUnreachable() {
        assertThatThrownBy(() -> fetcher.fetch("http://nowhere.invalid/", "GET", 4096, new Cancellation()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.UNREACHABLE))
                .hasMessageContaining("unknown host nowhere.invalid");
    }

    /**
     * The connection goes to the very address the guard checked: no second look-up between the
     * check and the connect can move it. (Jetty's pool may, on a busy machine, open a second
     * connection for the one request; that one is resolved and checked afresh, here refused, and
     * the answer still comes over the first. So the test counts where requests arrived, not the
     * look-ups: one on the public site, none on the internal one.)
     */
    @Test
    void connectsToTheAddressItCheckedNeverToALaterLookup() throws Exception {
        // A rebinding resolver: public (the test's public address) on the first lookup, private after.
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
        int before = site.hits("/ok");
        try (Fetcher once = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy()), rebinding)) {
            assertThat(once.fetch(site.base("rebind.test") + "/ok", "GET", 4096, new Cancellation()).status()).isEqualTo(200);
        }
        assertThat(lookups.get()).isPositive();
        assertThat(site.hits("/ok") - before).isEqualTo(1);
        assertThat(internal.totalHits()).isZero();
    }

    @Test
    void cancellationAbortsAFetchInFlight() throws Exception {
        Cancellation cancel = new Cancellation();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancel.cancel("test");
        });
        long start = System.nanoTime();
        try (Fetcher patient = Fetcher.start(FetchOptions.defaults().withPolicy(TestSite.policy())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)), TestSite.resolver())) {
            assertThatThrownBy(() -> patient.fetch(url("/slow"), "GET", 4096, cancel))
                    .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.CANCELLED));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
