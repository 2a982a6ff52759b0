package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protected links end to end, over a real socket and a real data file: created with a password
 * through the REST API, the visitor's password page (which never shows the long URL), wrong and
 * right passwords, the rate limit, a restart, removal by PATCH, and the visit counted once.
 */
class ProtectedLinksOverHttpTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String TARGET = "https://example.com/the-secret-target?q=1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private RunningGoto app;
    private Api api;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private void start() throws Exception {
        app = RunningGoto.start(RunningGoto.config(file()), StoreOpeners.logStore(o -> o), TestApiKeys.options());
        api = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private Api.Answer createLocked(String slug, String extra) throws Exception {
        Api.Answer created = api.post("/rest/v3/short-urls", "{\"longUrl\": \"" + TARGET + "\", \"customSlug\": \"" + slug
                + "\", \"password\": \"" + PASSWORD + "\"" + extra + "}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        return created;
    }

    private HttpResponse<String> unlock(String pathAndQuery, String password) throws Exception {
        return app.postForm(pathAndQuery, "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theVisitorGetsAPasswordPageNotTheUrl_aWrongPasswordIsRefused_theRightOneRedirectsAndCountsOneVisit() throws Exception {
        start();
        Api.Answer created = createLocked("locked", "");
        assertThat(created.body().get("passwordProtected").asBoolean()).isTrue();
        assertThat(created.body().has("password")).as("the password is write-only").isFalse();
        assertThat(created.raw().body()).doesNotContain(PASSWORD).doesNotContain("argon2");
        assertThat(api.get("/rest/v3/short-urls/locked").body().get("passwordProtected").asBoolean()).isTrue();

        HttpResponse<String> page = app.get("/locked");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).doesNotContain("the-secret-target").doesNotContain("example.com")
                .contains("<label for=\"password\">Password</label>").contains("name=\"password\"").contains("type=\"submit\"");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
                .doesNotContain("script-src");
        assertThat(page.body()).doesNotContain("<script");

        HttpResponse<String> head = send("HEAD", "/locked");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Location")).as("HEAD reveals nothing either").isEmpty();

        HttpResponse<String> wrong = unlock("/locked", "not the password");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Location")).isEmpty();
        assertThat(wrong.body()).contains("Wrong password").doesNotContain("the-secret-target");

        HttpResponse<String> right = unlock("/locked", PASSWORD);
        assertThat(right.statusCode()).as("See Other: the browser follows with a GET, never re-posting the password").isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue(TARGET);
        assertThat(right.headers().firstValue("Cache-Control")).hasValue("no-store");

        await("the unlocked visit is recorded", () -> app.service().tracker().store().summary("locked").total() >= 1);
        Thread.sleep(200);
        assertThat(app.service().tracker().store().summary("locked").total())
                .as("one visit: the unlock, not the page views, the HEAD or the wrong password").isEqualTo(1);
    }

    @Test
    void aLimitedProtectedLinkCountsEachUnlockAsAVisitAndNothingElse_andNostatIsNotTrackedOrForwarded() throws Exception {
        start();
        createLocked("twice", ", \"maxVisits\": 2");
        for (int i = 0; i < 3; i++) {
            assertThat(app.get("/twice").statusCode()).isEqualTo(200);
        }
        assertThat(unlock("/twice", "a wrong password").statusCode()).isEqualTo(403);
        HttpResponse<String> first = unlock("/twice?nostat", PASSWORD);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).as("?nostat is not forwarded").hasValue(TARGET);
        assertThat(unlock("/twice?x=2", PASSWORD).headers().firstValue("Location")).hasValue(TARGET + "&x=2");
        assertThat(unlock("/twice", PASSWORD).statusCode()).as("two visits allowed, two used").isEqualTo(404);
        assertThat(app.get("/twice").statusCode()).isEqualTo(404);
        await("the tracked visit is recorded", () -> app.service().tracker().store().summary("twice").total() >= 1);
        Thread.sleep(200);
        assertThat(app.service().tracker().store().summary("twice").total()).as("the ?nostat unlock is not tracked").isEqualTo(1);
    }

    @Test
    void triesAreRateLimitedPerClient_with429AndRetryAfter_evenForTheRightPassword() throws Exception {
        start();
        createLocked("guess-me", "");
        for (int i = 0; i < gotourl.protect.UnlockLimits.DEFAULT_CLIENT_TRIES; i++) {
            assertThat(unlock("/guess-me", "guess number " + i).statusCode()).isEqualTo(403);
        }
        HttpResponse<String> limited = unlock("/guess-me", PASSWORD);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
        assertThat(limited.headers().firstValue("Location")).isEmpty();
        assertThat(limited.body()).contains("Too many tries").doesNotContain("the-secret-target");
    }

    @Test
    void aPostFromAnotherSiteIsRefusedEvenWithTheRightPassword() throws Exception {
        start();
        createLocked("csrf", "");
        HttpResponse<String> forged = app.send(HttpRequest.newBuilder(app.uri("/csrf"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))).build());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("Location")).isEmpty();
        assertThat(forged.body()).contains("another site");
        HttpResponse<String> sameOrigin = app.send(HttpRequest.newBuilder(app.uri("/csrf"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://" + app.uri("/").getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString("password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))).build());
        assertThat(sameOrigin.statusCode()).isEqualTo(303);
    }

    /**
     * goto behind a TLS proxy that sends its own {@code Host} on (nginx's {@code proxy_pass} sends
     * the upstream's address by default): the browser's post from the link's own page names
     * {@code -host}'s origin, or says {@code Sec-Fetch-Site: same-origin}, and is goto's own.
     */
    @Test
    void aBrowsersOwnPostThroughAProxyThatRewritesHostIsChecked_anotherSitesStillIsNot() throws Exception {
        app = RunningGoto.start(RunningGoto.config(file()).withHost(gotourl.ShortUrlBase.parse("https://go.example.com")),
                StoreOpeners.logStore(o -> o), TestApiKeys.options());
        api = new Api(app, TestApiKeys.ADMIN);
        createLocked("proxied", "");
        String upstream = app.uri("/").getAuthority(); // what the proxy writes as Host

        String fromItsPage = rawPost("/proxied", upstream, "Origin: https://go.example.com\r\n");
        assertThat(fromItsPage).startsWith("HTTP/1.1 303 ").contains("Location: " + TARGET).doesNotContain("another site");
        String browserVouches = rawPost("/proxied", upstream, "Origin: https://go.example.org\r\nSec-Fetch-Site: same-origin\r\n");
        assertThat(browserVouches).startsWith("HTTP/1.1 303 ");

        String forged = rawPost("/proxied", upstream, "Origin: https://evil.example\r\n");
        assertThat(forged).startsWith("HTTP/1.1 403 ").contains("another site (https://evil.example)").doesNotContain("Location:");
        String forgedSameSite = rawPost("/proxied", upstream, "Origin: https://go.example.com\r\nSec-Fetch-Site: same-site\r\n");
        assertThat(forgedSameSite).startsWith("HTTP/1.1 403 ").doesNotContain("Location:");
        String otherScheme = rawPost("/proxied", upstream, "Origin: http://go.example.com\r\n");
        assertThat(otherScheme).startsWith("HTTP/1.1 403 ");
    }

    /** A form post of the right password over a plain socket, with {@code Host: host} and {@code headers}; the whole answer. */
    private String rawPost(String path, String host, String headers) throws Exception {
        String body = "password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        java.net.URI uri = app.uri(path);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDataFileHoldsTheHashNeverThePassword_andARestartKeepsIt() throws Exception {
        start();
        createLocked("kept", "");
        app.close();
        String data = Files.readString(file(), StandardCharsets.ISO_8859_1);
        assertThat(data).doesNotContain(PASSWORD).contains("$argon2id$v=19$m=19456,t=2,p=1$");

        start();
        assertThat(app.get("/kept").body()).doesNotContain("the-secret-target").contains("name=\"password\"");
        assertThat(unlock("/kept", "wrong password!").statusCode()).isEqualTo(403);
        assertThat(unlock("/kept", PASSWORD).headers().firstValue("Location")).hasValue(TARGET);
    }

    @Test
    void patchChangesThePasswordAndNullRemovesIt_soTheLinkRedirectsAgain() throws Exception {
        start();
        createLocked("patched", "");
        Api.Answer changed = api.patch("/rest/v3/short-urls/patched", "{\"password\": \"another password\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("passwordProtected").asBoolean()).isTrue();
        assertThat(unlock("/patched", PASSWORD).statusCode()).as("the old password no longer opens it").isEqualTo(403);
        assertThat(unlock("/patched", "another password").statusCode()).isEqualTo(303);

        Api.Answer titled = api.patch("/rest/v3/short-urls/patched", "{\"title\": \"still locked\"}");
        assertThat(titled.body().get("passwordProtected").asBoolean()).as("a PATCH without password keeps it").isTrue();

        Api.Answer removed = api.patch("/rest/v3/short-urls/patched", "{\"password\": null}");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().get("passwordProtected").asBoolean()).isFalse();
        HttpResponse<String> redirect = app.get("/patched");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue(TARGET);
        assertThat(unlock("/patched", PASSWORD).statusCode()).as("a plain link takes no form").isEqualTo(405);
    }

    @Test
    void aShortOrNonStringPasswordIsInvalidDataNamingPassword_onCreatePatchAndBatch() throws Exception {
        start();
        Api.Answer shortOne = api.post("/rest/v3/short-urls", "{\"longUrl\": \"" + TARGET + "\", \"password\": \"seven77\"}");
        assertThat(shortOne.status()).isEqualTo(400);
        assertThat(shortOne.type()).endsWith("invalid-data");
        assertThat(shortOne.body().get("invalidElements").toString()).isEqualTo("[\"password\"]");
        assertThat(shortOne.body().get("detail").asText()).contains("at least 8").doesNotContain("seven77");
        assertThat(app.service().store().size()).as("nothing stored").isZero();

        createLocked("edit-me", "");
        Api.Answer badPatch = api.patch("/rest/v3/short-urls/edit-me", "{\"password\": 12345678}");
        assertThat(badPatch.status()).isEqualTo(400);
        assertThat(badPatch.body().get("invalidElements").toString()).isEqualTo("[\"password\"]");

        Api.Answer batch = api.post("/rest/v3/short-urls/batch", "{\"shortUrls\": [{\"longUrl\": \"https://example.com/a\","
                + " \"password\": \"short\"}, {\"longUrl\": \"https://example.com/b\", \"customSlug\": \"b-locked\", \"password\": \""
                + PASSWORD + "\"}, {\"longUrl\": \"https://example.com/c\"}]}");
        assertThat(batch.status()).isEqualTo(200);
        JsonNode results = batch.body().get("results");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(0).get("error").get("invalidElements").toString()).isEqualTo("[\"password\"]");
        assertThat(results.get(1).get("shortUrl").get("passwordProtected").asBoolean()).isTrue();
        assertThat(results.get(2).get("shortUrl").get("passwordProtected").asBoolean()).isFalse();
        assertThat(batch.raw().body()).doesNotContain(PASSWORD);
        assertThat(app.get("/b-locked").body()).contains("name=\"password\"").doesNotContain("example.com/b");
        assertThat(unlock("/b-locked", PASSWORD).headers().firstValue("Location")).hasValue("https://example.com/b");
    }
}
