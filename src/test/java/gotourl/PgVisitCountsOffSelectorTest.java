package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.apikey.Secret;
import gotourl.store.pg.PgSettings;
import gotourl.store.pg.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code -db}, a short URL's {@code visitsSummary} is a database read. The REST API's handler
 * is non-blocking and a listener has one selector thread, so a list or a short URL whose counts
 * wait for the database (here: a lock on {@code visit_links}) must wait off it: redirects on other
 * connections go on meanwhile.
 */
class PgVisitCountsOffSelectorTest {
    private static final String KEY = "off-selector-test-key-0123456789";

    @TempDir
    Path dir;

    private static HttpRequest rest(RunningGoto running, String path) {
        return HttpRequest.newBuilder(running.uri(path)).header("X-Api-Key", KEY).build();
    }

    @Test
    void restAnswersWaitingForVisitCountsNeverHoldUpRedirects() throws Exception {
        String jdbcUrl = TestPostgres.shared().newDatabase();
        Config config = RunningGoto.config(dir.resolve("node.data")).withDatabase(PgSettings.parse(jdbcUrl, null, Map.of()))
                .withInitialApiKey(new Secret(KEY));
        try (RunningGoto running = RunningGoto.start(config)) {
            String code = running.addKey("https://example.com/target");
            CompletableFuture<HttpResponse<String>> list;
            CompletableFuture<HttpResponse<String>> one;
            try (Connection locker = DriverManager.getConnection(jdbcUrl); Statement lock = locker.createStatement()) {
                locker.setAutoCommit(false);
                lock.execute("LOCK TABLE visit_links IN ACCESS EXCLUSIVE MODE");
                list = running.client().sendAsync(rest(running, "/rest/v3/short-urls"), HttpResponse.BodyHandlers.ofString());
                one = running.client().sendAsync(rest(running, "/rest/v3/short-urls/" + code), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(500);
                assertThat(list).as("the list waits for its visit counts").isNotDone();
                assertThat(one).as("the short URL waits for its visit counts").isNotDone();

                HttpResponse<String> redirect = running.client().sendAsync(HttpRequest.newBuilder(running.uri("/" + code)).build(),
                        HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
                assertThat(redirect.statusCode()).isEqualTo(302);
                locker.rollback();
            }
            assertThat(list.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(list.get().body()).contains("\"shortCode\":\"" + code + "\"").contains("visitsSummary");
            assertThat(one.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
