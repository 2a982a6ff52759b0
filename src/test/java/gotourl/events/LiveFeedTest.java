package gotourl.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.Config;
import gotourl.ListenAddress;
import gotourl.RunningGoto;
import gotourl.ShortUrlBase;
import gotourl.TestClock;
import gotourl.api.TestApiKeys;
import gotourl.http.WebServer;
import gotourl.store.MemoryLinkStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed over real sockets: what a subscriber sees and when, who sees what, a stalled
 * subscriber dropped without slowing anyone else, tickets, refusals, and shutdown.
 */
class LiveFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long a test waits for an event. The feed hands events out every 100 ms; how long they
     * take end to end is measured by bench/run events (BENCHMARKS.md), not asserted here, where a
     * busy machine stalls threads for seconds.
     */
    private static final Duration SOON = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private RunningGoto app;

    private RunningGoto start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        return app;
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private int port() {
        return app.service().appPort();
    }

    private HttpResponse<String> api(String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return app.send(request.build());
    }

    /** A GET with no User-Agent (a bot by Shlink's rules, and classified without the agent rules), answered status. */
    private int visit(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: goto.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    @Test
    void aSubscriberSeesCreatesAndVisitsAsTheyHappen() throws Exception {
        start();
        try (SseClient feed = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ADMIN)) {
            assertThat(feed.status).isEqualTo(200);
            assertThat(feed.headers.get("content-type")).isEqualTo("text/event-stream");
            assertThat(feed.headers.get("cache-control")).isEqualTo("no-store");

            HttpResponse<String> created = api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN,
                    "{\"longUrl\": \"https://example.com/feed\", \"customSlug\": \"feed1\", \"title\": \"<b>Feed</b>\"}");
            assertThat(created.statusCode()).isEqualTo(200);
            SseClient.Event link = feed.next("link", SOON);
            assertThat(link).as("a link event soon after the create's answer").isNotNull();
            // The short URL exactly as the API answered it.
            assertThat(JSON.readTree(link.data())).isEqualTo(JSON.readTree(created.body()));
            assertThat(feed.retry).isEqualTo("3000");

            assertThat(visit("/feed1")).isEqualTo(302);
            SseClient.Event visit = feed.next("visit", SOON);
            assertThat(visit).as("a visit event soon after the redirect (visits recorded %d, dropped %d; feed sent %d, dropped %d,"
                    + " skipped %d)", app.service().tracker().recorded(), app.service().tracker().dropped(),
                    app.service().events().sentEvents(), app.service().events().droppedEvents(),
                    app.service().events().skippedVisits()).isNotNull();
            JsonNode v = JSON.readTree(visit.data());
            assertThat(v.get("shortCode").asText()).isEqualTo("feed1");
            assertThat(v.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
            assertThat(v.get("potentialBot").asBoolean()).isTrue();
            assertThat(v.get("referer").asText()).isEmpty();
            assertThat(v.get("userAgent").asText()).isEmpty();
            assertThat(v.has("type")).isFalse();

            assertThat(visit("/nosuch")).isEqualTo(404);
            SseClient.Event orphanEvent = feed.next("visit", SOON);
            assertThat(orphanEvent).as("an orphan visit event (visits recorded %d, dropped %d; feed sent %d, dropped %d,"
                    + " skipped %d, subscribers %d;  events seen %s)", app.service().tracker().recorded(), app.service().tracker().dropped(),
                    app.service().events().sentEvents(), app.service().events().droppedEvents(),
                    app.service().events().skippedVisits(), app.service().events().subscribers(), feed.seen).isNotNull();
            JsonNode orphan = JSON.readTree(orphanEvent.data());
            assertThat(orphan.get("shortCode").isNull()).isTrue();
            assertThat(orphan.get("type").asText()).isEqualTo("invalid_short_url");

            // The seed's /add is a create too.
            String key = app.addKey("https://example.com/seed");
            SseClient.Event added = feed.next("link", SOON);
            assertThat(added).isNotNull();
            assertThat(JSON.readTree(added.data()).get("shortCode").asText()).isEqualTo(key);
            assertThat(app.service().events().subscribers()).isEqualTo(1);
        }
    }

    /** A findIfExists create that finds a link creates nothing, and announces nothing (Shlink's ShortUrlCreated). */
    @Test
    void aLinkFoundByFindIfExistsIsNoLinkEvent() throws Exception {
        start();
        try (SseClient feed = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ADMIN)) {
            assertThat(api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN,
                    "{\"longUrl\": \"https://example.com/same\", \"customSlug\": \"first\"}").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(feed.next("link", SOON).data()).get("shortCode").asText()).isEqualTo("first");

            HttpResponse<String> found = api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN,
                    "{\"longUrl\": \"https://example.com/same\", \"findIfExists\": true}");
            assertThat(JSON.readTree(found.body()).get("shortCode").asText()).isEqualTo("first");
            HttpResponse<String> fresh = api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN,
                    "{\"longUrl\": \"https://example.com/other\", \"customSlug\": \"second\", \"findIfExists\": true}");
            assertThat(fresh.statusCode()).isEqualTo(200);
            SseClient.Event next = feed.next("link", SOON);
            assertThat(next).isNotNull();
            assertThat(JSON.readTree(next.data()).get("shortCode").asText())
                    .as("the next link event is the new link, not the one found").isEqualTo("second");

            // A batch: the found link is not announced, the new one once, though a later item finds it.
            HttpResponse<String> batch = api("POST", "/rest/v3/short-urls/batch", TestApiKeys.ADMIN, """
                    {"shortUrls": [{"longUrl": "https://example.com/same", "findIfExists": true},
                     {"longUrl": "https://example.com/third", "customSlug": "third", "findIfExists": true},
                     {"longUrl": "https://example.com/third", "findIfExists": true}]}""");
            assertThat(batch.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(feed.next("link", SOON).data()).get("shortCode").asText()).isEqualTo("third");
            assertThat(api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN,
                    "{\"longUrl\": \"https://example.com/fourth\", \"customSlug\": \"fourth\"}").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(feed.next("link", SOON).data()).get("shortCode").asText())
                    .as("after the batch's one new link, the next create").isEqualTo("fourth");
        }
    }

    @Test
    void anAuthorKeySeesOnlyItsOwnLinksEvents() throws Exception {
        start();
        try (SseClient alice = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ALICE);
             SseClient admin = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ADMIN)) {
            assertThat(api("POST", "/rest/v3/short-urls", TestApiKeys.BOB, "{\"longUrl\": \"https://example.com/b\", \"customSlug\": \"bobs\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(visit("/bobs")).isEqualTo(302);
            assertThat(visit("/nosuch")).isEqualTo(404);
            assertThat(api("POST", "/rest/v3/short-urls", TestApiKeys.ALICE, "{\"longUrl\": \"https://example.com/a\", \"customSlug\": \"alices\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(visit("/alices")).isEqualTo(302);
            // The admin sees all five, Alice her two only. (Links and visits come by different
            // paths, a visit through the visits worker, so only events of one kind keep their order.)
            assertThat(take(admin, 5)).containsExactlyInAnyOrder("link:bobs", "visit:bobs", "visit:null", "link:alices", "visit:alices");
            assertThat(take(alice, 2)).containsExactlyInAnyOrder("link:alices", "visit:alices");
            assertThat(alice.next(Duration.ofMillis(300))).isNull();
        }
    }

    private static java.util.List<String> take(SseClient feed, int count) throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            SseClient.Event event = feed.next(SOON);
            assertThat(event).as("event " + (i + 1) + " of " + count + " after " + seen).isNotNull();
            seen.add(event.name() + ":" + JSON.readTree(event.data()).get("shortCode").asText());
        }
        return seen;
    }

    @Test
    void aStalledSubscriberIsDroppedWhileAnotherKeepsReceivingAndRedirectsGoOn() throws Exception {
        start();
        app.addKey("https://example.com/first");
        try (SseClient stalled = SseClient.stalled(port(), TestApiKeys.ADMIN);
             SseClient reading = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ADMIN)) {
            assertThat(stalled.status).isEqualTo(200);
            EventFeed feed = app.service().events();
            int created = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Batches of links with 8 KB long URLs, until the stalled one has fallen behind.
            while (feed.droppedSubscribers() == 0 && System.nanoTime() < deadline) {
                StringBuilder batch = new StringBuilder("{\"shortUrls\": [");
                for (int i = 0; i < 50; i++) {
                    batch.append(i == 0 ? "" : ",").append("{\"longUrl\": \"https://example.com/").append("x".repeat(8000))
                            .append(created + i).append("\"}");
                }
                assertThat(api("POST", "/rest/v3/short-urls/batch", TestApiKeys.ADMIN, batch.append("]}").toString())
                        .statusCode()).isEqualTo(200);
                created += 50;
                assertThat(app.get("/a").statusCode()).as("a redirect while the feed backs up").isEqualTo(302);
                Thread.sleep(150);
            }
            assertThat(feed.droppedSubscribers()).as("the stalled subscriber is dropped").isEqualTo(1);
            // The reading one got every link, in order, and is still subscribed.
            for (int i = 0; i < created; i++) {
                SseClient.Event event = reading.next("link", SOON);
                assertThat(event).as("link event " + i + " of " + created).isNotNull();
            }
            api("POST", "/rest/v3/short-urls", TestApiKeys.ADMIN, "{\"longUrl\": \"https://example.com/after\", \"customSlug\": \"after\"}");
            assertThat(JSON.readTree(reading.next("link", SOON).data()).get("shortCode").asText()).isEqualTo("after");
            assertThat(feed.subscribers()).isEqualTo(1);
            // The stalled one's connection was closed: reading it now ends (after what the kernel held).
            Socket socket = stalledSocket(stalled);
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[64 * 1024];
            boolean closed = false;
            try {
                while (in.read(sink) >= 0) {
                    // drain
                }
                closed = true;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            assertThat(closed).isTrue();
            assertThat(app.admin("/metrics").body()).contains("goto_events_subscribers_dropped_total 1.0");
        }
    }

    private static Socket stalledSocket(SseClient client) throws Exception {
        java.lang.reflect.Field field = SseClient.class.getDeclaredField("socket");
        field.setAccessible(true);
        return (Socket) field.get(client);
    }

    @Test
    void shutdownClosesEverySubscriberWithinTheDeadline() throws Exception {
        start();
        SseClient one = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ADMIN);
        SseClient two = SseClient.open(port(), "/rest/v3/events", TestApiKeys.ALICE);
        SseClient stalled = SseClient.stalled(port(), TestApiKeys.ADMIN);
        app.addKey("https://example.com/x");
        assertThat(one.next("link", SOON)).isNotNull();
        assertThat(app.shutdown()).as("a clean stop, every stream ended within the deadline").isTrue();
        assertThat(one.endsWithin(SOON)).isTrue();
        assertThat(two.endsWithin(SOON)).isTrue();
        assertThat(one.comments).anyMatch(c -> c.contains("goto is stopping"));
        assertThat(app.service().events().subscribers()).isZero();
        one.close();
        two.close();
        stalled.close();
    }

    @Test
    void aTicketOpensOneStreamOnceWithinSixtySecondsAndIsNeverLogged() throws Exception {
        Path accessLog = dir.resolve("access.log");
        Config config = new Config(ListenAddress.parse("127.0.0.1:0"), null, ShortUrlBase.parse(RunningGoto.HOST), true,
                ListenAddress.parse("127.0.0.1:0"), SOON, accessLog, Config.DEFAULT_QUEUE_WAIT,
                WebServer.Limits.DEFAULT);
        TestClock clock = new TestClock(Instant.now());
        app = RunningGoto.start(config, (c, m) -> new MemoryLinkStore(clock), TestApiKeys.options(), clock);

        HttpResponse<String> issued = api("POST", "/rest/v3/events/tickets", TestApiKeys.ALICE, null);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(issued.body());
        String ticket = body.get("ticket").asText();
        assertThat(ticket).hasSizeGreaterThanOrEqualTo(22);
        assertThat(Instant.parse(body.get("expiresAt").asText().replace("+00:00", "Z")))
                .isBetween(clock.instant().plusSeconds(59), clock.instant().plusSeconds(60));

        try (SseClient feed = SseClient.open(port(), "/rest/v3/events?ticket=" + ticket, null)) {
            assertThat(feed.status).isEqualTo(200);
            // The ticket carries Alice's key: her links only.
            api("POST", "/rest/v3/short-urls", TestApiKeys.BOB, "{\"longUrl\": \"https://example.com/b\"}");
            api("POST", "/rest/v3/short-urls", TestApiKeys.ALICE, "{\"longUrl\": \"https://example.com/a\", \"customSlug\": \"hers\"}");
            assertThat(JSON.readTree(feed.next("link", SOON).data()).get("shortCode").asText()).isEqualTo("hers");
        }
        try (SseClient again = SseClient.open(port(), "/rest/v3/events?ticket=" + ticket, null)) {
            assertThat(again.status).as("a ticket opens one stream").isEqualTo(401);
            assertThat(again.headers.get("content-type")).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(again.errorBody).get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
            assertThat(JSON.readTree(again.errorBody).get("detail").asText()).contains("used or expired").contains("/rest/v3/events/tickets");
        }
        String late = JSON.readTree(api("POST", "/rest/v3/events/tickets", TestApiKeys.ADMIN, null).body()).get("ticket").asText();
        clock.advance(Duration.ofSeconds(61));
        try (SseClient expired = SseClient.open(port(), "/rest/v3/events?ticket=" + late, null)) {
            assertThat(expired.status).as("a ticket expires after 60 s").isEqualTo(401);
        }
        String inTime = JSON.readTree(api("POST", "/rest/v3/events/tickets", TestApiKeys.ADMIN, null).body()).get("ticket").asText();
        clock.advance(Duration.ofSeconds(59));
        try (SseClient ok = SseClient.open(port(), "/rest/v3/events?ticket=" + inTime, null)) {
            assertThat(ok.status).isEqualTo(200);
        }
        assertThat(api("POST", "/rest/v3/events/tickets", null, null).statusCode()).isEqualTo(401);
        app.shutdown();
        String log = Files.readString(accessLog);
        assertThat(log).contains("/rest/v3/events?ticket=***").doesNotContain(ticket).doesNotContain(late).doesNotContain(inTime);
    }

    @Test
    void aMissingOrWrongKeyIsRefusedWithShlinksProblem() throws Exception {
        start();
        try (SseClient none = SseClient.open(port(), "/rest/v3/events", null)) {
            assertThat(none.status).isEqualTo(401);
            assertThat(none.headers.get("content-type")).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(none.errorBody).get("type").asText()).isEqualTo("https://shlink.io/api/error/missing-authentication");
        }
        try (SseClient wrong = SseClient.open(port(), "/rest/v3/events", "not-a-key")) {
            assertThat(wrong.status).isEqualTo(401);
            assertThat(JSON.readTree(wrong.errorBody).get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
        }
        // The key is never taken from a URL.
        try (SseClient inUrl = SseClient.open(port(), "/rest/v3/events?apiKey=" + TestApiKeys.ADMIN + "&X-Api-Key="
                + TestApiKeys.ADMIN, null)) {
            assertThat(inUrl.status).isEqualTo(401);
        }
        try (SseClient disabled = SseClient.open(port(), "/rest/v3/events", TestApiKeys.DISABLED)) {
            assertThat(disabled.status).isEqualTo(401);
        }
        assertThat(app.service().events().subscribers()).isZero();
    }
}
