package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import gotourl.TestClock;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.ShortCodes;
import gotourl.store.LinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The redirect honours the link model: slugs, validity, forwardQuery, the redirect status, robots.txt. */
class LinkRedirectTest {
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    private final TestClock clock = new TestClock(START);
    private RunningGoto app;
    private LinkStore store;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), clock);
        store = app.service().store();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private Link create(LinkDraft draft) {
        return store.create(draft).join();
    }

    private HttpResponse<String> head(String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void aCustomSlugRedirectsAndIsCaseSensitive() throws Exception {
        create(LinkDraft.of("https://example.com/docs").withCustomSlug("Docs"));
        HttpResponse<String> response = app.get("/Docs");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains("https://example.com/docs");
        assertThat(response.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(app.get("/docs").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownDeletedNotYetValidAndExpiredLinksAnswerTheSame404Page() throws Exception {
        String unknown = app.get("/soon").body();
        String unknownLater = app.get("/later").body();
        String unknownGone = app.get("/gone").body();
        create(LinkDraft.of("https://example.com/soon").withCustomSlug("soon").withValidSince(START.plusSeconds(60)));
        create(LinkDraft.of("https://example.com/later").withCustomSlug("later").withValidUntil(START.plusSeconds(60)));
        create(LinkDraft.of("https://example.com/gone").withCustomSlug("gone"));
        store.delete("gone").join();

        HttpResponse<String> notYet = app.get("/soon");
        assertThat(notYet.statusCode()).isEqualTo(404);
        assertThat(notYet.body()).isEqualTo(unknown);
        assertThat(head("/soon").statusCode()).isEqualTo(404);
        assertThat(app.get("/gone").body()).isEqualTo(unknownGone);
        assertThat(app.get("/gone").statusCode()).isEqualTo(404);
        assertThat(app.get("/later").statusCode()).isEqualTo(302);

        clock.set(START.plusSeconds(60));
        assertThat(app.get("/soon").statusCode()).as("valid from validSince on").isEqualTo(302);
        assertThat(app.get("/later").statusCode()).as("valid through validUntil").isEqualTo(302);

        clock.set(START.plusSeconds(61));
        HttpResponse<String> expired = app.get("/later");
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(expired.body()).isEqualTo(unknownLater);
        assertThat(expired.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void theRequestsQueryIsMergedOverTheLongUrlsAndWins() throws Exception {
        String key = store.add("https://example.com/page?lang=en&ref=goto#top").join();
        HttpResponse<String> response = app.get("/" + key + "?utm_source=mail&lang=de");
        assertThat(response.headers().firstValue("Location")).contains("https://example.com/page?lang=de&ref=goto&utm_source=mail#top");
        assertThat(app.get("/" + key).headers().firstValue("Location")).as("no query: the long URL as stored")
                .contains("https://example.com/page?lang=en&ref=goto#top");

        Link kept = create(LinkDraft.of("https://example.com/fixed?a=1").withForwardQuery(false));
        assertThat(app.get("/" + kept.shortCode() + "?a=2&b=3").headers().firstValue("Location")).contains("https://example.com/fixed?a=1");
    }

    @Test
    void anEditIsSeenByTheVeryNextRedirectAndHeadAnswersAsGet() throws Exception {
        String key = store.add("https://example.com/before").join();
        assertThat(app.get("/" + key).headers().firstValue("Location")).contains("https://example.com/before");
        store.edit(key, LinkEdit.none().longUrl("https://example.com/after")).join();
        HttpResponse<String> get = app.get("/" + key);
        HttpResponse<String> head = head("/" + key);
        assertThat(get.headers().firstValue("Location")).contains("https://example.com/after");
        assertThat(head.statusCode()).isEqualTo(get.statusCode());
        assertThat(head.headers().firstValue("Location")).isEqualTo(get.headers().firstValue("Location"));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void robotsTxtAllowsCrawlableLinksAndDisallowsTheRest() throws Exception {
        create(LinkDraft.of("https://example.com/b").withCustomSlug("beta").withCrawlable(true));
        create(LinkDraft.of("https://example.com/a").withCustomSlug("alpha").withCrawlable(true));
        store.add("https://example.com/hidden").join();
        HttpResponse<String> robots = app.get("/robots.txt");
        assertThat(robots.statusCode()).isEqualTo(200);
        assertThat(robots.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(robots.body()).endsWith("User-agent: *\nAllow: /alpha\nAllow: /beta\nDisallow: /\n");
        assertThat(head("/robots.txt").statusCode()).isEqualTo(200);

        store.edit("beta", LinkEdit.none().crawlable(false)).join();
        assertThat(app.get("/robots.txt").body()).endsWith("User-agent: *\nAllow: /alpha\nDisallow: /\n");
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/robots.txt")).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void everyPathGotoAnswersItselfIsReservedFromSlugs() {
        assertThat(ShortCodes.RESERVED_PATHS).containsAll(AppHandler.OWN_PATHS);
        assertThat(ShortCodes.RESERVED_PATHS).contains("rest", "favicon.ico");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 307, 308})
    void theRedirectStatusIsConfigurableAndPermanentOnesAreCachedBriefly(int status) throws Exception {
        try (RunningGoto other = RunningGoto.start(RunningGoto.config(null).withRedirectStatus(status), Clock.systemUTC())) {
            String key = other.service().store().add("https://example.com/moved").join();
            HttpResponse<String> response = other.get("/" + key);
            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.headers().firstValue("Location")).contains("https://example.com/moved");
            assertThat(response.headers().firstValue("Cache-Control"))
                    .isEqualTo(status == 307 ? java.util.Optional.empty() : java.util.Optional.of("private, max-age=30"));
            assertThat(other.get("/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void metricsCountRedirectsByTheirStatusAndRobotsAsItsOwnRoute() throws Exception {
        create(LinkDraft.of("https://example.com/m").withCustomSlug("m"));
        app.get("/m");
        app.get("/robots.txt");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = app.admin("/metrics").body();
            if (metrics.contains("goto_requests_total{route=\"robots\",status=\"200\"} 1.0")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(metrics).contains("goto_requests_total{route=\"redirect\",status=\"302\"} 1.0")
                .contains("goto_requests_total{route=\"robots\",status=\"200\"} 1.0");
    }
}
