package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer goto records once per build and reads at the first visit answers every agent as the
 * one built from Yauaa's rules does, and a file that is not such an analyzer is refused (goto then
 * builds from the rules).
 */
class AgentRulesImageTest {
    private static final String[] FIELDS = {UserAgent.DEVICE_CLASS, UserAgent.AGENT_NAME, UserAgent.OPERATING_SYSTEM_NAME};

    @TempDir
    Path dir;

    @Test
    void theRecordedAnalyzerClassifiesYauaasOwnTestAgentsAsTheRulesDo() throws Exception {
        Path file = dir.resolve("goto-agents.ser");
        UserAgents.writeRulesImage(file);
        StringBuilder why = new StringBuilder();
        UserAgentAnalyzer read = AgentRulesImage.read(file, FIELDS, why);
        assertThat(read).as("read back: %s", why).isNotNull();

        List<String> agents = yauaaTestAgents();
        assertThat(agents).as("Yauaa's test agents, from its jar").hasSizeGreaterThan(1000);
        UserAgents rules = UserAgentsTest.YAUAA; // built from the rules, as without the file
        List<String> differ = new ArrayList<>();
        int bots = 0;
        for (String agent : agents) {
            UserAgents.Agent fromRules = rules.classify(agent);
            UserAgents.Agent fromFile = UserAgents.agentOf(read, agent);
            if (!fromFile.equals(fromRules)) {
                differ.add(agent + ": " + fromFile + " against " + fromRules);
            }
            bots += fromFile.bot() ? 1 : 0;
        }
        assertThat(differ).as("agents the recorded analyzer classifies otherwise").isEmpty();
        assertThat(bots).as("bots among them, so that the comparison covers both answers").isBetween(100, agents.size() - 100);
        assertThat(UserAgents.agentOf(read, "curl/8.5.0")).isEqualTo(new UserAgents.Agent(true, "Curl", "Cloud"));
    }

    @Test
    void aFileOfAnotherBuildOrFieldsIsNotRead() throws Exception {
        Path file = dir.resolve("other.ser");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeUTF(AgentRulesImage.header(new String[] {UserAgent.DEVICE_CLASS}));
            out.writeObject(new java.util.ArrayList<String>());
        }
        StringBuilder why = new StringBuilder();
        assertThat(AgentRulesImage.read(file, FIELDS, why)).isNull();
        assertThat(why.toString()).contains("not \"" + AgentRulesImage.header(FIELDS) + "\"");
    }

    @Test
    void aFileHoldingClassesOutsideYauaasIsRefusedBeforeTheyAreMade() throws Exception {
        Path file = dir.resolve("foreign.ser");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeUTF(AgentRulesImage.header(FIELDS));
            out.writeObject(new java.io.File("elsewhere"));
        }
        StringBuilder why = new StringBuilder();
        assertThat(AgentRulesImage.read(file, FIELDS, why)).isNull();
        assertThat(why.toString()).contains("REJECTED");
    }

    @Test
    void aMissingTruncatedOrGarbageFileIsNotRead() throws Exception {
        StringBuilder why = new StringBuilder();
        assertThat(AgentRulesImage.read(dir.resolve("missing.ser"), FIELDS, why)).isNull();
        assertThat(why.toString()).contains("NoSuchFile");

        Path garbage = Files.write(dir.resolve("garbage.ser"), "not serialized at all".getBytes());
        assertThat(AgentRulesImage.read(garbage, FIELDS, new StringBuilder())).isNull();

        Path truncated = dir.resolve("truncated.ser");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(truncated))) {
            out.writeUTF(AgentRulesImage.header(FIELDS));
        }
        why.setLength(0);
        assertThat(AgentRulesImage.read(truncated, FIELDS, why)).isNull();
        assertThat(why).isNotEmpty();
    }

    /** The user agents of Yauaa's own test cases, read from the rule files in its jar (~4,000). */
    private static List<String> yauaaTestAgents() throws Exception {
        URI jar = URI.create("jar:" + UserAgentAnalyzer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> agents = new TreeSet<>();
        try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of()); Stream<Path> files = Files.list(fs.getPath("/UserAgents"))) {
            for (Path yaml : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (String text : Files.readAllLines(yaml)) {
                    String line = text.strip();
                    if (!line.startsWith("user_agent_string")) {
                        continue;
                    }
                    String value = line.substring(line.indexOf(':') + 1).strip();
                    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                        value = value.substring(1, value.length() - 1).replace("''", "'");
                    } else if (value.startsWith("\"")) {
                        continue; // YAML escapes: not worth decoding for a sample of thousands
                    }
                    if (!value.isBlank()) {
                        agents.add(value);
                    }
                }
            }
        }
        return new ArrayList<>(agents);
    }
}
