package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.fetch.TestSite;
import gotourl.link.LinkDraft;
import gotourl.store.log.LogLinkStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goto check} on a stopped goto's file, against a site the test starts on 127.0.0.1. */
class CheckCommandTest {
    @TempDir
    Path dir;
    private TestSite site;
    private Path data;

    @BeforeEach
    void start() throws Exception {
        site = TestSite.start();
        data = dir.resolve("goto.data");
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + site.port() + path;
    }

    private void links(Map<String, String> bySlug) throws Exception {
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            for (Map.Entry<String, String> link : bySlug.entrySet()) {
                store.create(LinkDraft.of(link.getValue()).withCustomSlug(link.getKey())).join();
            }
        }
    }

    record Run(int exitCode, String out, String err) {}

    private Run check(StopSignal stop, String... args) {
        return check(stop, new ByteArrayOutputStream(), args);
    }

    /** {@link #check(StopSignal, String...)} writing its standard error to {@code err}, which the test may read meanwhile. */
    private Run check(StopSignal stop, ByteArrayOutputStream err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Cli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), stop);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checksEveryLinkWritesACsvReportAndKeepsHealthBesideTheFile() throws Exception {
        links(Map.of("fine", url("/ok"), "gone", url("/missing"), "down", url("/broken"), "nohead", url("/no-head"),
                "moved", url("/hops/2"), "loop", url("/loop-a")));
        Path report = dir.resolve("report.csv");
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private", "-report=" + report);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CheckCommand.SOME_BROKEN);
        assertThat(run.out()).contains("checked 6 of 6 links").contains("2 ok, 1 redirected, 1 client error, 1 server error, 1 unreachable")
                .contains("health kept in " + data + ".health");
        List<String> lines = Files.readAllLines(report);
        assertThat(lines.getFirst()).isEqualTo("shortCode,longUrl,state,status,location,checkedAt,detail");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("down," + url("/broken") + ",server-error,500,,"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("moved," + url("/hops/2") + ",redirected,200," + url("/hops/0") + ","));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("loop," + url("/loop-a") + ",unreachable,,,"));
        assertThat(lines).hasSize(7);
        assertThat(Files.readAllLines(dir.resolve("goto.data.health"))).hasSize(6);
    }

    @Test
    void aCheckLeavesTheDataFileAsItWasEvenWhenItIsDueForCompaction() throws Exception {
        // The check opened the file as a server's store: on a file with enough dead records, it
        // compacted it by itself while checking (a write by a command that only reads), and a
        // disk error then was logged in a server's words ("in use", "next try in").
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults().withDurable(false))) {
            List<CompletableFuture<String>> added = new java.util.ArrayList<>();
            for (int i = 0; i < 1300; i++) { // past the 8 MiB of dead bytes from which a store compacts by itself
                added.add(store.add("https://example.com/" + i + "?pad=" + "x".repeat(7000)));
            }
            List<gotourl.store.LinkChange> deletes = new java.util.ArrayList<>();
            for (CompletableFuture<String> key : added) {
                deletes.add(new gotourl.store.LinkChange.Delete(key.join()));
            }
            for (int from = 0; from < deletes.size(); from += 1000) { // a batch holds at most 1000 changes
                store.apply(deletes.subList(from, Math.min(from + 1000, deletes.size()))).join();
            }
            store.create(LinkDraft.of(url("/wait?ms=1500")).withCustomSlug("slow")).join();
        }
        long bytes = Files.size(data);

        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.size(data)).as("the file is not rewritten by a check").isEqualTo(bytes);
    }

    @Test
    void a429OrA503WithRetryAfterIsToTryLaterNotBroken() throws Exception {
        // A rate-limited site (429) or one down for a while that says when to come back (503 with
        // Retry-After) was counted as a broken link: the page may well be there.
        links(Map.of("fine", url("/ok"), "busy", url("/busy"), "later", url("/later")));
        Path report = dir.resolve("report.csv");
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private", "-report=" + report);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 ok, 0 redirected, 0 client errors, 0 server errors, 0 unreachable, 2 to try later");
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("busy," + url("/busy") + ",try-later,429,,")
                .endsWith(",too many requests: the site asks to be asked again later (Retry-After: 120)"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("later," + url("/later") + ",try-later,503,,")
                .endsWith(",unavailable for now: the site asks to be asked again later (Retry-After: 60)"));

        // A 503 that names no time to come back is a server error, as before.
        links(Map.of("down", url("/unavailable")));
        Run again = check(new StopSignal(), "-file=" + data, "-fetch-private");
        assertThat(again.exitCode()).as(again.err()).isEqualTo(CheckCommand.SOME_BROKEN);
        assertThat(again.out()).contains("1 ok, 0 redirected, 0 client errors, 1 server error, 0 unreachable, 2 to try later");
    }

    @Test
    void progressWithoutATerminalIsPlainLinesWithRateAndNoControlCharacters() throws Exception {
        links(Map.of("a", url("/ok"), "b", url("/ok?b"), "c", url("/ok?c")));
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("checking").contains("3/3").contains("links/s");
        assertThat(run.err().replace("\n", "")).doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void writesAJsonReport() throws Exception {
        links(Map.of("fine", url("/ok"), "gone", url("/missing")));
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private", "-report=-", "-format=json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(CheckCommand.SOME_BROKEN);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.at("/summary/checked").asInt()).isEqualTo(2);
        assertThat(report.at("/summary/client-error").asInt()).isEqualTo(1);
        assertThat(report.at("/links/0/shortCode").asText()).isEqualTo("fine");
        assertThat(report.at("/links/0/state").asText()).isEqualTo("ok");
        assertThat(report.at("/links/1/status").asInt()).isEqualTo(404);
    }

    @Test
    void withoutFetchPrivateALocalAddressIsRefusedAndNeverFetched() throws Exception {
        links(Map.of("local", url("/ok")));
        Run run = check(new StopSignal(), "-file=" + data, "-report=-");
        assertThat(run.exitCode()).isEqualTo(CheckCommand.SOME_BROKEN);
        assertThat(run.out()).contains("local," + url("/ok") + ",unreachable,,,").contains("refused").contains("loopback");
        assertThat(site.totalHits()).isZero();
    }

    @Test
    void aStopSignalEndsTheCheckWithinASecondKeepingWhatWasChecked() throws Exception {
        Map<String, String> links = new java.util.HashMap<>();
        links.put("first", url("/ok"));
        for (int i = 0; i < 8; i++) {
            links.put("hang" + i, url("/hang?n=" + i));
        }
        links(links);
        StopSignal stop = new StopSignal();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> check(stop, err, "-file=" + data, "-fetch-private", "-concurrency=9", "-per-host=9", "-timeout=60s", "-report=-"));
        // Every fetch sent, and the first link judged: its request reaching the site is not enough
        // (the checker may still be reading the answer when the stop comes, and then it has no
        // verdict); its progress line is, since the bar counts a link after its verdict is kept.
        // Without a terminal a progress line comes every 5 s.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((site.hits("/hang") < 8 || !err.toString(StandardCharsets.UTF_8).contains(" 1/9 ")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long stopped = System.nanoTime();
        stop.stop("test: Ctrl-C", false);
        Run run = running.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(1));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(CheckCommand.INTERRUPTED);
        assertThat(run.err()).contains("stopped after checking 1 of 9 links");
        assertThat(run.out()).contains("first," + url("/ok") + ",ok,200");
        assertThat(Files.readAllLines(dir.resolve("goto.data.health"))).hasSize(1);
        assertThat(site.hits("/hang")).isEqualTo(8);
    }

    @Test
    void healthThatCannotBeKeptIsSaidAfterTheSummaryNotInsteadOfIt() throws Exception {
        links(Map.of("fine", url("/ok"), "gone", url("/missing")));
        // The health file's temporary is taken by a directory: its write fails as it would in a
        // directory this user cannot write (which root, running the tests here, could write all the same).
        Files.createDirectory(dir.resolve("goto.data.health.tmp"));
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        // It printed only the failure: two links fetched, and nothing of what they were kept anywhere.
        assertThat(run.out()).contains("checked 2 of 2 links").contains("1 ok, 0 redirected, 1 client error").doesNotContain("health kept in");
        assertThat(run.err()).contains("goto check: the health could not be kept in " + data + ".health: " + data + ".health.tmp")
                .contains("the results above are all this check kept: let this user (" + System.getProperty("user.name")
                        + ") write in " + data.toAbsolutePath().getParent() + ", then check again (with -report=FILE");
        assertThat(run.err().indexOf("goto check: the health")).as("said last").isGreaterThan(run.err().lastIndexOf("checked"));
        assertThat(dir.resolve("goto.data.health")).doesNotExist();
    }

    @Test
    void aMissingDataFileIsRefusedWithoutCreatingIt() {
        Run run = check(new StopSignal(), "-file=" + dir.resolve("nope.data"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("nope.data: no such data file");
        assertThat(dir.resolve("nope.data")).doesNotExist();
    }

    @Test
    void aReportThatCannotBeWrittenIsRefusedBeforeAnyLinkIsChecked() throws Exception {
        links(Map.of("fine", url("/ok")));
        Path report = dir.resolve("no-such-dir").resolve("report.csv");
        Run run = check(new StopSignal(), "-file=" + data, "-fetch-private", "-report=" + report);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("goto check: cannot write the report " + report + ": its directory "
                + report.getParent().toAbsolutePath() + " does not exist; create it first");
        assertThat(run.out()).doesNotContain("checked");
        assertThat(dir.resolve("goto.data.health")).as("no link was checked").doesNotExist();
        assertThat(report.getParent()).doesNotExist();
    }

    @Test
    void aFileARunningGotoHoldsIsRefusedSayingHowThatGotoChecksItsOwnLinks() throws Exception {
        links(Map.of("docs", url("/ok")));
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0", "-admin=off", "-file=" + data,
                "-host=" + RunningGoto.HOST).awaitServing(Duration.ofSeconds(30))) {
            Run run = check(new StopSignal(), "-file=" + data, "-fetch-private");
            assertThat(run.exitCode()).isEqualTo(1);
            // It said "stop that one first, or point -file at another file": neither is what someone
            // who wants the links of a goto that must keep serving checked needs to hear.
            assertThat(run.err()).contains(data + " is in use by a running goto: stop it first, or let it check its own links"
                    + " while it serves (start it with -check-interval=24h; its REST API then shows each link's health)");
        }
    }
}
