package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.visits.AgentRulesImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A goto given the user-agent rules {@code ./goto} records ({@code -Dgoto.agentRules=FILE}) reads
 * them at the first visit with an agent, and its visits keep what they record without the file:
 * bot or not, browser and operating system, in the link's aggregates.
 */
class AgentRulesImageOverHttpTest {
    private static final String KEY = "rules-image-0123456789abcdef";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    @TempDir
    Path dir;

    @Test
    void visitsClassifiedWithTheRecordedRulesCountBrowsersSystemsAndBots() throws Exception {
        Path rules = dir.resolve("goto-agents.ser");
        AgentRulesImage.main(new String[] {rules.toString()});
        assertThat(rules).isRegularFile();

        try (ChildGoto child = ChildGoto.startWithJvmOptions(dir.resolve("goto.log"), List.of("-D" + AgentRulesImage.PROPERTY + "=" + rules),
                "-http=127.0.0.1:0", "-admin=127.0.0.1:0", "-host=goto.test", "-file=" + dir.resolve("goto.data"),
                "-initial-api-key=" + KEY).awaitServing(Duration.ofSeconds(60));
             HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            String base = "http://127.0.0.1:" + child.appPort();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/add"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("url=https%3A%2F%2Fexample.com%2Fa")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(200);
            String code = added.body().strip().substring("http://goto.test/".length());
            for (String agent : List.of(FIREFOX, GOOGLEBOT, FIREFOX)) {
                HttpRequest visit = HttpRequest.newBuilder(URI.create(base + "/" + code)).header("User-Agent", agent).build();
                assertThat(http.send(visit, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(302);
            }
            VisitsOverHttpTest.awaitRecorded(http, child.adminPort(), 3);
            assertThat(child.log()).contains("user-agent rules loaded (read from " + rules + ")").doesNotContain("are not used");

            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/rest/v3/short-urls/" + code + "/visits/aggregate"))
                    .header("X-Api-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode aggregate = new ObjectMapper().readTree(answer.body()).get("aggregate");
            assertThat(aggregate.get("visitsSummary").get("total").asInt()).isEqualTo(3);
            assertThat(aggregate.get("visitsSummary").get("nonBots").asInt()).as("Googlebot is a bot, Firefox is not").isEqualTo(2);
            assertThat(names(aggregate.get("browsers"))).containsExactlyInAnyOrder("Firefox=2", "Googlebot=1");
            assertThat(names(aggregate.get("operatingSystems"))).contains("Linux=2");
        }
    }

    private static List<String> names(JsonNode counts) {
        List<String> names = new ArrayList<>();
        for (JsonNode count : counts) {
            names.add(count.get("name").asText() + "=" + count.get("count").asInt());
        }
        return names;
    }
}
