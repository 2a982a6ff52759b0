package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.link.Link;
import gotourl.store.log.LogLinkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports of the files the shorteners people leave write, each a small file written from the
 * tool's own layout (the source of each layout is named above it), recognised from its content
 * (the files are all named {@code links.txt}) and kept with its codes, dates and fields.
 */
class ForeignFormatsTest {
    @TempDir
    Path dir;

    /** Imports {@code content} into a new data file; returns its links by code, after checking the format it was read as. */
    private Map<String, Link> imported(String content, InputFormat expected) throws Exception {
        assertThat(InputFormat.detect(content)).isEqualTo(expected);
        Path input = Files.writeString(dir.resolve("links.txt"), content, StandardCharsets.UTF_8);
        Path data = dir.resolve(expected.name() + ".data");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, input.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("(" + expected.description() + ")");
        Map<String, Link> links = new HashMap<>();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.forEach(link -> links.put(link.shortCode(), link));
        }
        CliRun again = CliRun.of(Map.of(), "import", "-file=" + data, input.toString());
        assertThat(again.out()).as("a second import changes nothing").contains("0 added, " + links.size() + " unchanged");
        return links;
    }

    /**
     * A CSV whose quoting is broken (a title's quote never closed; a quoted field with text after
     * it) is refused with the line and what to write instead, not Commons CSV's words; the links
     * before that line are kept, none after it is made up of the rest of the file.
     */
    @Test
    void brokenCsvQuotingSaysWhichLineAndHowToQuote() throws Exception {
        Path unclosed = Files.writeString(dir.resolve("unclosed.csv"), """
                keyword,url,title
                k1,https://example.com/one,fine
                k2,https://example.com/two,"unterminated title
                k3,https://example.com/three,fine
                """, StandardCharsets.UTF_8);
        Path data = dir.resolve("unclosed.data");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, unclosed.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("line 3: a quoted field starts there and its closing quote never comes")
                .contains("a quote inside a quoted field is written twice")
                .doesNotContain("encapsulated token").doesNotContain("startline");
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            assertThat(store.lookup("k1").longUrl()).isEqualTo("https://example.com/one");
            assertThat(store.lookup("k2")).isNull();
            assertThat(store.lookup("k3")).isNull();
        }

        Path glued = Files.writeString(dir.resolve("glued.csv"), """
                keyword,url,title
                g1,https://example.com/one,"a"b
                """, StandardCharsets.UTF_8);
        CliRun gluedRun = CliRun.of(Map.of(), "import", "-file=" + dir.resolve("glued.data"), glued.toString());
        assertThat(gluedRun.exitCode()).isEqualTo(1);
        assertThat(gluedRun.err()).contains("line 2: a quoted field is followed by more text before the next comma")
                .doesNotContain("encapsulated token");
    }

    /** YOURLS's yourls_url columns (includes/functions-install.php), as a CSV export of the table names them. */
    @Test
    void yourlsCsvExport() throws Exception {
        Map<String, Link> links = imported("""
                keyword,url,title,timestamp,ip,clicks
                1,https://example.com/one,"Example, one",2024-01-02 03:04:05,127.0.0.1,5
                ozh,http://ozh.org/,Ozh,2024-02-03 04:05:06,10.0.0.1,0
                """, InputFormat.YOURLS_CSV);
        assertThat(links).containsOnlyKeys("1", "ozh");
        assertThat(links.get("1").title()).isEqualTo("Example, one");
        assertThat(links.get("1").dateCreated()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(links.get("ozh").longUrl()).isEqualTo("http://ozh.org/");
        assertThat(links.get("ozh").customSlug()).isTrue();
    }

    /** The YOURLS Import/Export plugin's CSV (GautamGupta/YOURLS-Import-Export, fileio/csv.php): source /keyword/, target, hits. */
    @Test
    void yourlsImportExportPluginCsv() throws Exception {
        Map<String, Link> links = imported("source,target,hits\r\n/abc/,https://example.com/abc,3\r\n/x-y/,https://example.com/xy,\r\n",
                InputFormat.YOURLS_CSV);
        assertThat(links).containsOnlyKeys("abc", "x-y");
        assertThat(links.get("abc").longUrl()).isEqualTo("https://example.com/abc");
    }

    /**
     * A mysqldump of YOURLS's tables: the yourls_url rows with the table's column order (no column
     * list) and with one, MySQL's string escapes, and the log and options tables skipped.
     */
    @Test
    void yourlsTableDump() throws Exception {
        Map<String, Link> links = imported("""
                -- MySQL dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
                /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
                DROP TABLE IF EXISTS `yourls_url`;
                CREATE TABLE `yourls_url` (
                  `keyword` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
                  `url` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
                  PRIMARY KEY (`keyword`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
                LOCK TABLES `yourls_url` WRITE;
                INSERT INTO `yourls_url` VALUES ('1','https://example.com/one','It\\'s \\"one\\"; (really)','2024-01-02 03:04:05','127.0.0.1',5),
                ('ozh','https://ozh.org/?a=1&b=2','Ozh''s site','2024-02-03 04:05:06','10.0.0.1',0);
                UNLOCK TABLES;
                INSERT INTO `yourls_log` VALUES (1,'2024-01-02 03:04:05','1','direct','Mozilla/5.0','127.0.0.1','US');
                INSERT INTO `yourls_options` VALUES (1,'version','1.10.4');
                INSERT INTO `yourls_url` (`keyword`, `url`, `title`, `timestamp`, `ip`, `clicks`) VALUES ('multi','https://example.com/m',NULL,'2024-03-01 00:00:00','::1',0);
                """, InputFormat.YOURLS_SQL);
        assertThat(links).containsOnlyKeys("1", "ozh", "multi");
        assertThat(links.get("1").title()).isEqualTo("It's \"one\"; (really)");
        assertThat(links.get("ozh").title()).isEqualTo("Ozh's site");
        assertThat(links.get("ozh").longUrl()).isEqualTo("https://ozh.org/?a=1&b=2");
        assertThat(links.get("multi").title()).isNull();
        assertThat(links.get("multi").dateCreated()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    }

    /** Shlink's web client export (ExportShortUrlsBtn): createdAt, domain, shortCode, shortUrl, longUrl, title, tags joined by |, visits. */
    @Test
    void shlinkCsvExport() throws Exception {
        Map<String, Link> links = imported("""
                createdAt,domain,shortCode,shortUrl,longUrl,title,tags,visits
                2023-05-01T10:00:00+02:00,s.test,promo,https://s.test/promo,https://example.com/promo,Promo page,summer|sale,12
                2023-05-02T11:30:00+00:00,s.test,abc12,https://s.test/abc12,https://example.com/plain,,,0
                """, InputFormat.SHLINK_CSV);
        assertThat(links).containsOnlyKeys("promo", "abc12");
        assertThat(links.get("promo").dateCreated()).isEqualTo(Instant.parse("2023-05-01T08:00:00Z"));
        assertThat(links.get("promo").tags()).containsExactly("sale", "summer");
        assertThat(links.get("promo").title()).isEqualTo("Promo page");
        assertThat(links.get("abc12").tags()).isEmpty();
    }

    /** Kutt's GET /api/v2/links answer (server/handlers/links.handler.js, sanitize.link in server/utils/utils.js). */
    @Test
    void kuttLinkList() throws Exception {
        Map<String, Link> links = imported("""
                {"total": 2, "limit": 10, "skip": 0, "data": [
                  {"id": "0f8e6a3c-6b1e-4c47-9f0e-1a2b3c4d5e6f", "address": "kutt1", "banned": false,
                   "created_at": "2024-04-01T08:00:00.000Z", "updated_at": "2024-04-01T08:00:00.000Z",
                   "description": "Kutt <b>link</b>", "expire_in": "2030-01-01T00:00:00.000Z", "password": false,
                   "target": "https://example.com/kutt", "visit_count": 7, "domain": null, "link": "https://kutt.it/kutt1"},
                  {"id": "1f8e6a3c-6b1e-4c47-9f0e-1a2b3c4d5e6f", "address": "k2", "banned": false,
                   "created_at": "2024-04-02 09:00:00", "updated_at": "2024-04-02 09:00:00", "description": null,
                   "expire_in": null, "password": false, "target": "https://example.com/k2", "visit_count": 0,
                   "domain": null, "link": "https://kutt.it/k2"}
                ]}
                """, InputFormat.KUTT_JSON);
        assertThat(links).containsOnlyKeys("kutt1", "k2");
        assertThat(links.get("kutt1").title()).isEqualTo("Kutt <b>link</b>");
        assertThat(links.get("kutt1").validUntil()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(links.get("kutt1").dateCreated()).isEqualTo(Instant.parse("2024-04-01T08:00:00Z"));
        assertThat(links.get("k2").dateCreated()).isEqualTo(Instant.parse("2024-04-02T09:00:00Z"));
    }

    /** A Bitly link export, its columns as Bitly's API v4 names a bitlink's fields (link, long_url, title, created_at, tags). */
    @Test
    void bitlyCsvExport() throws Exception {
        Map<String, Link> links = imported("""
                Title,Bitlink,Long URL,Created,Tags
                "Docs, v2",bit.ly/3xYz9Ab,https://example.com/docs,2022-07-08T09:10:11+0000,"docs,api"
                Home,https://bit.ly/home-page,https://example.com/,2022-07-09T00:00:00+0000,
                """, InputFormat.BITLY_CSV);
        assertThat(links).containsOnlyKeys("3xYz9Ab", "home-page");
        assertThat(links.get("3xYz9Ab").title()).isEqualTo("Docs, v2");
        assertThat(links.get("3xYz9Ab").tags()).containsExactly("api", "docs");
        assertThat(links.get("3xYz9Ab").dateCreated()).isEqualTo(Instant.parse("2022-07-08T09:10:11Z"));
    }

    /**
     * A year typed alone as a date ({@code created_at=2022}) was read as Unix seconds: a link made
     * on 1970-01-01T00:33:42Z. It is refused naming the line and what to write; Unix seconds and
     * milliseconds keep their meaning.
     */
    @Test
    void aBareYearIsRefusedAndUnixSecondsStillRead() throws Exception {
        String content = """
                link,long_url,created_at
                https://bit.ly/year,https://example.com/year,2022
                https://bit.ly/seconds,https://example.com/seconds,1700000000
                https://bit.ly/millis,https://example.com/millis,1700000000123
                https://bit.ly/small,https://example.com/small,86400
                """;
        assertThat(InputFormat.detect(content)).isEqualTo(InputFormat.BITLY_CSV);
        Path input = Files.writeString(dir.resolve("links.csv"), content, StandardCharsets.UTF_8);
        Path data = dir.resolve("goto.data");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, input.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("line 2: skipped: created_at '2022' is a bare number, not a date (a year alone is not a day):"
                + " write a day, e.g. 2022-01-31 or 2022-01-31T12:00:00+00:00")
                .contains("line 5: skipped: created_at '86400' is a bare number, not a date: write a day");
        Map<String, Link> links = new HashMap<>();
        try (LogLinkStore store = LogLinkStore.open(data, LogLinkStore.Options.defaults())) {
            store.forEach(link -> links.put(link.shortCode(), link));
        }
        assertThat(links).containsOnlyKeys("seconds", "millis");
        assertThat(links.get("seconds").dateCreated()).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
        assertThat(links.get("millis").dateCreated()).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
    }

    @Test
    void aPlainListIsStillAPlainList() {
        assertThat(InputFormat.detect("https://example.com/a,b\nhttps://example.com/c\n")).isEqualTo(InputFormat.PLAIN);
        assertThat(InputFormat.detect("docs https://example.com/docs\n")).isEqualTo(InputFormat.PLAIN);
        assertThat(InputFormat.detect("\uFEFF{\"shortCode\":\"a\",\"longUrl\":\"https://example.com\"}\n"))
                .isEqualTo(InputFormat.GOTO_JSONL);
    }
}
