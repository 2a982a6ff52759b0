package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import gotourl.store.MemoryLinkStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shlink's short-URL routes over a real socket, against the memory store and the file store:
 * create, get, edit, delete, list, with Shlink's JSON shapes and problem+json errors.
 */
class ShortUrlsApiTest {
    private static final String DATE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00";

    @TempDir
    Path dir;
    private RunningGoto app;
    private Api api;

    private void start(String store) throws Exception {
        app = store.equals("file")
                ? RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options())
                : RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        api = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aCreatedShortUrlHasShlinksShapeAndRedirects(String store) throws Exception {
        start(store);
        Api.Answer created = api.post("/rest/v3/short-urls", """
                {"longUrl": "https://example.com/docs?x=1", "customSlug": "docs", "tags": ["Summer Sale", "b"],
                 "title": "The docs", "validSince": "2020-01-01T00:00:00+02:00", "validUntil": "2999-01-01T00:00:00Z",
                 "maxVisits": 5, "crawlable": true, "forwardQuery": false, "unknownField": 1}""");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        JsonNode body = created.body();
        assertThat(fieldNames(body)).containsExactly("shortCode", "shortUrl", "longUrl", "dateCreated", "visitsSummary", "visitsCount", "tags",
                "meta", "domain", "title", "crawlable", "forwardQuery", "hasRedirectRules", "passwordProtected", "health");
        assertThat(body.get("health").isNull()).as("never checked").isTrue();
        assertThat(body.get("shortCode").asText()).isEqualTo("docs");
        assertThat(body.get("shortUrl").asText()).isEqualTo("http://goto.test/docs");
        assertThat(body.get("longUrl").asText()).isEqualTo("https://example.com/docs?x=1");
        assertThat(body.get("dateCreated").asText()).matches(DATE);
        assertThat(body.get("visitsSummary").toString()).isEqualTo("{\"total\":0,\"nonBots\":0,\"bots\":0}");
        assertThat(body.get("tags").toString()).isEqualTo("[\"b\",\"summer-sale\"]");
        assertThat(body.get("meta").toString()).isEqualTo(
                "{\"validSince\":\"2019-12-31T22:00:00+00:00\",\"validUntil\":\"2999-01-01T00:00:00+00:00\",\"maxVisits\":5}");
        assertThat(body.get("domain").isNull()).isTrue();
        assertThat(body.get("title").asText()).isEqualTo("The docs");
        assertThat(body.get("crawlable").asBoolean()).isTrue();
        assertThat(body.get("forwardQuery").asBoolean()).isFalse();
        assertThat(body.get("hasRedirectRules").asBoolean()).isFalse();
        // Read back before the redirect: the redirect's visit (recorded off its path) changes visitsSummary.
        assertThat(api.get("/rest/v3/short-urls/docs").body()).isEqualTo(body);
        assertThat(app.get("/docs").headers().firstValue("Location")).contains("https://example.com/docs?x=1");
        assertThat(app.service().store().lookup("docs").author()).isEqualTo("k-admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void defaultsAreShlinksAndAPlainCreateTakesTheNextKey(String store) throws Exception {
        start(store);
        JsonNode body = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/\"}").body();
        assertThat(body.get("shortCode").asText()).isEqualTo("a");
        assertThat(body.get("meta").toString()).isEqualTo("{\"validSince\":null,\"validUntil\":null,\"maxVisits\":null}");
        assertThat(body.get("title").isNull()).isTrue();
        assertThat(body.get("crawlable").asBoolean()).isFalse();
        assertThat(body.get("forwardQuery").asBoolean()).isTrue();
        assertThat(app.addKey("https://example.com/by-add")).isEqualTo("b");
        JsonNode random = api.post("/rest/v2/short-urls", "{\"longUrl\": \"https://example.com/r\", \"shortCodeLength\": 9}").body();
        assertThat(random.get("shortCode").asText()).hasSize(9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void badFieldsAreNamedInInvalidDataWithTheSameUrlRulesAsAdd(String store) throws Exception {
        start(store);
        Api.Answer answer = api.post("/rest/v3/short-urls", """
                {"longUrl": "javascript:alert(1)", "maxVisits": "many", "validUntil": "tomorrow", "tags": "a",
                 "crawlable": 3}""");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
        assertThat(answer.body().get("title").asText()).isEqualTo("Invalid data");
        assertThat(answer.body().get("status").asInt()).isEqualTo(400);
        assertThat(answer.body().get("invalidElements")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("longUrl", "validUntil", "maxVisits", "crawlable", "tags");
        String addProblem = app.add("javascript:alert(1)").body().trim().replaceFirst("^add refused: ", "");
        assertThat(answer.body().get("detail").asText()).contains(addProblem);
        assertThat(api.post("/rest/v3/short-urls", "{}").body().get("invalidElements").toString()).isEqualTo("[\"longUrl\"]");
        Api.Answer backwards = api.post("/rest/v3/short-urls", """
                {"longUrl": "https://example.com/", "validSince": "2030-01-01", "validUntil": "2029-01-01"}""");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body().get("detail").asText()).contains("validUntil");
        assertThat(app.service().store().size()).isZero();
    }

    /**
     * A date past four-digit years (0000 to 9999) (which a record's epoch milliseconds overflow near Instant's
     * limits) is invalid data, in a create and an edit, from an author's key too: it once reached
     * the writer, which failed on it and stopped storing anything until a restart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file"})
    void datesPastTheYear9999AreInvalidDataAndStoringGoesOn(String store) throws Exception {
        start(store);
        api.create("{\"longUrl\": \"https://example.com/1\", \"customSlug\": \"d\"}");
        for (String date : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z")) {
            Api.Answer created = api.post("/rest/v3/short-urls",
                    "{\"longUrl\": \"https://example.com/2\", \"validSince\": \"" + date + "\"}");
            assertThat(created.status()).as(date).isEqualTo(400);
            assertThat(created.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(created.body().get("invalidElements").toString()).isEqualTo("[\"validSince\"]");
            assertThat(created.body().get("detail").asText()).contains("four-digit year (0000 to 9999)");
            Api.Answer edited = api.patch("/rest/v3/short-urls/d", "{\"validUntil\": \"" + date + "\"}");
            assertThat(edited.status()).as(date).isEqualTo(400);
            assertThat(edited.body().get("invalidElements").toString()).isEqualTo("[\"validUntil\"]");
        }
        Api.Answer last = api.post("/rest/v3/short-urls",
                "{\"longUrl\": \"https://example.com/3\", \"validUntil\": \"9999-12-31T23:59:59Z\"}");
        assertThat(last.status()).as("the last second of 9999 is kept").isEqualTo(200);
        assertThat(app.add("https://example.com/after").statusCode()).as("storing goes on").isEqualTo(200);
        assertThat(app.service().store().size()).isEqualTo(3);
    }

    /**
     * A lone UTF-16 surrogate ({@code \\ud83d} in JSON: half an emoji) in a title or a tag is invalid
     * data, on a create and an edit: UTF-8 cannot hold it, so the data file (and PostgreSQL) would
     * keep a '?' in its place, and the answer's title would change at the next start.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file"})
    void aLoneSurrogateInATitleOrTagIsInvalidData(String store) throws Exception {
        start(store);
        api.create("{\"longUrl\": \"https://example.com/1\", \"customSlug\": \"s\"}");
        for (String field : List.of("\"title\": \"half \\ud83d\"", "\"title\": \"\\ude00 low\"",
                "\"tags\": [\"ok\", \"x\\udc00\"]")) {
            Api.Answer created = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/2\", " + field + "}");
            assertThat(created.status()).as(field).isEqualTo(400);
            assertThat(created.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(created.body().get("detail").asText()).as(field).contains("surrogate");
            assertThat(api.patch("/rest/v3/short-urls/s", "{" + field + "}").status()).as(field).isEqualTo(400);
        }
        Api.Answer whole = api.post("/rest/v3/short-urls",
                "{\"longUrl\": \"https://example.com/3\", \"title\": \"a \\ud83d\\ude00\", \"tags\": [\"\\ud83d\\ude00\"]}");
        assertThat(whole.status()).as("a whole pair is a character like any other").isEqualTo(200);
        assertThat(whole.body().get("title").asText()).isEqualTo("a \uD83D\uDE00");
        assertThat(app.service().store().size()).isEqualTo(2);
    }

    /** An empty longUrl is named as the API names it: the /add form's words ("the field 'url'") would mislead here. */
    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void anEmptyLongUrlIsRefusedInTheApisWords(String store) throws Exception {
        start(store);
        String code = api.create("{\"longUrl\": \"https://example.com/1\"}");
        for (Api.Answer answer : List.of(api.post("/rest/v3/short-urls", "{\"longUrl\": \"  \"}"),
                api.patch("/rest/v3/short-urls/" + code, "{\"longUrl\": \"\"}"),
                api.post("/rest/v3/short-urls/batch", "{\"shortUrls\": [{\"longUrl\": \"\"}]}"))) {
            String detail = answer.body().toString();
            assertThat(detail).contains("longUrl is empty").contains("\\\"longUrl\\\": \\\"https://").doesNotContain("field 'url'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void malformedBodiesAreClearFourHundreds(String store) throws Exception {
        start(store);
        for (String body : List.of("{\"longUrl\": ", "[1,2]", "\"text\"", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")) {
            Api.Answer answer = api.post("/rest/v3/short-urls", body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.type()).as(body).isEqualTo("https://shlink.io/api/error/malformed-request-body");
            assertThat(answer.body().get("title").asText()).isEqualTo("Malformed request body");
        }
        Api.Answer huge = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/" + "a".repeat(200_000) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aTakenSlugIsNonUniqueSlug(String store) throws Exception {
        start(store);
        api.create("{\"longUrl\": \"https://example.com/1\", \"customSlug\": \"taken\"}");
        Api.Answer answer = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/2\", \"customSlug\": \"taken\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/non-unique-slug");
        assertThat(answer.body().get("title").asText()).isEqualTo("Invalid custom slug");
        assertThat(answer.body().get("customSlug").asText()).isEqualTo("taken");
        Api.Answer found = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/1\", \"findIfExists\": true}");
        assertThat(found.body().get("shortCode").asText()).isEqualTo("taken");
    }

    /**
     * findIfExists searches what the key sees, as Shlink's {@code findOneMatching} applies the
     * key's spec: an admin key finds a link made by another key or by the public /add (no
     * author); an author key finds only its own, and a new link it makes is still its own.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void findIfExistsSearchesWhatTheKeySees(String store) throws Exception {
        start(store);
        String byAlice = api.as(TestApiKeys.ALICE).create("{\"longUrl\": \"https://example.com/alice\"}");
        String added = app.addKey("https://example.com/public");

        Api.Answer admin = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/alice\", \"findIfExists\": true}");
        assertThat(admin.body().get("shortCode").asText()).as("an admin key sees Alice's link").isEqualTo(byAlice);
        Api.Answer adminAdd = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/public\", \"findIfExists\": true}");
        assertThat(adminAdd.body().get("shortCode").asText()).as("an admin key sees /add's link").isEqualTo(added);

        Api.Answer bob = api.as(TestApiKeys.BOB).post("/rest/v3/short-urls",
                "{\"longUrl\": \"https://example.com/alice\", \"findIfExists\": true}");
        String bobs = bob.body().get("shortCode").asText();
        assertThat(bobs).as("an author key does not find another's link").isNotEqualTo(byAlice);
        assertThat(app.service().store().lookup(bobs).author()).isEqualTo("k-bob");
        assertThat(api.as(TestApiKeys.BOB).post("/rest/v3/short-urls",
                "{\"longUrl\": \"https://example.com/alice\", \"findIfExists\": true}").body().get("shortCode").asText())
                .as("an author key finds its own").isEqualTo(bobs);
        Api.Answer fresh = api.post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/new\", \"findIfExists\": true}");
        assertThat(app.service().store().lookup(fresh.body().get("shortCode").asText()).author())
                .as("a link an admin key makes is still its own").isEqualTo("k-admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void editChangesOnlyTheNamedFieldsAndNullClears(String store) throws Exception {
        start(store);
        api.create("""
                {"longUrl": "https://example.com/1", "customSlug": "e", "title": "T", "validUntil": "2999-01-01T00:00:00Z",
                 "tags": ["x"]}""");
        Api.Answer edited = api.patch("/rest/v3/short-urls/e", "{\"validUntil\": null, \"tags\": [\"y\", \"z\"], \"maxVisits\": 3}");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.body().get("title").asText()).isEqualTo("T");
        assertThat(edited.body().get("tags").toString()).isEqualTo("[\"y\",\"z\"]");
        assertThat(edited.body().get("meta").toString()).isEqualTo("{\"validSince\":null,\"validUntil\":null,\"maxVisits\":3}");
        Api.Answer longUrl = api.patch("/rest/v3/short-urls/e", "{\"longUrl\": \"https://example.org/new\", \"title\": null}");
        assertThat(longUrl.body().get("longUrl").asText()).isEqualTo("https://example.org/new");
        assertThat(longUrl.body().get("title").isNull()).isTrue();
        assertThat(api.patch("/rest/v3/short-urls/e", "{\"longUrl\": \"ftp://x\"}").body().get("invalidElements").toString())
                .isEqualTo("[\"longUrl\"]");
        Api.Answer missing = api.patch("/rest/v3/short-urls/nope", "{\"title\": \"x\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void deleteAnswersNoContentThenNotFound(String store) throws Exception {
        start(store);
        api.create("{\"longUrl\": \"https://example.com/1\", \"customSlug\": \"gone\"}");
        Api.Answer deleted = api.delete("/rest/v3/short-urls/gone");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isNull();
        Api.Answer again = api.get("/rest/v3/short-urls/gone");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body().get("title").asText()).isEqualTo("Short URL not found");
        assertThat(again.body().get("shortCode").asText()).isEqualTo("gone");
        assertThat(again.body().get("detail").asText()).isEqualTo("No URL found with short code \"gone\"");
        assertThat(api.delete("/rest/v3/short-urls/gone").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void listPagesNewestFirstWithShlinksPagination(String store) throws Exception {
        start(store);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            codes.add(api.create("{\"longUrl\": \"https://example.com/" + i + "\"" + (i % 5 == 0 ? ", \"tags\": [\"fifth\"]" : "")
                    + (i == 7 ? ", \"title\": \"Lucky Seven\"" : "") + "}"));
        }
        JsonNode first = api.get("/rest/v3/short-urls").body().get("shortUrls");
        assertThat(first.get("data")).extracting(n -> n.get("shortCode").asText()).containsExactlyElementsOf(codes.reversed().subList(0, 10));
        assertThat(first.get("pagination").toString()).isEqualTo(
                "{\"currentPage\":1,\"pagesCount\":3,\"itemsPerPage\":10,\"itemsInCurrentPage\":10,\"totalItems\":25}");
        JsonNode third = api.get("/rest/v3/short-urls?page=3").body().get("shortUrls");
        assertThat(third.get("data")).hasSize(5);
        assertThat(third.get("pagination").get("itemsInCurrentPage").asInt()).isEqualTo(5);
        assertThat(api.get("/rest/v3/short-urls?itemsPerPage=-1").body().get("shortUrls").get("data")).hasSize(25);
        assertThat(api.get("/rest/v3/short-urls?searchTerm=lucky").body().get("shortUrls").get("data"))
                .extracting(n -> n.get("shortCode").asText()).containsExactly(codes.get(7));
        assertThat(api.get("/rest/v3/short-urls?tags%5B%5D=fifth&itemsPerPage=2").body().get("shortUrls").get("pagination")
                .get("totalItems").asInt()).isEqualTo(5);
        assertThat(api.get("/rest/v3/short-urls?excludeTags%5B%5D=fifth").body().get("shortUrls").get("pagination")
                .get("totalItems").asInt()).isEqualTo(20);
        assertThat(api.get("/rest/v3/short-urls?orderBy=dateCreated-ASC&itemsPerPage=1").body().get("shortUrls").get("data")
                .get(0).get("shortCode").asText()).isEqualTo(codes.getFirst());
        assertThat(api.get("/rest/v3/short-urls?orderBy=shortCode-DESC&itemsPerPage=1").body().get("shortUrls").get("data")
                .get(0).get("shortCode").asText()).isEqualTo("y");
    }

    /**
     * Shlink's PHP SDK sends arrays with PHP's http_build_query, numbered: tags[0]=a&tags[1]=b
     * (percent-encoded brackets). Read as no filter, a tag filter listed every link, and a
     * delete of tags answered 204 having deleted nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file"})
    void numberedArraysAsPhpSendsThemFilterAndDeleteTags(String store) throws Exception {
        start(store);
        api.create("{\"longUrl\": \"https://example.com/1\", \"tags\": [\"red\", \"blue\"]}");
        api.create("{\"longUrl\": \"https://example.com/2\", \"tags\": [\"blue\"]}");
        api.create("{\"longUrl\": \"https://example.com/3\", \"tags\": [\"green\"]}");
        assertThat(api.get("/rest/v2/short-urls?tags%5B0%5D=red&itemsPerPage=20&page=1").body().get("shortUrls").get("data"))
                .extracting(n -> n.get("longUrl").asText()).containsExactly("https://example.com/1");
        assertThat(api.get("/rest/v2/short-urls?tags%5B0%5D=red&tags%5B1%5D=green").body().get("shortUrls").get("data"))
                .extracting(n -> n.get("longUrl").asText()).containsExactlyInAnyOrder("https://example.com/1", "https://example.com/3");
        assertThat(api.get("/rest/v3/short-urls?excludeTags%5B0%5D=blue").body().get("shortUrls").get("data"))
                .extracting(n -> n.get("longUrl").asText()).containsExactly("https://example.com/3");

        assertThat(api.delete("/rest/v2/tags?tags%5B0%5D=blue&tags%5B1%5D=green").status()).isEqualTo(204);
        assertThat(api.get("/rest/v3/tags").body().get("tags").get("data").toString()).isEqualTo("[\"red\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void badListParametersAreNamed(String store) throws Exception {
        start(store);
        for (String[] bad : List.of(new String[] {"orderBy=color-ASC", "orderBy"}, new String[] {"itemsPerPage=100000", "itemsPerPage"},
                new String[] {"page=0", "page"}, new String[] {"page=x", "page"}, new String[] {"startDate=yesterday", "startDate"},
                new String[] {"tagsMode=some", "tagsMode"}, new String[] {"excludePastValidUntil=maybe", "excludePastValidUntil"})) {
            Api.Answer answer = api.get("/rest/v3/short-urls?" + bad[0]);
            assertThat(answer.status()).as(bad[0]).isEqualTo(400);
            assertThat(answer.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(answer.body().get("invalidElements").toString()).as(bad[0]).isEqualTo("[\"" + bad[1] + "\"]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void aQueryThatIsNotUrlEncodingIsInvalidDataNotAServerError(String store) throws Exception {
        start(store);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.service().appPort())) {
            String response = gotourl.RawHttp.exchange(socket, "GET /rest/v3/short-urls?searchTerm=%zz HTTP/1.1\r\nHost: goto.test\r\n"
                    + "X-Api-Key: " + TestApiKeys.ADMIN + "\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("https://shlink.io/api/error/invalid-data").contains("\"invalidElements\":[\"query\"]");
        }
    }

    /**
     * {@code searchTerm} for a long URL given in Unicode: goto stores {@code https://bücher.de/café?q=ü}
     * as {@code https://xn--bcher-kva.de/caf%C3%A9?q=%C3%BC}, and a term typed as the URL reads
     * ({@code bücher}, {@code café}, {@code ü}) found nothing where Shlink, which stores the URL as
     * given, finds it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aUnicodeUrlIsFoundAsTypedAndAsStored(String store) throws Exception {
        start(store);
        // Shlink's defaults: kept in the index's bytes, searched without building the link.
        String plain = api.create("{\"longUrl\": \"https://bücher.de/café?q=ü\"}");
        // A title: searched as a whole link.
        String rich = api.create("{\"longUrl\": \"https://faß.example/straße\", \"title\": \"Rich\"}");
        String ascii = api.create("{\"longUrl\": \"https://example.com/docs\"}");
        assertThat(api.get("/rest/v3/short-urls/" + plain).body().get("longUrl").asText())
                .as("what goto answers: the stored form").isEqualTo("https://xn--bcher-kva.de/caf%C3%A9?q=%C3%BC");

        for (String term : List.of("bücher", "Bücher", "xn--bcher", "café", "caf%C3%A9", "caf%c3%a9", "ü", "cher.de/café")) {
            assertThat(found(term)).as(term).containsExactly(plain);
        }
        for (String term : List.of("faß", "straße", "STRAßE", "xn--fa-hia")) {
            assertThat(found(term)).as(term).containsExactly(rich);
        }
        assertThat(found("docs")).containsExactly(ascii);
        assertThat(found("example")).containsExactlyInAnyOrder(rich, ascii);
        assertThat(found("https://")).containsExactlyInAnyOrder(plain, rich, ascii);
        // Decoding makes no match of its own: a lone % is found only where the stored URL has one.
        assertThat(found("%")).containsExactlyInAnyOrder(plain, rich);
        assertThat(found("%2")).isEmpty();
        assertThat(found("%C")).containsExactlyInAnyOrder(plain, rich);
        assertThat(found("\uFFFD")).isEmpty();
        assertThat(found("nowhere")).isEmpty();
    }

    /**
     * {@code searchTerm} typed decomposed (NFD: {@code bu\u0308cher}, a u and a combining
     * diaeresis, as some keyboards and macOS file names give it) found nothing, though goto
     * stores {@code https://bu\u0308cher.de/} as {@code https://xn--bcher-kva.de/} (IDNA composes
     * it), and an NFD {@code café} found {@code cafe%CC%81} alone, not {@code caf%C3%A9}; a term
     * mixing stored and shown forms ({@code xn--bcher-kva.de/café}) found nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aTermIsComparedComposed(String store) throws Exception {
        start(store);
        String host = api.create("{\"longUrl\": \"https://bu\u0308cher.de/nfd\"}");
        assertThat(api.get("/rest/v3/short-urls/" + host).body().get("longUrl").asText()).isEqualTo("https://xn--bcher-kva.de/nfd");
        String composed = api.create("{\"longUrl\": \"https://example.com/café\"}");
        String decomposed = api.create("{\"longUrl\": \"https://example.com/cafe\u0301\"}");
        assertThat(api.get("/rest/v3/short-urls/" + decomposed).body().get("longUrl").asText())
                .isEqualTo("https://example.com/cafe%CC%81");
        String titled = api.create("{\"longUrl\": \"https://example.net/\", \"title\": \"Cafe\u0301 de Flore\"}");
        for (String term : List.of("bu\u0308cher", "bücher", "bu\u0308cher.de/nfd", "xn--bcher-kva.de/nfd")) {
            assertThat(found(term)).as(term).containsExactly(host);
        }
        for (String term : List.of("cafe\u0301", "café", "CAFE\u0301")) {
            assertThat(found(term)).as(term).containsExactlyInAnyOrder(composed, decomposed, titled);
        }
        assertThat(found("caf%C3%A9")).containsExactly(composed);
        assertThat(found("xn--bcher-kva.de/nfd")).containsExactly(host);
        String mixed = api.create("{\"longUrl\": \"https://bücher.de/café\"}");
        for (String term : List.of("xn--bcher-kva.de/café", "bücher.de/caf%C3%A9", "xn--bcher-kva.de/cafe\u0301")) {
            assertThat(found(term)).as(term).containsExactly(mixed);
        }
    }

    /** The short codes the list answers {@code term} with, every page at once. */
    private List<String> found(String term) throws Exception {
        Api.Answer answer = api.get("/rest/v3/short-urls?itemsPerPage=-1&searchTerm=" + URLEncoder.encode(term, StandardCharsets.UTF_8));
        assertThat(answer.status()).as(term).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        for (JsonNode link : answer.body().get("shortUrls").get("data")) {
            codes.add(link.get("shortCode").asText());
        }
        return codes;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
