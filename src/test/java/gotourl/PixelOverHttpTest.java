package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkDraft;
import gotourl.protect.Passwords;
import gotourl.store.pg.PgSettings;
import gotourl.store.pg.PgVisitStore;
import gotourl.store.pg.TestPostgres;
import gotourl.visits.Visit;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shlink's tracking pixel, {@code GET /CODE/track}, end to end over a real socket with the visit
 * log in a real directory: the GIF answered whatever the code, a visit recorded for a link a
 * redirect would follow, none for anything else, and the redirect's do-not-track rules. The
 * visit queue is first in, first out, so a marker visit sent last tells when everything before it
 * has been taken.
 */
class PixelOverHttpTest {
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    /** Shlink's PixelResponse body: a 1x1 transparent GIF. */
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAJAAAP8AAAAAACH5BAUQAAAALAAAAAABAAEAAAICBAEAOw==");

    @TempDir
    Path dir;
    private RunningGoto app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private VisitStore visits() {
        return app.service().tracker().store();
    }

    private HttpResponse<byte[]> pixel(String method, String pathAndQuery) throws Exception {
        return app.client().send(HttpRequest.newBuilder(app.uri(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", FIREFOX).header("Referer", "https://mail.example.org/inbox").build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertPixel(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body()).isEqualTo(GIF);
    }

    @Test
    void aPixelIsAVisitOfItsLinkAndAnsweredForAnyCodeAsShlinkDoes() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String key = app.addKey("https://example.com/newsletter");
        String expired = app.service().store().create(LinkDraft.of("https://example.com/old")
                .withValidUntil(Instant.parse("2020-01-01T00:00:00Z"))).join().shortCode();

        HttpResponse<byte[]> tracked = pixel("GET", "/" + key + "/track?campaign=dec");
        assertPixel(tracked);
        assertThat(tracked.headers().firstValue("Location")).isEmpty();
        String escaped = "%" + Integer.toHexString(key.charAt(0)).toUpperCase() + key.substring(1);
        assertPixel(pixel("GET", "/" + escaped + "/track?escaped"));
        assertPixel(pixel("GET", "/no-such-code/track"));
        assertPixel(pixel("GET", "/" + expired + "/track"));
        assertPixel(pixel("GET", "/" + key + "/track?nostat"));
        HttpResponse<byte[]> head = pixel("HEAD", "/" + key + "/track");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(pixel("POST", "/" + key + "/track").statusCode()).isEqualTo(405);
        assertThat(app.get("/" + key + "?marker").statusCode()).isEqualTo(302);
        VisitsOverHttpTest.await("the marker is recorded", () -> visits().summary(key).total() >= 3);

        List<Visit> oldestFirst = visits().linkVisits(key, VisitsQuery.all()).data().reversed();
        assertThat(oldestFirst).as("the pixel's two GETs and the marker; HEAD and ?nostat are not visits").hasSize(3);
        assertThat(oldestFirst.get(1).visitedPath()).as("a percent-encoded code is the same link's")
                .isEqualTo("/" + escaped + "/track?escaped");
        Visit seen = oldestFirst.getFirst();
        assertThat(seen.type()).isEqualTo(VisitType.VALID_SHORT_URL);
        assertThat(seen.shortCode()).isEqualTo(key);
        assertThat(seen.visitedPath()).isEqualTo("/" + key + "/track?campaign=dec");
        assertThat(seen.referer()).isEqualTo("https://mail.example.org/inbox");
        assertThat(seen.userAgent()).isEqualTo(FIREFOX);
        assertThat(seen.redirectUrl()).as("a pixel redirects nowhere").isNull();
        assertThat(visits().stats().orphanVisits().total()).as("Shlink's pixel is never an orphan visit").isZero();
        assertThat(visits().summary(expired).total()).isZero();
    }

    @Test
    void aLimitedLinksPixelUsesUpItsVisitsAsItsRedirectDoes() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String key = app.service().store().create(LinkDraft.of("https://example.com/once").withMaxVisits(1)).join().shortCode();

        assertPixel(pixel("GET", "/" + key + "/track"));
        assertPixel(pixel("GET", "/" + key + "/track"));
        assertThat(app.get("/" + key).statusCode()).as("the pixel took the one visit").isEqualTo(404);
        VisitsOverHttpTest.await("the pixel's visit is recorded", () -> visits().summary(key).total() >= 1);
        assertThat(app.get("/other-marker").statusCode()).isEqualTo(404);
        VisitsOverHttpTest.await("the marker is recorded", () -> visits().stats().orphanVisits().total() >= 1);
        assertThat(visits().summary(key).total()).as("the exhausted pixel is not a visit").isEqualTo(1);
    }

    @Test
    void aProtectedLinksPixelIsNoVisit() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String key = app.service().store().create(LinkDraft.of("https://example.com/secret")
                .withPasswordHash(Passwords.hash("correct horse battery"))).join().shortCode();

        assertPixel(pixel("GET", "/" + key + "/track"));
        assertThat(app.get("/marker-" + key).statusCode()).isEqualTo(404);
        VisitsOverHttpTest.await("the marker is recorded", () -> visits().stats().orphanVisits().total() >= 1);
        assertThat(visits().summary(key).total()).as("its visits are its unlocked redirects").isZero();
    }

    @Test
    void withPostgresThePixelsVisitIsInTheDatabaseWithoutARedirectUrl() throws Exception {
        PgSettings db = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withDatabase(db));
        String key = app.addKey("https://example.com/newsletter");

        assertPixel(pixel("GET", "/" + key + "/track?issue=12"));
        try (PgVisitStore otherNode = PgVisitStore.open(db)) {
            VisitsOverHttpTest.await("the visit is in the database", () -> otherNode.summary(key).total() == 1);
            Visit seen = otherNode.linkVisits(key, VisitsQuery.all()).data().getFirst();
            assertThat(seen.visitedPath()).isEqualTo("/" + key + "/track?issue=12");
            assertThat(seen.redirectUrl()).isNull();
            assertThat(seen.referer()).isEqualTo("https://mail.example.org/inbox");
        }
    }
}
