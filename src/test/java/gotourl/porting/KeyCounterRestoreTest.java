package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.RunningGoto;
import gotourl.store.log.LogLinkStore;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export carries its file's key counter ({@link ExportEnd}), and a restore never hands out
 * again a key that was handed out before the export, its link deleted since: a short URL printed
 * or shared for a deleted link must never lead to an unrelated new one.
 */
class KeyCounterRestoreTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(Map.of(), args);
    }

    /** Keys 'a'..'e' handed out by a running goto through /add, the newest two deleted through the REST API, then stopped. */
    private Path servedFileWithTheNewestKeysDeleted() throws Exception {
        Path source = dir.resolve("source.data");
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(source),
                gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
            for (String key : List.of("a", "b", "c", "d", "e")) {
                assertThat(app.addKey("https://example.com/" + key)).isEqualTo(key);
            }
            for (String key : List.of("d", "e")) {
                HttpRequest delete = HttpRequest.newBuilder(app.uri("/rest/v3/short-urls/" + key))
                        .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).DELETE().build();
                assertThat(app.send(delete).statusCode()).isEqualTo(204);
            }
            assertThat(app.shutdown()).isTrue();
        }
        return source;
    }

    private Path export(Path data, String name) {
        Path export = dir.resolve(name);
        CliRun exported = run("export", "-file=" + data, "-o", export.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        return export;
    }

    private static String nextAdd(Path data) throws Exception {
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            return store.add("https://example.com/new").join();
        }
    }

    @Test
    void aRestoreIntoAnEmptyFileNeverHandsOutAKeyDeletedBeforeTheExport() throws Exception {
        Path source = servedFileWithTheNewestKeysDeleted();
        CliRun compacted = run("compact", "-file=" + source);
        assertThat(compacted.exitCode()).as("compaction keeps the counter too: " + compacted.err()).isZero();
        Path export = export(source, "links.jsonl");
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.getLast()).isEqualTo("{\"gotoExport\":{\"version\":1,\"nextKey\":\"f\",\"links\":3}}");

        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, export.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.err()).doesNotContain("end-of-export record");
        assertThat(imported.out()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid")
                .endsWith("; key counter moved from 'd' to 'f': 2 keys past the highest imported key\n");
        assertThat(run("export", "-file=" + restored).out()).as("the copy exports as the source did")
                .isEqualTo(Files.readString(export, StandardCharsets.UTF_8));
        assertThat(nextAdd(restored)).as("'d' and 'e' were handed out before the export").isEqualTo("f");
        assertThat(nextAdd(source)).as("as the source itself goes on").isEqualTo("f");
    }

    /** An async goto reserves keys on disk ahead of handing them out; a restore goes on where a restart of it would. */
    @Test
    void aRestoreGoesOnWhereTheSourceWouldAfterARestartInAsyncMode() throws Exception {
        Path source = dir.resolve("async.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults().withDurable(false))) {
            store.add("https://example.com/a").join();
            store.add("https://example.com/b").join();
        }
        Path export = export(source, "async.jsonl");
        Path restored = dir.resolve("restored.data");
        assertThat(run("import", "-file=" + restored, export.toString()).exitCode()).isZero();
        String restoredNext = nextAdd(restored);
        assertThat(gotourl.link.ShortCodes.counterOf(restoredNext)).as("past the reserved keys").isGreaterThan(2);
        assertThat(restoredNext).isEqualTo(nextAdd(source));
    }

    @Test
    void intoAFileTheCounterMovesToTheExportsPositionButNeverBack() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl"); // a, b, c; next key 'f'

        // Its own counter behind the export's: keys it handed out stay refused, the export's go in, and it moves to 'f'.
        Path behind = dir.resolve("behind.data");
        try (LogLinkStore store = LogLinkStore.open(behind, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/mine").join(); // a
            store.add("https://example.com/gone").join(); // b
            store.delete("b").join();
        }
        CliRun intoBehind = run("import", "-file=" + behind, export.toString());
        assertThat(intoBehind.err()).contains("line 1: skipped: the short code 'a' is in use")
                .contains("line 2: skipped: 'b' is a key this goto's counter has already handed out");
        assertThat(intoBehind.out()).contains("1 added, 0 unchanged, 2 conflicts, 0 invalid");
        assertThat(nextAdd(behind)).isEqualTo("f");

        // Its own counter ahead of the export's: it stays where it was.
        Path ahead = dir.resolve("ahead.data");
        try (LogLinkStore store = LogLinkStore.open(ahead, LogLinkStore.Options.defaults())) {
            for (int i = 0; i < 10; i++) {
                store.add("https://example.com/own/" + i).join(); // a..j
            }
        }
        CliRun intoAhead = run("import", "-file=" + ahead, export.toString());
        assertThat(intoAhead.out()).contains("0 added, 0 unchanged, 3 conflicts, 0 invalid");
        assertThat(nextAdd(ahead)).isEqualTo("k");

        // Run again, the same import changes nothing.
        CliRun again = run("import", "-file=" + behind, export.toString());
        assertThat(again.out()).contains("0 added");
        assertThat(nextAdd(behind)).as("'f' was handed out above: the counter does not go back to the export's 'f'").isEqualTo("g");
    }

    /** An export written before the end record existed: it imports as it did, and says what it cannot carry. */
    @Test
    void anOlderExportWithoutTheRecordStillImports() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl");
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        Path older = Files.write(dir.resolve("older.jsonl"), lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        assertThat(detect(older)).isEqualTo(InputFormat.GOTO_JSONL);
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, older.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid").doesNotContain("key counter");
        assertThat(imported.err()).contains("does not end with goto's end-of-export record")
                .contains("a key handed out and deleted before the export may be handed out again");
        assertThat(nextAdd(restored)).as("all an older export can give: past its keys").isEqualTo("d");
    }

    /**
     * An export cut short, mid-line, has no end record: its import moves the counter only past
     * the keys it holds and says so; the whole export imported afterwards still restores every
     * link (a counter position taken from a header would have refused the missing keys as handed
     * out) and moves the counter to its position.
     */
    @Test
    void anExportCutShortClaimsNoCounterPositionAndTheWholeOneStillGoesInAfter() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl");
        String whole = Files.readString(export, StandardCharsets.UTF_8);
        int cut = whole.indexOf("\"shortCode\":\"b\"") + 20;
        Path truncated = Files.writeString(dir.resolve("cut.jsonl"), whole.substring(0, cut), StandardCharsets.UTF_8);
        Path restored = dir.resolve("restored.data");
        CliRun partial = run("import", "-file=" + restored, truncated.toString());
        CliRun rest = run("import", "-file=" + restored, export.toString());
        assertThat(rest.exitCode()).as("the links the cut-short import missed are not refused: " + rest.err()).isZero();
        assertThat(rest.out()).contains("2 added, 1 unchanged, 0 conflicts, 0 invalid");
        assertThat(partial.exitCode()).isEqualTo(1);
        assertThat(partial.err()).contains("skipped: not a JSON object").contains("or it was cut short");
        assertThat(partial.out()).contains("1 added, 0 unchanged, 0 conflicts, 1 invalid").doesNotContain("key counter");
        assertThat(run("export", "-file=" + restored).out()).isEqualTo(whole);
        assertThat(nextAdd(restored)).isEqualTo("f");
    }

    /**
     * A disk that fills and frees under {@code goto export > file} leaves links missing in the
     * middle, or a torn line, before a valid end record. Its import must not move the counter to
     * that record's position (the missing links' keys would be refused as handed out when the
     * whole export comes), and says so in one line; a line skipped for its content does not count.
     */
    @Test
    void anEndRecordAfterMissingOrTornLinesIsIgnored() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl"); // a, b, c; next key 'f'
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        String b = lines.get(1);
        // Each leaves out or tears keys past the last whole one: a link imported under a later key
        // moves the counter past the missing ones whatever the end record says.
        List<List<String>> broken = List.of(
                List.of(lines.get(0), lines.get(3)),
                List.of(lines.get(0), b.substring(0, b.length() / 2) + lines.get(2), lines.get(3)),
                List.of(lines.get(0), lines.get(1), lines.get(2).substring(0, 30), lines.get(3)),
                List.of(lines.get(0), lines.get(1), lines.get(3).replace("\"links\":3", "\"links\":2"), lines.get(2)));
        List<String> why = List.of("it says 3 links precede it, and the lines before it hold 1", "1 line before it could not be read",
                "1 line before it could not be read", "it is not the export's last line (line 4 follows it)");
        for (int i = 0; i < broken.size(); i++) {
            Path damaged = Files.write(dir.resolve("damaged" + i + ".jsonl"), broken.get(i), StandardCharsets.UTF_8);
            Path restored = dir.resolve("restored" + i + ".data");
            CliRun partial = run("import", "-file=" + restored, damaged.toString());
            assertThat(partial.err()).as(partial.err()).containsOnlyOnce("the export's end record is ignored: " + why.get(i))
                    .contains("the key counter moved past the imported keys only").doesNotContain("does not end with");
            assertThat(partial.out()).doesNotContain("key counter");
            CliRun whole = run("import", "-file=" + restored, export.toString());
            assertThat(whole.exitCode()).as("the whole export still goes in: " + whole.err()).isZero();
            assertThat(run("export", "-file=" + restored).out()).isEqualTo(Files.readString(export, StandardCharsets.UTF_8));
            assertThat(nextAdd(restored)).isEqualTo("f");
        }

        // A line skipped for its content (a URL goto refuses) was read as a link: the record is honoured.
        Path refused = Files.write(dir.resolve("refused.jsonl"), List.of(lines.get(0),
                lines.get(1).replace("https://example.com/b", "ftp://example.com/b"), lines.get(2), lines.get(3)), StandardCharsets.UTF_8);
        Path restored = dir.resolve("refused.data");
        CliRun imported = run("import", "-file=" + restored, refused.toString());
        assertThat(imported.out()).contains("2 added, 0 unchanged, 0 conflicts, 1 invalid").contains("key counter moved from 'd' to 'f'");
        assertThat(imported.err()).doesNotContain("end record is ignored");
        assertThat(nextAdd(restored)).isEqualTo("f");
    }

    /**
     * A hand-edited {@code nextKey} at the counter's end (2^40, {@code twksTYG}): the import says
     * how far the counter moved and warns; the restored goto then refuses links without a custom
     * slug with a 503 that says why (it answered 500 "internal error"), counted, and still takes
     * slugs.
     */
    @Test
    void aNextKeyAtTheCountersEndIsToldOfAndAddsAreRefusedClearly() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl");
        Path edited = withEndEdited(export, "\"nextKey\":\"f\"", "\"nextKey\":\"twksTYG\"");
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, edited.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).endsWith("; key counter moved from 'd' to 'twksTYG': 1,099,511,627,773 keys past the highest"
                + " imported key\n");
        assertThat(imported.err()).containsOnlyOnce("warning: the export's nextKey 'twksTYG' moved the key counter")
                .contains("The counter is now at its last key");
        CliRun fine = run("import", "-file=" + dir.resolve("fine.data"), export.toString());
        assertThat(fine.err()).as("a restore's ordinary move is not warned of").doesNotContain("warning");

        try (RunningGoto app = RunningGoto.start(RunningGoto.config(restored),
                gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
            for (int i = 0; i < 2; i++) {
                var refused = app.add("https://example.com/more/" + i);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("the key counter has reached its last key").contains("custom slug");
            }
            HttpRequest.Builder create = HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                    .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).header("Content-Type", "application/json");
            var rest = app.send(create.POST(HttpRequest.BodyPublishers.ofString("{\"longUrl\": \"https://example.com/rest\"}")).build());
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(503);
            assertThat(rest.body()).contains("the key counter has reached its last key");
            var slug = app.send(create.POST(HttpRequest.BodyPublishers.ofString(
                    "{\"longUrl\": \"https://example.com/slug\", \"customSlug\": \"still-works\"}")).build());
            assertThat(slug.statusCode()).as(slug.body()).isEqualTo(200);
            assertThat(app.admin("/metrics").body()).contains("goto_adds_refused_total{reason=\"keys_exhausted\"} 2.0");
            var ready = app.admin("/health/ready");
            assertThat(ready.statusCode()).as("redirects and slugs go on").isEqualTo(200);
            assertThat(ready.body()).contains("degraded: the key counter has reached its last key");
        }
    }

    /** A record of another version is refused as a bad line that says so, and moves no counter. */
    @Test
    void anEndRecordOfANewerVersionIsRefused() throws Exception {
        Path newer = withEndEdited(export(servedFileWithTheNewestKeysDeleted(), "links.jsonl"), "\"version\":1", "\"version\":2");
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, newer.toString());
        assertThat(imported.err()).contains("line 4: skipped: gotoExport version 2 is not 1: written by a newer goto")
                .doesNotContain("does not end with");
        assertThat(imported.out()).contains("3 added, 0 unchanged, 0 conflicts, 1 invalid").doesNotContain("key counter");
        assertThat(nextAdd(restored)).isEqualTo("d");
    }

    /**
     * Deleted codes travel too: custom slugs shaped like keys ahead of the counter (which it
     * skips) and random codes (never given again). Without them a restore's counter handed out
     * deleted slugs as keys: the original gives 'b', 'e', 'f' where the restore gave 'b', 'c', 'd'.
     */
    @Test
    void deletedSlugsAndRandomCodesAreRestoredAsTheSourceKeepsThem() throws Exception {
        Path source = dir.resolve("source.data");
        String random;
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(source),
                gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
            assertThat(app.addKey("https://example.com/a")).isEqualTo("a");
            List<String> codes = new java.util.ArrayList<>();
            for (String body : List.of("\"customSlug\": \"c\"", "\"customSlug\": \"d\"", "\"shortCodeLength\": 6")) {
                var created = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                        .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"longUrl\": \"https://example.com/" + codes.size() + "\", " + body + "}"))
                        .build());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                codes.add(created.body().replaceAll("(?s).*\"shortCode\":\"([^\"]+)\".*", "$1"));
            }
            random = codes.getLast();
            for (String code : codes) {
                HttpRequest delete = HttpRequest.newBuilder(app.uri("/rest/v3/short-urls/" + code))
                        .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).DELETE().build();
                assertThat(app.send(delete).statusCode()).isEqualTo(204);
            }
            assertThat(app.shutdown()).isTrue();
        }
        Path export = export(source, "links.jsonl");
        assertThat(Files.readAllLines(export, StandardCharsets.UTF_8).getLast()).isEqualTo("{\"gotoExport\":{\"version\":1,"
                + "\"nextKey\":\"b\",\"links\":1,\"releasedSlugs\":[\"c\",\"d\"],\"retiredCodes\":[\"" + random + "\"]}}");
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, export.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        // Replayed from the records the import wrote, not from the index image it left.
        assertThat(Files.deleteIfExists(restored.resolveSibling("restored.data.image"))).isTrue();
        assertThat(run("export", "-file=" + restored).out()).as("the restore keeps the deleted codes as the source does")
                .isEqualTo(Files.readString(export, StandardCharsets.UTF_8));
        CliRun again = run("import", "-file=" + restored, export.toString());
        assertThat(again.out()).contains("0 added, 1 unchanged");
        Files.deleteIfExists(restored.resolveSibling("restored.data.image"));
        assertThat(run("export", "-file=" + restored).out()).as("run again, nothing is recorded twice")
                .isEqualTo(Files.readString(export, StandardCharsets.UTF_8));
        for (Path data : List.of(source, restored)) {
            try (RunningGoto app = RunningGoto.start(RunningGoto.config(data),
                    gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
                List<String> keys = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    keys.add(app.addKey("https://example.com/after/" + i));
                }
                assertThat(keys).as(data.getFileName().toString()).containsExactly("b", "e", "f");
                var slug = app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                        .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"longUrl\": \"https://example.com/c\", \"customSlug\": \"c\"}"))
                        .build());
                assertThat(slug.statusCode()).as("a released slug is free to claim again: " + slug.body()).isEqualTo(200);
                assertThat(app.shutdown()).isTrue();
            }
        }
        CliRun retiredTaken = run("import", "-file=" + restored, Files.writeString(dir.resolve("random.jsonl"),
                Files.readAllLines(export, StandardCharsets.UTF_8).getFirst().replace("\"a\"", "\"" + random + "\"")
                        .replace("\"counter\"", "\"random\"").replace("https://example.com/a", "https://example.com/r") + "\n").toString());
        assertThat(retiredTaken.err()).as("a retired random code is never given again").contains("'" + random + "'");
        assertThat(retiredTaken.out()).contains("0 added");
    }

    /**
     * A deleted slug shaped like a key that the counter has since passed (skipping it) stays free
     * for a slug to claim in the source; the restore must let it be claimed too, not refuse it as
     * a key its counter handed out.
     */
    @Test
    void aReleasedSlugTheCounterHasPassedIsStillFreeToClaimAfterARestore() throws Exception {
        Path source = dir.resolve("passed.data");
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(source),
                gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
            assertThat(app.addKey("https://example.com/a")).isEqualTo("a");
            assertThat(createSlug(app, "c").statusCode()).isEqualTo(200);
            HttpRequest delete = HttpRequest.newBuilder(app.uri("/rest/v3/short-urls/c"))
                    .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).DELETE().build();
            assertThat(app.send(delete).statusCode()).isEqualTo(204);
            assertThat(app.addKey("https://example.com/b")).isEqualTo("b");
            assertThat(app.addKey("https://example.com/d")).as("the counter skips the released slug").isEqualTo("d");
            assertThat(app.shutdown()).isTrue();
        }
        Path export = export(source, "passed.jsonl");
        assertThat(Files.readAllLines(export, StandardCharsets.UTF_8).getLast())
                .isEqualTo("{\"gotoExport\":{\"version\":1,\"nextKey\":\"e\",\"links\":3,\"releasedSlugs\":[\"c\"]}}");
        Path restored = dir.resolve("passed-restored.data");
        CliRun imported = run("import", "-file=" + restored, export.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        for (Path data : List.of(source, restored)) {
            try (RunningGoto app = RunningGoto.start(RunningGoto.config(data),
                    gotourl.GotoService.defaultStoreOpener(java.time.Clock.systemUTC()), gotourl.api.TestApiKeys.options())) {
                var slug = createSlug(app, "c");
                assertThat(slug.statusCode()).as(data.getFileName() + ": a released slug is free to claim again: " + slug.body())
                        .isEqualTo(200);
                assertThat(app.addKey("https://example.com/e")).as(data.getFileName().toString()).isEqualTo("e");
                assertThat(app.shutdown()).isTrue();
            }
        }
    }

    private static java.net.http.HttpResponse<String> createSlug(RunningGoto app, String slug) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri("/rest/v3/short-urls"))
                .header("X-Api-Key", gotourl.api.TestApiKeys.ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"longUrl\": \"https://example.com/" + slug + "\", \"customSlug\": \"" + slug + "\"}"))
                .build());
    }

    /** CSV has no place for the counter: its export and its import say so once, as the help of both commands does. */
    @Test
    void csvSaysItCarriesNoCounterAndTheHelpTellsOfTheCounter() throws Exception {
        Path source = servedFileWithTheNewestKeysDeleted();
        Path csv = dir.resolve("links.csv");
        CliRun exported = run("export", "-file=" + source, "-format=csv", "-o", csv.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.err()).containsOnlyOnce("goto export: CSV carries no key counter position; export as jsonl for a"
                + " restore that never re-hands deleted keys");
        assertThat(run("export", "-file=" + source, "-o", dir.resolve("links.jsonl").toString()).err()).doesNotContain("CSV");
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, csv.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.err()).containsOnlyOnce("goto's CSV export carries no key counter position: the key counter moved"
                + " past the imported keys only");
        assertThat(nextAdd(restored)).isEqualTo("d");

        for (String command : List.of("import", "export")) {
            String help = run(command, "-help").out();
            assertThat(help.lines()).as("lines that fit the help's width, not cut by it").allMatch(line -> line.length() < 80);
            assertThat(help).contains(command.equals("import") ? "goto's JSON Lines export moves a -file's key counter to the export's"
                    : "a restore never hands out a deleted key again; CSV cannot carry it.");
        }
    }

    /** A file whose links were all deleted exports its counter alone: recognised as goto's export, and restored. */
    @Test
    void anExportOfNoLinksIsTheRecordAloneAndRestoresTheCounter() throws Exception {
        Path source = dir.resolve("emptied.data");
        try (LogLinkStore store = LogLinkStore.open(source, LogLinkStore.Options.defaults())) {
            store.add("https://example.com/a").join();
            store.add("https://example.com/b").join();
            store.delete("a").join();
            store.delete("b").join();
        }
        Path export = export(source, "none.jsonl");
        assertThat(Files.readString(export)).isEqualTo("{\"gotoExport\":{\"version\":1,\"nextKey\":\"c\",\"links\":0}}\n");
        assertThat(detect(export)).isEqualTo(InputFormat.GOTO_JSONL);
        assertThat(detect(export(servedFileWithTheNewestKeysDeleted(), "links.jsonl"))).isEqualTo(InputFormat.GOTO_JSONL);
        Path restored = dir.resolve("restored.data");
        CliRun imported = run("import", "-file=" + restored, export.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported 0 links into " + restored).endsWith("; key counter moved from 'a' to 'c': 2 keys past the highest imported key\n");
        assertThat(nextAdd(restored)).isEqualTo("c");
    }

    /** The API cannot move a server's counter: the links go in, and the import says once that the position was not carried. */
    @Test
    void throughTheApiTheCounterIsNotCarriedAndTheImportSaysSo() throws Exception {
        Path export = export(servedFileWithTheNewestKeysDeleted(), "links.jsonl");
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        Path older = Files.write(dir.resolve("older.jsonl"), lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        try (RunningGoto empty = RunningGoto.start(RunningGoto.config(null),
                (c, m) -> new gotourl.store.MemoryLinkStore(), gotourl.api.TestApiKeys.options())) {
            String url = "http://127.0.0.1:" + empty.service().appPort();
            CliRun overApi = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url", url, export.toString());
            assertThat(overApi.exitCode()).as(overApi.err()).isZero();
            assertThat(overApi.out()).contains("3 added, 0 unchanged, 0 conflicts, 0 invalid").doesNotContain("key counter");
            assertThat(overApi.err()).containsOnlyOnce("the export's key counter position (next key 'f') is not carried");
            CliRun olderOverApi = CliRun.of(Map.of("GOTO_API_KEY", gotourl.api.TestApiKeys.ADMIN), "import", "-url", url,
                    older.toString());
            assertThat(olderOverApi.exitCode()).as(olderOverApi.err()).isZero();
            assertThat(olderOverApi.err()).as("nothing to carry, nothing said").doesNotContain("key counter");
        }
    }

    /** A copy of {@code export} with {@code from} in its last line, the end record, replaced by {@code to}. */
    private Path withEndEdited(Path export, String from, String to) throws Exception {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
        assertThat(lines.getLast()).contains(from);
        lines.set(lines.size() - 1, lines.getLast().replace(from, to));
        return Files.write(dir.resolve("edited-" + lines.getLast().hashCode() + ".jsonl"), lines, StandardCharsets.UTF_8);
    }

    private static InputFormat detect(Path file) throws Exception {
        return InputFormat.detect(Files.readString(file, StandardCharsets.UTF_8));
    }
}
