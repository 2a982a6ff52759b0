package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.Cli;
import gotourl.CliRun;
import gotourl.StopSignal;
import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrlRules;
import gotourl.link.SelfAddresses;
import gotourl.store.log.LogLinkStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import judged on several threads does exactly what a reading on one thread does: the same
 * links put in the same order with the same fields, the same lines reported in the same words and
 * order, the same counts; and through the command line, the counter's keys follow the input order.
 */
class ImportPipelineTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final LongUrlRules RULES = new LongUrlRules(SelfAddresses.NONE);

    @TempDir
    Path dir;

    /** A plain list with duplicates, slugs, blank lines and bad lines mixed in, over many batches. */
    private static String plainList(int lines, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            out.append(switch (random.nextInt(20)) {
                case 0 -> "";
                case 1 -> "ftp://example.com/" + i;
                case 2 -> "not a url " + i;
                case 3 -> "slug-" + random.nextInt(lines / 10) + " https://example.com/slugged/" + random.nextInt(lines);
                case 4 -> "https://example.com/page/" + random.nextInt(Math.max(1, i)); // often a URL seen before
                case 5 -> "HTTPS://Example.COM/Case/" + i + "?q=a b#frag";
                case 6 -> "bad/slug https://example.com/" + i;
                case 7 -> "HTTPS://Example.COM/Upper/" + i + "?Q=A"; // a bare URL the rules rewrite
                case 8 -> "https://example.com:443/port/" + i; // ... through the full parser
                default -> "https://example.com/page/" + i;
            }).append('\n');
        }
        return out.toString();
    }

    /** What an importer did: every put, in order, then every line of its reports and its counts. */
    private static List<String> importWith(InputFormat format, String input, int judges) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        Importer importer = new Importer(RULES, format, errors, NOW);
        List<String> events = new ArrayList<>();
        importer.target(new Recording(events, importer));
        BufferedReader reader = new BufferedReader(new StringReader(input));
        if (judges == 0) {
            LinkReaders.read(format, reader, importer);
        } else {
            try (ImportProgress progress = ImportProgress.over(InputStream.nullInputStream(), -1, "import",
                    new PrintStream(OutputStream.nullOutputStream()), false)) {
                ImportPipeline.run(format, reader, importer, progress, judges);
            }
        }
        events.add(err.toString(StandardCharsets.UTF_8));
        events.add("added " + importer.added + ", unchanged " + importer.unchanged + ", conflicts " + importer.conflicts
                + ", invalid " + importer.invalid);
        return events;
    }

    /** A target that records each put and answers as a file would for new codes: added, or unchanged for a code seen. */
    private static final class Recording implements ImportTarget {
        private final List<String> events;
        private final ImportTarget.Results results;
        private final Set<String> codes = new java.util.HashSet<>();

        Recording(List<String> events, ImportTarget.Results results) {
            this.events = events;
            this.results = results;
        }

        @Override
        public void put(long line, Link link, LinkDraft draft, Instant created) {
            events.add(line + " " + link + " " + draft + " " + created);
            if (link != null && !codes.add(link.shortCode())) {
                results.unchanged(line, link.shortCode());
            } else {
                results.added(line);
            }
        }

        @Override
        public boolean reserveThrough(long nextCounter) {
            events.add("counter " + nextCounter);
            return true;
        }

        @Override
        public void finish() {}

        @Override
        public String describe() {
            return "a recording";
        }

        @Override
        public void close() {}
    }

    @Test
    void aPlainListJudgedOnSeveralThreadsGivesWhatOneThreadGives() throws IOException {
        String input = plainList(12_000, 7);
        List<String> alone = importWith(InputFormat.PLAIN, input, 0);
        assertThat(alone.size()).as("the input goes past many batches").isGreaterThan(5 * ImportPipeline.BATCH_LINES);
        for (int judges : new int[] {1, 2, 4}) {
            assertThat(importWith(InputFormat.PLAIN, input, judges)).as(judges + " judges").isEqualTo(alone);
        }
    }

    @Test
    void aBareUrlTheRulesKeepAsItIsFitsTheStoredUrlsLimit() {
        // Importer.plainUrl skips LongUrls.problem for a URL the rules left as the line: only sound while this holds.
        assertThat(LongUrlRules.MAX_URL_CHARS).isLessThanOrEqualTo(gotourl.link.LongUrls.MAX_CHARS);
    }

    @Test
    void goToJsonLinesAndCsvJudgedOnSeveralThreadsGiveWhatOneThreadGives() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder("shortCode,longUrl,dateCreated,title,tags,validSince,validUntil,maxVisits,"
                + "crawlable,forwardQuery,author,codeOrigin\n");
        for (int i = 0; i < 5_000; i++) {
            String code = i % 7 == 0 ? "slug-" + i : Keys.encode(i);
            String origin = i % 7 == 0 ? "slug" : "counter";
            String url = i % 11 == 0 ? "javascript:alert(" + i + ")" : "https://example.com/x/" + i;
            String date = i % 13 == 0 ? "yesterday" : "2026-11-30T15:40:00+00:00";
            jsonl.append(i % 17 == 0 ? "{broken" : "{\"shortCode\":\"" + code + "\",\"longUrl\":\"" + url + "\",\"dateCreated\":\"" + date
                    + "\",\"title\":" + (i % 3 == 0 ? "null" : "\"t" + i + "\"") + ",\"tags\":[\"a\",\"B " + (i % 5) + "\"],"
                    + "\"maxVisits\":" + (i % 19 == 0 ? "0" : "null") + ",\"crawlable\":false,\"forwardQuery\":true,\"codeOrigin\":\""
                    + origin + "\",\"visitsSummary\":{\"total\":3,\"nonBots\":3,\"bots\":0}}").append('\n');
            csv.append(code).append(',').append(url).append(',').append(date).append(",t").append(i)
                    .append(",\"[\"\"a\"\"]\",,,,false,true,,").append(origin).append('\n');
        }
        List<String> alone = importWith(InputFormat.GOTO_JSONL, jsonl.toString(), 0);
        assertThat(importWith(InputFormat.GOTO_JSONL, jsonl.toString(), 3)).isEqualTo(alone);
        assertThat(alone.getLast()).contains("invalid ").doesNotContain("invalid 0");
        List<String> csvAlone = importWith(InputFormat.GOTO_CSV, csv.toString(), 0);
        assertThat(importWith(InputFormat.GOTO_CSV, csv.toString(), 3)).isEqualTo(csvAlone);
    }

    @Test
    void throughTheCommandLineTheKeysFollowTheInputOrder() throws Exception {
        String input = plainList(20_000, 11);
        Path list = Files.writeString(dir.resolve("urls.txt"), input);
        Path data = dir.resolve("goto.data");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, list.toString());
        assertThat(run.exitCode()).as("bad lines were skipped").isEqualTo(1);

        // Which URL each new key should hold: the rules' form of each valid bare URL, first occurrence first.
        Set<String> expected = new LinkedHashSet<>();
        // Each slug is added once, by its first line; a later line with the same slug is unchanged or a conflict.
        Set<String> slugs = new LinkedHashSet<>();
        for (String line : input.split("\n", -1)) {
            if (line.startsWith("slug-")) {
                String[] slugAndUrl = line.split(" ", 2);
                if (RULES.check(slugAndUrl[1]).accepted()) {
                    slugs.add(slugAndUrl[0]);
                }
            } else if (!line.isBlank() && !line.startsWith("bad/slug")) {
                LongUrlRules.Verdict verdict = RULES.check(line.strip());
                if (verdict.accepted()) {
                    expected.add(verdict.url());
                }
            }
        }
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            long key = 0;
            for (String url : expected) {
                assertThat(store.longUrlOf(Keys.encode(key))).as("key " + key).isEqualTo(url);
                key++;
            }
            assertThat(store.longUrlOf(Keys.encode(key))).isNull();
        }
        Matcher reported = Pattern.compile("(?m)^line (\\d+): skipped").matcher(run.err());
        long previous = 0;
        int count = 0;
        while (reported.find()) {
            long line = Long.parseLong(reported.group(1));
            assertThat(line).as("reports come in input order").isGreaterThan(previous);
            previous = line;
            count++;
        }
        assertThat(count).isEqualTo(Importer.MAX_REPORTED_LINES);
        assertThat(run.out()).contains((expected.size() + slugs.size()) + " added");

        CliRun again = CliRun.of(Map.of(), "import", "-file=" + data, list.toString());
        assertThat(again.out()).as("a second run changes nothing").contains(" 0 added");
    }

    /** A target that records the lines put, in order, and runs {@code onPut} before each. */
    private static final class Failing implements ImportTarget {
        interface OnPut {
            void before(long line) throws IOException;
        }

        final List<Long> lines = new ArrayList<>();
        private final ImportTarget.Results results;
        private final OnPut onPut;

        Failing(ImportTarget.Results results, OnPut onPut) {
            this.results = results;
            this.onPut = onPut;
        }

        @Override
        public void put(long line, Link link, LinkDraft draft, Instant created) throws IOException {
            onPut.before(line);
            lines.add(line);
            results.added(line);
        }

        @Override
        public boolean reserveThrough(long nextCounter) {
            return true;
        }

        @Override
        public void finish() {}

        @Override
        public String describe() {
            return "a failing target";
        }

        @Override
        public void close() {}
    }

    private static String numberedUrls(int lines) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            out.append("https://example.com/page/").append(i).append('\n');
        }
        return out.toString();
    }

    /** The reader and judging threads still alive (they are named {@code goto-import-...}). */
    private static List<String> importThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("goto-import-")).toList();
    }

    private static void runPipeline(Importer importer, String input, int judges) throws IOException {
        try (ImportProgress progress = ImportProgress.over(InputStream.nullInputStream(), -1, "import",
                new PrintStream(OutputStream.nullOutputStream()), false)) {
            ImportPipeline.run(InputFormat.PLAIN, new BufferedReader(new StringReader(input)), importer, progress, judges);
        }
    }

    @Test
    void aTargetThatFailsStopsTheImportThereWithItsThreads() {
        Importer importer = new Importer(RULES, InputFormat.PLAIN, new PrintStream(OutputStream.nullOutputStream()), NOW);
        Failing target = new Failing(importer, line -> {
            if (line == 5_000) {
                throw new IOException("no space left on device");
            }
        });
        importer.target(target);
        assertThatThrownBy(() -> runPipeline(importer, numberedUrls(50_000), 2)).isInstanceOf(IOException.class)
                .hasMessage("no space left on device");
        assertThat(target.lines).as("every line before the failure, in order, and none after it").hasSize(4_999)
                .isSortedAccordingTo(Long::compare);
        assertThat(target.lines.getLast()).isEqualTo(4_999L);
        assertThat(importThreads()).as("the reader and the judges stopped before run returned").isEmpty();
    }

    @Test
    void anInterruptedImportStopsWithinABatchWithItsThreads() throws Exception {
        Importer importer = new Importer(RULES, InputFormat.PLAIN, new PrintStream(OutputStream.nullOutputStream()), NOW);
        Failing target = new Failing(importer, line -> {
            if (line == 3_000) {
                Thread.currentThread().interrupt(); // as Thread.interrupt() from whoever owns the import
            }
        });
        importer.target(target);
        boolean[] keptInterrupt = {false};
        try (ImportProgress progress = ImportProgress.over(InputStream.nullInputStream(), -1, "import",
                new PrintStream(OutputStream.nullOutputStream()), false)) {
            assertThatThrownBy(() -> ImportPipeline.run(InputFormat.PLAIN, new BufferedReader(new StringReader(numberedUrls(50_000))),
                    importer, progress, 2)).isInstanceOf(InterruptedIOException.class);
            keptInterrupt[0] = Thread.interrupted(); // before the bar's close, which swallows it
        }
        assertThat(keptInterrupt[0]).as("the interrupt is kept for the caller").isTrue();
        assertThat(target.lines.size()).as("what was put: up to the end of the batch being applied")
                .isBetween(3_000, 3_000 + ImportPipeline.BATCH_LINES);
        assertThat(target.lines).isSortedAccordingTo(Long::compare);
        assertThat(importThreads()).isEmpty();
    }

    @Test
    @Timeout(60) // without the failure reaching the caller, it would wait for the last batch forever
    void anErrorWhileReadingReachesTheCallerWithTheLinksBeforeIt() {
        Importer importer = new Importer(RULES, InputFormat.PLAIN, new PrintStream(OutputStream.nullOutputStream()), NOW);
        Failing target = new Failing(importer, line -> {});
        importer.target(target);
        BufferedReader failing = new BufferedReader(new StringReader(numberedUrls(20_000))) {
            private int lines;

            @Override
            public String readLine() throws IOException {
                if (++lines == 7_000) {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }
                return super.readLine();
            }
        };
        assertThatThrownBy(() -> {
            try (ImportProgress progress = ImportProgress.over(InputStream.nullInputStream(), -1, "import",
                    new PrintStream(OutputStream.nullOutputStream()), false)) {
                ImportPipeline.run(InputFormat.PLAIN, failing, importer, progress, 2);
            }
        }).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("thrown by the test");
        assertThat(target.lines).as("every line read before it, in order").hasSize(6_999).isSortedAccordingTo(Long::compare);
        assertThat(importThreads()).isEmpty();
    }

    @Test
    void aStopMidwayKeepsAPrefixAndTheSameImportThenAddsTheRest() throws Exception {
        int total = 50_000;
        Path list = Files.writeString(dir.resolve("urls.txt"), numberedUrls(total));
        Path data = dir.resolve("goto.data");
        AtomicBoolean stop = new AtomicBoolean();
        // Asked to stop once the reader is well into the input (the queue's bound keeps it a few batches ahead).
        InputStream in = new FilterInputStream(Files.newInputStream(list)) {
            private long read;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                read += Math.max(n, 0);
                if (read > 600_000) {
                    stop.set(true);
                }
                return n;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ImportJob job = new ImportJob(data, null, null, RULES, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Clock.systemUTC());
        int code;
        try (in) {
            code = job.run(in, "urls.txt", Files.size(list), stop::get);
        }
        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ImportJob.STOPPED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("goto import: stopped by a signal (Ctrl-C) after ")
                .contains("they are kept, and running the same import again adds the rest");
        Matcher added = Pattern.compile("(\\d+) added").matcher(said);
        assertThat(added.find()).as(said).isTrue();
        long kept = Long.parseLong(added.group(1));
        assertThat(kept).isBetween(1L, total - 1L);
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.size()).as("the links the summary counts, and no more").isEqualTo(kept);
            for (long key : new long[] {0, kept / 2, kept - 1}) {
                assertThat(store.longUrlOf(Keys.encode(key))).as("a prefix of the input").isEqualTo("https://example.com/page/" + (key + 1));
            }
        }
        CliRun again = CliRun.of(Map.of(), "import", "-file=" + data, list.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains(total + " read, " + (total - kept) + " added, " + kept + " unchanged");
    }

    @Test
    void ctrlCStopsTheCommandWithExitCode130() throws Exception {
        Path list = Files.writeString(dir.resolve("urls.txt"), numberedUrls(10_000));
        StopSignal stop = new StopSignal();
        stop.stop("received a termination signal (SIGTERM or SIGINT)", false); // before the first batch is applied
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"import", "-file=" + dir.resolve("goto.data"), list.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), stop);
        assertThat(code).isEqualTo(130);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stopped by a signal (Ctrl-C) after 0 links of " + list);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 read, 0 added");
    }

    @Test
    void anInputThatStopsBeingUtf8KeepsTheLinksBeforeIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 5_000; i++) {
            bytes.writeBytes(("https://example.com/before/" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes(new byte[] {'h', 't', (byte) 0xC3, (byte) 0x28, '\n'});
        for (int i = 0; i < 5_000; i++) {
            bytes.writeBytes(("https://example.com/after/" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path list = Files.write(dir.resolve("mixed.txt"), bytes.toByteArray());
        Path data = dir.resolve("goto.data");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, list.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        Matcher stopped = Pattern.compile("stopped after (\\d+) links: the input is not UTF-8").matcher(run.err());
        assertThat(stopped.find()).as(run.err()).isTrue();
        long kept = Long.parseLong(stopped.group(1));
        assertThat(kept).isBetween(1L, 5_000L);
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.size()).isEqualTo(kept);
            assertThat(store.longUrlOf(Keys.encode(kept - 1))).isEqualTo("https://example.com/before/" + (kept - 1));
        }
    }
}
