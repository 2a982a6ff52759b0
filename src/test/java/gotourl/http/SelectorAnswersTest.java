package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable group commit is answered from the application listener's selector thread, handed
 * over once per commit rather than once per add (BENCHMARKS.md, "Durable adds"), and nothing
 * handed over is lost when goto stops.
 */
class SelectorAnswersTest {
    private static final Pattern COMMITS = Pattern.compile("(?m)^goto_writer_batch_records_count\\S* ([0-9.E]+)$");

    @TempDir
    Path dir;

    @Test
    void concurrentDurableAddsAreAnsweredWithOneHandOffPerGroupCommit() throws Exception {
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")))) {
            SelectorAnswers answers = app.service().web().selectorAnswers();
            long commitsBefore = commits(app);
            long handOffsBefore = answers.handOffs();
            int clients = 48;
            List<CompletableFuture<HttpResponse<String>>> adds = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                adds.add(app.client().sendAsync(HttpRequest.newBuilder(app.uri("/add"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("url=" + URLEncoder.encode("https://example.com/page/" + i,
                                StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < clients; i++) {
                HttpResponse<String> response = adds.get(i).get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as("add %d: %s", i, response.body()).isEqualTo(200);
                String key = RunningGoto.keyOf(response.body());
                keys.add(key);
                // Read from the store, not redirected to: 48 visits would keep the stop waiting for the visit log.
                assertThat(app.service().store().lookup(key).longUrl()).isEqualTo("https://example.com/page/" + i);
            }
            assertThat(keys).hasSize(clients);

            long commits = commits(app) - commitsBefore;
            long handOffs = answers.handOffs() - handOffsBefore;
            assertThat(commits).as("group commits").isBetween(1L, (long) clients);
            assertThat(handOffs).as("hand-offs to the selector, one per group commit").isEqualTo(commits);
        }
    }

    @Test
    void aTaskRunsOnTheSelectorWhileGotoServesAndOnTheCallerOnceItHasStopped() throws Exception {
        Executor answers;
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")))) {
            answers = app.service().web().answers();
            CompletableFuture<List<String>> frames = new CompletableFuture<>();
            answers.execute(() -> frames.complete(StackWalker.getInstance().walk(stack -> stack
                    .map(StackWalker.StackFrame::getClassName).toList())));
            assertThat(frames.get(10, TimeUnit.SECONDS)).as("the task's stack")
                    .anyMatch(name -> name.startsWith("org.eclipse.jetty.io.ManagedSelector"));
            assertThat(app.shutdown()).isTrue();
        }
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        answers.execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).as("after the stop, at once on the caller's thread").isSameAs(Thread.currentThread());
    }

    private static long commits(RunningGoto app) throws Exception {
        String metrics = app.admin("/metrics").body();
        Matcher count = COMMITS.matcher(metrics);
        assertThat(count.find()).as("the group commit count in /metrics").isTrue();
        return (long) Double.parseDouble(count.group(1));
    }
}
