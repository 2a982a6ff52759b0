package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.store.LinkStore;
import gotourl.visits.Visit;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitsQuery;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of link the redirect answers, each through its own path (a plain link straight from
 * the index; a link with dates, a visit limit, no query forwarding, a custom slug or an author as a
 * whole link), answers the same way: the Location, the query merged or not, HEAD like GET, and one
 * visit per GET (none per HEAD or {@code ?nostat}) naming the link's short code and creation time.
 */
class RedirectKindsTest {
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    @TempDir
    Path dir;
    private RunningGoto app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).header("User-Agent", FIREFOX).GET().build());
    }

    private HttpResponse<String> head(String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).header("User-Agent", FIREFOX)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    private VisitStore visits() {
        return app.service().tracker().store();
    }

    @Test
    void everyKindOfLinkRedirectsAndIsTrackedOncePerGet() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        LinkStore store = app.service().store();
        String url = "https://example.com/page?lang=en";
        Map<String, Link> links = new LinkedHashMap<>();
        links.put("plain", store.lookup(app.addKey(url)));
        links.put("slug", store.create(LinkDraft.of(url).withCustomSlug("docs")).join());
        links.put("validUntil", store.create(LinkDraft.of(url).withValidUntil(Instant.now().plusSeconds(3600))).join());
        links.put("maxVisits", store.create(LinkDraft.of(url).withMaxVisits(10)).join());
        links.put("noForward", store.create(LinkDraft.of(url).withForwardQuery(false)).join());
        links.put("author", store.create(LinkDraft.of(url).withAuthor("key-1")).join());
        assertThat(links.get("plain").isPlain()).as("the /add link is plain").isTrue();

        for (Map.Entry<String, Link> entry : links.entrySet()) {
            String code = entry.getValue().shortCode();
            boolean forwards = entry.getValue().forwardQuery();
            String as = entry.getKey() + " (/" + code + ")";

            HttpResponse<String> get = get("/" + code);
            assertThat(get.statusCode()).as(as).isEqualTo(302);
            assertThat(get.headers().firstValue("Location")).as(as).contains(url);
            assertThat(get.headers().firstValue("Cache-Control")).as(as)
                    .isEqualTo(entry.getKey().equals("maxVisits") ? Optional.of("no-store") : Optional.empty());

            HttpResponse<String> query = get("/" + code + "?lang=de&utm=x");
            assertThat(query.headers().firstValue("Location")).as(as)
                    .contains(forwards ? "https://example.com/page?lang=de&utm=x" : url);

            HttpResponse<String> head = head("/" + code);
            assertThat(head.statusCode()).as(as).isEqualTo(302);
            assertThat(head.headers().firstValue("Location")).as(as).isEqualTo(get.headers().firstValue("Location"));
            assertThat(head.body()).as(as).isEmpty();

            HttpResponse<String> quiet = get("/" + code + "?nostat&utm=y");
            assertThat(quiet.statusCode()).as(as).isEqualTo(302);
            assertThat(quiet.headers().firstValue("Location")).as(as)
                    .contains(forwards ? "https://example.com/page?lang=en&utm=y" : url);
        }
        // The visits queue is first in, first out: once this marker is in, everything before it is.
        String marker = app.addKey("https://example.com/marker");
        assertThat(get("/" + marker).statusCode()).isEqualTo(302);
        VisitsOverHttpTest.await("the marker is recorded", () -> visits().summary(marker).total() == 1);

        for (Map.Entry<String, Link> entry : links.entrySet()) {
            Link link = entry.getValue();
            List<Visit> recorded = visits().linkVisits(link.shortCode(), VisitsQuery.all()).data().reversed();
            assertThat(recorded).as(entry.getKey() + ": one visit per GET, none for HEAD or ?nostat").hasSize(2);
            assertThat(recorded).as(entry.getKey()).allSatisfy(visit -> {
                assertThat(visit.shortCode()).isEqualTo(link.shortCode());
                assertThat(visit.linkCreatedMillis()).as("the link's life").isEqualTo(link.dateCreated().toEpochMilli());
            });
            assertThat(recorded).extracting(Visit::visitedPath).containsExactly("/" + link.shortCode(),
                    "/" + link.shortCode() + "?lang=de&utm=x");
            assertThat(recorded.get(1).redirectUrl()).as(entry.getKey())
                    .isEqualTo(link.forwardQuery() ? "https://example.com/page?lang=de&utm=x" : url);
        }
        assertThat(visits().stats().orphanVisits().total()).as("no redirect counted as an orphan").isZero();
    }

    @Test
    void aDeletedPlainLinkAnswersTheSame404AsAnUnknownCodeAndIsAnOrphanVisit() throws Exception {
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")));
        String unknown = get("/zz9").body();
        String key = app.addKey("https://example.com/gone");
        assertThat(get("/" + key).statusCode()).isEqualTo(302);
        app.service().store().delete(key).join();

        HttpResponse<String> gone = get("/" + key);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo(unknown.replace("zz9", key));
        assertThat(gone.headers().firstValue("Location")).isEmpty();
        assertThat(head("/" + key).statusCode()).isEqualTo(404);
        VisitsOverHttpTest.await("the unknown code and the deleted key are orphan visits (HEAD is none)",
                () -> visits().stats().orphanVisits().total() == 2);
    }
}
