package gotourl.compare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * One user-agent library in a fresh JVM: CPU and time to load its rules, heap they keep, CPU per
 * parse of agents no cache has seen, and how many of {@link Agents#ALL} it tells apart as bot or
 * not. Run through {@code bench/compare/run agents}.
 */
public final class UserAgentLibraries {
    record Parsed(boolean bot, String browser, String os) {}

    private UserAgentLibraries() {}

    public static void main(String[] args) throws Exception {
        String lib = args[0];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.gc();
        long heapBefore = usedHeap();
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        Function<String, Parsed> parser = switch (lib) {
            case "uap" -> uap();
            case "yauaa-all" -> yauaa(List.of());
            case "yauaa-bot" -> yauaa(List.of(UserAgent.DEVICE_CLASS));
            default -> yauaa(List.of(UserAgent.DEVICE_CLASS, UserAgent.AGENT_NAME, UserAgent.OPERATING_SYSTEM_NAME));
        };
        parser.apply(Agents.ALL.get(0).ua());
        long loadCpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
        long loadWallMs = (System.nanoTime() - wall) / 1_000_000;
        System.gc();
        Thread.sleep(200);
        System.gc();
        long heapMb = (usedHeap() - heapBefore) >> 20;
        int right = 0;
        List<String> wrong = new ArrayList<>();
        for (Agents.Agent agent : Agents.ALL) {
            if (parser.apply(agent.ua()).bot() == agent.bot()) {
                right++;
            } else {
                wrong.add((agent.bot() ? "missed bot: " : "false bot: ") + (agent.ua().isEmpty() ? "(empty)" : agent.ua()));
            }
        }
        int n = 3_000;
        String[] fresh = new String[n];
        for (int i = 0; i < n; i++) {
            String base = Agents.ALL.get(i % Agents.ALL.size()).ua();
            fresh[i] = base.isEmpty() ? "agent/" + i : base.replaceFirst("[0-9]+", String.valueOf(i));
        }
        double usPerParse = 0;
        for (int round = 0; round < 3; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (String ua : fresh) {
                parser.apply(ua);
            }
            usPerParse = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / n;
        }
        System.out.printf("%s: rules loaded in %,d ms CPU (%,d ms wall), %d MB of heap kept; %.0f µs CPU per new agent"
                + " (third round of %d); bot or not right for %d of %d agents%n", lib, loadCpuMs, loadWallMs, heapMb, usPerParse,
                n, right, Agents.ALL.size());
        wrong.forEach(w -> System.out.println("    " + w));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static Function<String, Parsed> uap() {
        ua_parser.Parser parser = new ua_parser.Parser();
        return ua -> {
            ua_parser.Client client = parser.parse(ua);
            return new Parsed("Spider".equals(client.device.family), client.userAgent.family, client.os.family);
        };
    }

    /** Yauaa computing only {@code fields} (all of them when empty): what it loads depends on what is asked. */
    private static Function<String, Parsed> yauaa(List<String> fields) {
        var builder = UserAgentAnalyzer.newBuilder().hideMatcherLoadStats().withCache(0).dropTests();
        if (!fields.isEmpty()) {
            builder.withFields(fields);
        }
        UserAgentAnalyzer analyzer = builder.immediateInitialization().build();
        return ua -> {
            UserAgent parsed = analyzer.parse(ua);
            String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
            boolean bot = deviceClass.startsWith("Robot") || deviceClass.equals("Hacker") || deviceClass.equals("Spy");
            return new Parsed(bot, parsed.getValue(UserAgent.AGENT_NAME), parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME));
        };
    }
}
