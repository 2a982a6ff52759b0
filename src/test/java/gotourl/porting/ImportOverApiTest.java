package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.RunningGoto;
import gotourl.api.TestApiKeys;
import gotourl.link.Link;
import gotourl.store.MemoryLinkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goto import -url}: into a running goto over a real socket, through its batch API, 1,000 links a call. */
class ImportOverApiTest {
    @TempDir
    Path dir;

    @Test
    void importsThroughTheBatchApiIdempotentlyWithConflictsPerLine() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options())) {
            app.service().store().create(gotourl.link.LinkDraft.of("https://example.com/mine").withCustomSlug("taken")).join();
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 1_500; i++) {
                lines.append("s").append(i).append(" https://example.com/page/").append(i).append('\n');
            }
            lines.append("taken https://example.com/theirs\n");
            lines.append("https://example.com/no-code\n");
            lines.append("add https://example.com/reserved\n");
            lines.append("https://example.com/no-code\n"); // again, in the same batch: the same link, unchanged
            Path input = Files.writeString(dir.resolve("links.txt"), lines);
            Path keyFile = Files.writeString(dir.resolve("key"), TestApiKeys.ADMIN + "\n");
            String url = "http://127.0.0.1:" + app.service().appPort();

            CliRun first = CliRun.of(Map.of(), "import", "-url", url, "-api-key-file", keyFile.toString(), input.toString());
            assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
            assertThat(first.out()).contains("1501 added, 1 unchanged, 1 conflict, 1 invalid").contains("into " + url);
            assertThat(first.err()).contains("line 1501: skipped: the short code 'taken' is in use by a link to https://example.com/mine")
                    .contains("line 1503: skipped: ").contains("'add' is a path goto uses itself");
            Link page = app.service().store().lookup("s1500");
            assertThat(page.longUrl()).isEqualTo("https://example.com/page/1500");
            assertThat(page.author()).as("created by the key, as the API records it").isEqualTo("k-admin");
            assertThat(app.service().store().linksTo("https://example.com/no-code")).hasSize(1);

            // The API's dates are to the second: a link is "there before" a batch sent in a later second.
            Thread.sleep(1_000 - System.currentTimeMillis() % 1_000);
            CliRun second = CliRun.of(Map.of("GOTO_API_KEY", TestApiKeys.ADMIN), "import", "-url", url, input.toString());
            assertThat(second.out()).as(second.err()).contains("0 added, 1502 unchanged, 1 conflict, 1 invalid");
            assertThat(app.service().store().size()).isEqualTo(1 + 1_501);

            CliRun badKey = CliRun.of(Map.of("GOTO_API_KEY", "not-a-key-0123456789"), "import", "-url", url, input.toString());
            assertThat(badKey.exitCode()).isEqualTo(1);
            assertThat(badKey.err()).contains("answered 401");
        }
    }

    /** A port nothing listens on: the import says so in one sentence, once punctuated (it once ended "running there?."). */
    @Test
    void aGotoThatIsNotThereIsNamedInOneSentence() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path input = Files.writeString(dir.resolve("links.txt"), "https://example.com/a\n");
        Path keyFile = Files.writeString(dir.resolve("key"), TestApiKeys.ADMIN + "\n");
        String url = "http://127.0.0.1:" + closed;

        CliRun run = CliRun.of(Map.of(), "import", "-url", url, "-api-key-file", keyFile.toString(), input.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot connect to " + url + "/rest/v3/short-urls/batch: is goto running there? The links")
                .doesNotContain("?.");
    }

    @Test
    void theKeyIsNeverTakenFromTheCommandLine() {
        CliRun run = CliRun.of(Map.of(), "import", "-url", "http://127.0.0.1:1", "in.txt");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("-api-key-file").contains("GOTO_API_KEY");
    }
}
