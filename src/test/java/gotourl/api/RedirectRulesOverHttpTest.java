package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import gotourl.link.RedirectRules;
import gotourl.store.MemoryLinkStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shlink 4's redirect rules over a real socket: set by {@code POST .../redirect-rules}, read back
 * by the GET and the short URL's {@code hasRedirectRules}, followed by the redirect (device,
 * language, query parameter, client address; the link's own URL when none matches), recorded in
 * the visit as the URL redirected to, and kept across a restart of the file store. Refusals are
 * Shlink's problems, with nothing stored.
 */
class RedirectRulesOverHttpTest {
    static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Mobile Safari/537.36";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/17.5 Mobile/15E148 Safari/604.1";
    static final String DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String RULES = "/rest/v3/short-urls/myapp/redirect-rules";
    private static final String SET = """
            {"redirectRules": [
              {"longUrl": "https://play.example/app", "conditions": [{"type": "device", "matchKey": null, "matchValue": "android"}]},
              {"longUrl": "https://apps.example/app", "conditions": [{"type": "device", "matchValue": "ios"}]},
              {"longUrl": "https://example.com/fr", "conditions": [{"type": "language", "matchValue": "fr"}]},
              {"longUrl": "https://example.com/spring", "conditions": [{"type": "query-param", "matchKey": "campaign", "matchValue": "spring"}]}
            ]}""";

    @TempDir
    Path dir;
    private RunningGoto app;
    private Api admin;

    private void start(String store) throws Exception {
        app = store.equals("file")
                ? RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options())
                : RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        admin = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The Location a GET of {@code path} is redirected to, with these headers (name, value, ...); fails unless a redirect. */
    private String location(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> answer = app.send(request.build());
        assertThat(answer.statusCode()).as(path).isEqualTo(302);
        return answer.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void postedRulesReadBackAndEveryKindOfConditionSendsToItsRuleElseTheLinksOwnUrl() throws Exception {
        start("file");
        admin.create("{\"longUrl\": \"https://example.com/app\", \"customSlug\": \"myapp\"}");
        assertThat(admin.get("/rest/v3/short-urls/myapp").body().get("hasRedirectRules").asBoolean()).isFalse();

        Api.Answer set = admin.post(RULES, SET);
        assertThat(set.status()).as(String.valueOf(set.body())).isEqualTo(200);
        assertThat(set.body().get("defaultLongUrl").asText()).isEqualTo("https://example.com/app");
        JsonNode rules = set.body().get("redirectRules");
        assertThat(rules).hasSize(4);
        assertThat(rules.get(0).toString()).isEqualTo("{\"longUrl\":\"https://play.example/app\",\"priority\":1,"
                + "\"conditions\":[{\"type\":\"device\",\"matchKey\":null,\"matchValue\":\"android\"}]}");
        assertThat(rules.get(3).get("priority").asInt()).isEqualTo(4);
        assertThat(rules.get(3).get("conditions").get(0).get("matchKey").asText()).isEqualTo("campaign");
        assertThat(admin.get(RULES).body()).as("the GET answers what the POST did").isEqualTo(set.body());
        assertThat(admin.get("/rest/v3/short-urls/myapp").body().get("hasRedirectRules").asBoolean()).isTrue();
        assertThat(app.service().store().redirectIndex().plainEntry("myapp")).isZero();

        assertThat(location("/myapp", "User-Agent", ANDROID)).isEqualTo("https://play.example/app");
        assertThat(location("/myapp", "User-Agent", IPHONE)).isEqualTo("https://apps.example/app");
        assertThat(location("/myapp", "User-Agent", DESKTOP, "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5"))
                .isEqualTo("https://example.com/fr");
        assertThat(location("/myapp", "User-Agent", DESKTOP, "Accept-Language", "de-DE,fr;q=0.5"))
                .as("a language below 0.9 is no match, as in Shlink").isEqualTo("https://example.com/app");
        assertThat(location("/myapp?campaign=spring", "User-Agent", DESKTOP))
                .as("the query is forwarded to the rule's URL as to the link's").isEqualTo("https://example.com/spring?campaign=spring");
        assertThat(location("/myapp?campaign=autumn", "User-Agent", DESKTOP)).isEqualTo("https://example.com/app?campaign=autumn");
        assertThat(location("/myapp", "User-Agent", DESKTOP)).isEqualTo("https://example.com/app");

        // The address: the test's client connects from 127.0.0.1. A new list replaces the old one whole.
        assertThat(admin.post(RULES, """
                {"redirectRules": [
                  {"longUrl": "https://example.com/elsewhere", "conditions": [{"type": "ip-address", "matchValue": "10.0.0.0/8"}]},
                  {"longUrl": "https://example.com/office", "conditions": [{"type": "ip-address", "matchValue": "127.0.*.*"}]}
                ]}""").status()).isEqualTo(200);
        assertThat(location("/myapp", "User-Agent", ANDROID)).isEqualTo("https://example.com/office");

        VisitsApiTest.awaitRecorded(app, 8);
        List<String> redirected = new ArrayList<>();
        admin.get("/rest/v3/short-urls/myapp/visits?itemsPerPage=50").body().get("visits").get("data")
                .forEach(visit -> redirected.add(visit.get("redirectUrl").asText()));
        assertThat(redirected).as("each visit holds where it was sent").containsExactlyInAnyOrder("https://play.example/app",
                "https://apps.example/app", "https://example.com/fr", "https://example.com/app",
                "https://example.com/spring?campaign=spring", "https://example.com/app?campaign=autumn", "https://example.com/app",
                "https://example.com/office");
    }

    @Test
    void aDeviceIsThePlatformShlinksParserReadsNotAWordAnywhereInTheAgent() throws Exception {
        start("memory");
        admin.create("{\"longUrl\": \"https://example.com/app\", \"customSlug\": \"myapp\"}");
        assertThat(admin.post(RULES, """
                {"redirectRules": [
                  {"longUrl": "https://example.com/chromeos", "conditions": [{"type": "device", "matchValue": "chromeos"}]},
                  {"longUrl": "https://example.com/ios", "conditions": [{"type": "device", "matchValue": "ios"}]},
                  {"longUrl": "https://example.com/android", "conditions": [{"type": "device", "matchValue": "android"}]},
                  {"longUrl": "https://example.com/windows", "conditions": [{"type": "device", "matchValue": "windows"}]},
                  {"longUrl": "https://example.com/macos", "conditions": [{"type": "device", "matchValue": "macos"}]},
                  {"longUrl": "https://example.com/linux", "conditions": [{"type": "device", "matchValue": "linux"}]}
                ]}""").status()).isEqualTo(200);
        // "Microsoft" holds "cros": PowerShell's and Outlook's agents are Windows and macOS to Shlink's parser.
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US)"
                + " PowerShell/7.4.6")).isEqualTo("https://example.com/windows");
        assertThat(location("/myapp", "User-Agent", "Microsoft Office/16.0 (Macintosh; Mac OS X 14.5; Microsoft Outlook 16.86)"))
                .isEqualTo("https://example.com/macos");
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/120.0"))
                .isEqualTo("https://example.com/chromeos");
        // Platforms Shlink maps to no device: an iPod, an Xbox, a Windows Phone that also says Android, Tizen.
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X) Mobile/15E148"))
                .isEqualTo("https://example.com/app");
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) Edge/44.18363"))
                .isEqualTo("https://example.com/app");
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950)"
                + " Mobile Safari/537.36 Edge/15.15063")).isEqualTo("https://example.com/app");
        assertThat(location("/myapp", "User-Agent", "Mozilla/5.0 (Linux; Tizen 2.3) AppleWebKit/538.1 Version/2.3 TV Safari/538.1"))
                .isEqualTo("https://example.com/app");
        // Only the first parenthesis names the platform; an Android app's agent with none says it after a slash.
        assertThat(location("/myapp", "User-Agent", "MyApp/1.0 (Linux; Android 14) Windows/compat")).isEqualTo("https://example.com/android");
        assertThat(location("/myapp", "User-Agent", "okhttp/4.12 Android/14")).isEqualTo("https://example.com/android");
    }

    @Test
    void theRulesSurviveARestartAnEditKeepsThemAndAnEmptyListRemovesThem() throws Exception {
        start("file");
        admin.create("{\"longUrl\": \"https://example.com/app\", \"customSlug\": \"myapp\"}");
        JsonNode set = admin.post(RULES, SET).body();
        app.close();
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options());
        admin = new Api(app, TestApiKeys.ADMIN);
        assertThat(admin.get(RULES).body()).isEqualTo(set);
        assertThat(location("/myapp", "User-Agent", ANDROID)).isEqualTo("https://play.example/app");

        assertThat(admin.patch("/rest/v3/short-urls/myapp", "{\"longUrl\": \"https://example.com/app-v2\"}").status()).isEqualTo(200);
        assertThat(admin.get(RULES).body().get("redirectRules")).isEqualTo(set.get("redirectRules"));
        assertThat(location("/myapp", "User-Agent", DESKTOP)).isEqualTo("https://example.com/app-v2");
        assertThat(location("/myapp", "User-Agent", IPHONE)).isEqualTo("https://apps.example/app");

        Api.Answer removed = admin.post(RULES, "{\"redirectRules\": []}");
        assertThat(removed.body().toString()).isEqualTo("{\"defaultLongUrl\":\"https://example.com/app-v2\",\"redirectRules\":[]}");
        assertThat(admin.get("/rest/v3/short-urls/myapp").body().get("hasRedirectRules").asBoolean()).isFalse();
        assertThat(location("/myapp", "User-Agent", ANDROID)).isEqualTo("https://example.com/app-v2");
    }

    @Test
    void aLimitedLinkCountsItsRuledVisitsAndAHeadAnswersTheRulesLocation() throws Exception {
        start("file");
        admin.create("{\"longUrl\": \"https://example.com/limited\", \"customSlug\": \"limited\", \"maxVisits\": 2}");
        assertThat(admin.post("/rest/v3/short-urls/limited/redirect-rules", SET).status()).isEqualTo(200);
        HttpResponse<String> head = app.send(HttpRequest.newBuilder(app.uri("/limited")).HEAD().header("User-Agent", IPHONE).build());
        assertThat(head.headers().firstValue("Location")).contains("https://apps.example/app");
        assertThat(location("/limited", "User-Agent", ANDROID)).isEqualTo("https://play.example/app");
        assertThat(location("/limited", "User-Agent", DESKTOP)).isEqualTo("https://example.com/limited");
        assertThat(app.get("/limited").statusCode()).as("two visits counted, rules or not").isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void refusalsAreShlinksProblemsAndStoreNothing(String store) throws Exception {
        start(store);
        admin.create("{\"longUrl\": \"https://example.com/app\", \"customSlug\": \"myapp\"}");
        admin.post(RULES, SET);
        JsonNode before = admin.get(RULES).body();

        Api.Answer badType = admin.post(RULES, "{\"redirectRules\": [{\"longUrl\": \"https://example.com/x\","
                + " \"conditions\": [{\"type\": \"weather\", \"matchValue\": \"rain\"}]}]}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.header("Content-Type")).startsWith("application/problem+json");
        assertThat(badType.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
        assertThat(badType.body().get("invalidElements").toString()).isEqualTo("[\"redirectRules\"]");
        assertThat(badType.body().get("detail").asText()).contains("rule 1, condition 1").contains("weather");

        Api.Answer badUrl = admin.post(RULES, "{\"redirectRules\": [{\"longUrl\": \"javascript:alert(1)\","
                + " \"conditions\": [{\"type\": \"device\", \"matchValue\": \"ios\"}]}]}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.type()).isEqualTo("https://shlink.io/api/error/invalid-data");

        Api.Answer geo = admin.post(RULES, "{\"redirectRules\": [{\"longUrl\": \"https://example.com/x\","
                + " \"conditions\": [{\"type\": \"geolocation-country-code\", \"matchValue\": \"FR\"}]}]}");
        assertThat(geo.status()).isEqualTo(400);
        assertThat(geo.body().get("detail").asText()).contains("GeoLite2");

        Api.Answer unknown = admin.post("/rest/v3/short-urls/nope/redirect-rules", SET);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
        Api.Answer otherDomain = admin.post(RULES + "?domain=elsewhere.test", "{\"redirectRules\": []}");
        assertThat(otherDomain.status()).as("goto's link is not another domain's").isEqualTo(404);

        assertThat(admin.get(RULES).body()).as("nothing changed").isEqualTo(before);
        assertThat(app.service().store().lookup("myapp").redirectRules().rules()).hasSize(4);
        assertThat(app.service().store().lookup("nope")).isNull();
        assertThat(admin.post(RULES + "?domain=DEFAULT", "{\"redirectRules\": []}").status()).isEqualTo(200);
        assertThat(app.service().store().lookup("myapp").redirectRules()).isEqualTo(RedirectRules.NONE);
    }

    @Test
    void anAuthorKeySetsRulesOnItsOwnLinksOnly() throws Exception {
        start("file");
        Api alice = admin.as(TestApiKeys.ALICE);
        Api bob = admin.as(TestApiKeys.BOB);
        alice.create("{\"longUrl\": \"https://example.com/a\", \"customSlug\": \"alices\"}");
        Api.Answer refused = bob.post("/rest/v3/short-urls/alices/redirect-rules", SET);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.type()).isEqualTo("https://shlink.io/api/error/short-url-not-found");
        assertThat(bob.get("/rest/v3/short-urls/alices/redirect-rules").status()).isEqualTo(404);
        assertThat(app.service().store().lookup("alices").redirectRules()).isEqualTo(RedirectRules.NONE);

        assertThat(alice.post("/rest/v3/short-urls/alices/redirect-rules", SET).status()).isEqualTo(200);
        assertThat(app.service().store().lookup("alices").redirectRules().rules()).hasSize(4);
        assertThat(admin.post("/rest/v3/short-urls/alices/redirect-rules", "{\"redirectRules\": []}").status())
                .as("an admin key may change any link's").isEqualTo(200);
        assertThat(app.service().store().lookup("alices").author()).as("the author stays").isEqualTo("k-alice");
    }
}
