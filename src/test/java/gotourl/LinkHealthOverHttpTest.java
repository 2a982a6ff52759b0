package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.apikey.Secret;
import gotourl.check.CheckSettings;
import gotourl.fetch.TestSite;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.store.log.LogLinkStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Link health in the REST API's short URL JSON, and titles filled in after creates, through a running goto. */
class LinkHealthOverHttpTest {
    private static final String KEY = "health-test-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        site = TestSite.start();
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + site.port() + path;
    }

    private JsonNode shortUrl(RunningGoto running, String code) throws Exception {
        HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/rest/v3/short-urls/" + code))
                .header("X-Api-Key", KEY).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    @Test
    void theHealthGotoCheckFoundIsInTheShortUrlJson() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.create(LinkDraft.of(url("/hops/1")).withCustomSlug("moved")).join();
            store.create(LinkDraft.of(url("/broken")).withCustomSlug("down")).join();
        }
        int code = Cli.run(new String[] {"check", "-file=" + data, "-fetch-private"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Map.of(), new StopSignal());
        assertThat(code).isEqualTo(CheckCommand.SOME_BROKEN);
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.create(LinkDraft.of(url("/ok")).withCustomSlug("fresh")).join();
        }

        try (RunningGoto running = RunningGoto.start(RunningGoto.config(data).withInitialApiKey(new Secret(KEY)))) {
            JsonNode moved = shortUrl(running, "moved").get("health");
            assertThat(moved.get("state").asText()).isEqualTo("redirected");
            assertThat(moved.get("status").asInt()).isEqualTo(200);
            assertThat(moved.get("location").asText()).isEqualTo(url("/hops/0"));
            assertThat(moved.get("checkedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
            JsonNode down = shortUrl(running, "down").get("health");
            assertThat(down.get("state").asText()).isEqualTo("server-error");
            assertThat(down.get("status").asInt()).isEqualTo(500);
            assertThat(down.get("location").isNull()).isTrue();
            assertThat(shortUrl(running, "fresh").get("health").isNull()).as("never checked").isTrue();

            // An edited long URL's old verdict is not shown.
            HttpResponse<String> edited = running.send(HttpRequest.newBuilder(running.uri("/rest/v3/short-urls/down"))
                    .header("X-Api-Key", KEY).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"longUrl\":\"" + url("/ok?edited") + "\"}")).build());
            assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
            assertThat(JSON.readTree(edited.body()).get("health").isNull()).isTrue();
        }
    }

    @Test
    void titlesAreFilledInAfterTheCreateAndConcurrentCreatesOfOneUrlFetchItOnce() throws Exception {
        Config config = RunningGoto.config(dir.resolve("goto.data")).withInitialApiKey(new Secret(KEY))
                .withChecks(new CheckSettings(null, 8, 2, Duration.ofSeconds(10), true, true));
        site.title("  The   shared\n page ");
        try (RunningGoto running = RunningGoto.start(config)) {
            int creates = 24;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<String> codes = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < creates; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        codes.add(RunningGoto.keyOf(running.add(url("/ok?shared")).body().strip()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
            assertThat(codes).hasSize(creates);
            for (String code : codes) {
                assertThat(awaitTitle(running, code)).isEqualTo("The shared page");
            }
            assertThat(site.hits("/ok")).as("one fetch for %d concurrent creates of one URL", creates).isEqualTo(1);

            // A slow page never delays the create; its title comes later. The page is held until
            // the create has answered, not timed against it: a create waiting for the fetch would
            // answer only at the fetch's 10 s timeout, and the title would never come.
            String slow = RunningGoto.keyOf(running.add(url("/hang")).body().strip());
            assertThat(running.service().store().lookup(slow).title()).isNull();
            site.release();
            assertThat(awaitTitle(running, slow)).isEqualTo("Finally");
        }
    }

    private static String awaitTitle(RunningGoto running, String code) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Link link = running.service().store().lookup(code);
            if (link != null && link.title() != null) {
                return link.title();
            }
            Thread.sleep(20);
        }
        return null;
    }
}
