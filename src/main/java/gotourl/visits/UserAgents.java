package gotourl.visits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells user agents apart: bot or not, browser, operating system. The rules are Yauaa's (chosen
 * over uap-java by measurement, see BENCHMARKS.md: it knows HTTP libraries and link previewers
 * as bots, as Shlink's CrawlerDetect does, and is released monthly). A parse costs hundreds of
 * microseconds and the same few agents repeat, so results are memoized by the agent string in
 * a bounded Caffeine cache: the seeds' duplicate-suppressing memo, where a second caller of a
 * string being parsed waits for that parse rather than parsing it again.
 *
 * <p>Loading the rules takes a second or more of CPU and tens of MB of heap (BENCHMARKS.md); less
 * when {@code ./goto} recorded the built analyzer ({@link AgentRulesImage}), which is then read
 * rather than built. So
 * the visits worker starts loading them in the background when the first visit comes
 * ({@link #startLoading}, on a thread named {@code goto-agents} that ends when they are loaded),
 * never on goto's start path nor on a request thread; it holds the visits that come meanwhile and
 * classifies them once {@link #isReady}. {@link #classify} before then loads them on the caller.
 */
public final class UserAgents {
    private static final Logger LOG = LoggerFactory.getLogger("goto.visits");
    /**
     * Distinct agents remembered. A busy site sees a few thousand distinct agents a day; 10,000
     * entries of ~400 bytes are ~4 MB, and a flood of random agents only evicts, never grows.
     */
    public static final int CACHE_ENTRIES = 10_000;

    /**
     * What an agent is.
     *
     * @param bot             a robot, crawler, link previewer, monitor or HTTP library
     * @param browser         the agent's name ({@code Chrome}, {@code curl}, {@code Googlebot})
     * @param operatingSystem the operating system's name, "Unknown" when it cannot tell
     */
    public record Agent(boolean bot, String browser, String operatingSystem) {}

    /** Requests that say nothing of themselves are counted as bots, as Shlink does. */
    static final Agent NO_AGENT = new Agent(true, "Unknown", "Unknown");

    private final Function<String, Agent> parser;
    private final Cache<String, Agent> cache;
    private volatile Thread loader;
    private volatile String loadFailure;
    /** For tests: rules that are "loaded" once this is counted down; null for the real ones. */
    private final java.util.concurrent.CountDownLatch loaded;
    private volatile boolean loadingStarted;

    private UserAgents(Function<String, Agent> parser) {
        this(parser, null);
    }

    private UserAgents(Function<String, Agent> parser, java.util.concurrent.CountDownLatch loaded) {
        this.parser = parser;
        this.loaded = loaded;
        // Maintenance on the caller (the visits worker), not on the common pool: goto owns its threads.
        this.cache = Caffeine.newBuilder().maximumSize(CACHE_ENTRIES).executor(Runnable::run).recordStats().build();
    }

    /** Yauaa's rules, loaded on first use. */
    public static UserAgents yauaa() {
        return new UserAgents(new YauaaParser());
    }

    /** Classification by a function of the agent string, for tests that need a known answer or a slow parse. */
    public static UserAgents using(Function<String, Agent> parser) {
        return new UserAgents(parser);
    }

    /**
     * For tests: classification by {@code parser} whose "rules" count as loaded only once
     * {@code loaded} is counted down, as Yauaa's are after a while; a classification waits for it.
     */
    static UserAgents loadingUntil(Function<String, Agent> parser, java.util.concurrent.CountDownLatch loaded) {
        return new UserAgents(agent -> {
            try {
                loaded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return parser.apply(agent);
        }, loaded);
    }

    /** True once {@link #startLoading} was called. */
    boolean loadingStarted() {
        return loadingStarted;
    }

    /** The agent behind {@code userAgent}; a null or blank one is a bot (no browser sends none). */
    public Agent classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return NO_AGENT;
        }
        return cache.get(userAgent, parser);
    }

    /**
     * Starts loading the rules on a thread of its own ({@code goto-agents}), which ends once they
     * are loaded or failed to ({@link #loadFailure}). Returns at once; calling it again does nothing.
     */
    public synchronized void startLoading() {
        loadingStarted = true;
        if (loader != null || isReady() || loaded != null) {
            return;
        }
        Thread thread = new Thread(() -> {
            long began = System.nanoTime();
            try {
                YauaaParser.analyzer();
                LOG.info("visits: user-agent rules loaded ({}) in {} ms; visits held meanwhile are recorded now",
                        YauaaParser.source, (System.nanoTime() - began) / 1_000_000);
            } catch (RuntimeException | Error e) {
                loadFailure = "loading the user-agent rules failed: " + e;
            }
        }, "goto-agents");
        thread.setDaemon(true); // a stop does not wait for rules nobody will use
        loader = thread;
        thread.start();
    }

    /** True once {@link #classify} answers without loading anything: the rules are loaded (or none are needed). */
    public boolean isReady() {
        if (loaded != null) {
            return loaded.getCount() == 0;
        }
        return !(parser instanceof YauaaParser) || YauaaParser.analyzer != null;
    }

    /** Why the rules could not be loaded, or null. */
    public String loadFailure() {
        return loadFailure;
    }

    /** Waits up to {@code millis} for the background load to end; true if the rules are ready. */
    public boolean awaitReady(long millis) throws InterruptedException {
        Thread thread = loader;
        if (thread != null) {
            thread.join(Math.max(1, millis));
        } else if (!isReady()) {
            Thread.sleep(Math.max(1, millis)); // rules a test makes ready, or a load not started yet
        }
        return isReady();
    }

    /** Share of classifications answered from the memo, for metrics. */
    public double hitRate() {
        return cache.stats().hitRate();
    }

    /** Loads the rules now (on the calling thread), if the parser loads lazily. */
    public void load() {
        classify("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
    }

    /** What {@code analyzer} makes of {@code userAgent}, in goto's terms. */
    static Agent agentOf(UserAgentAnalyzer analyzer, String userAgent) {
        UserAgent parsed = analyzer.parse(userAgent);
        String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
        // Yauaa's classes for what is not a person at a browser: Robot, Robot Mobile, Robot
        // Imitator (a bot pretending to be a browser), Hacker (scanners), Spy.
        boolean bot = deviceClass.startsWith("Robot") || deviceClass.equals("Hacker") || deviceClass.equals("Spy");
        return new Agent(bot, parsed.getValue(UserAgent.AGENT_NAME), parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME));
    }

    /**
     * Builds Yauaa's analyzer from its rules and writes it to {@code file} for {@link AgentRulesImage}
     * (seconds of CPU). Never uses the analyzer this process classifies with: one that parsed
     * agents does not serialize faithfully.
     *
     * @throws IOException if the file cannot be written
     */
    static void writeRulesImage(java.nio.file.Path file) throws java.io.IOException {
        AgentRulesImage.write(file, YauaaParser.FIELDS, YauaaParser.build());
    }

    /**
     * Yauaa with the three fields goto reads, read from {@link AgentRulesImage}'s file when one is named
     * and usable, otherwise built from its rules; once per process: the rules are immutable and
     * the same for every goto a process runs (the tests run many), and building them costs seconds.
     */
    private static final class YauaaParser implements Function<String, Agent> {
        /** The fields goto reads: the device class (bot or not), the agent's name, the operating system's. */
        static final String[] FIELDS = {UserAgent.DEVICE_CLASS, UserAgent.AGENT_NAME, UserAgent.OPERATING_SYSTEM_NAME};
        private static volatile UserAgentAnalyzer analyzer;
        /** Where {@link #analyzer} came from, for the log. */
        private static volatile String source;

        @Override
        public Agent apply(String userAgent) {
            return agentOf(analyzer(), userAgent);
        }

        private static UserAgentAnalyzer analyzer() {
            UserAgentAnalyzer loaded = analyzer;
            if (loaded == null) {
                synchronized (YauaaParser.class) {
                    loaded = analyzer;
                    if (loaded == null) {
                        loaded = fromImage();
                        source = loaded != null ? "read from " + System.getProperty(AgentRulesImage.PROPERTY) : "built from Yauaa's rules";
                        if (loaded == null) {
                            loaded = build();
                        }
                        analyzer = loaded;
                    }
                }
            }
            return loaded;
        }

        /** The analyzer in the file {@link AgentRulesImage#PROPERTY} names, or null (none named, or not usable: logged). */
        private static UserAgentAnalyzer fromImage() {
            String file = System.getProperty(AgentRulesImage.PROPERTY);
            if (file == null || file.isBlank()) {
                return null;
            }
            StringBuilder why = new StringBuilder();
            UserAgentAnalyzer read = AgentRulesImage.read(java.nio.file.Path.of(file), FIELDS, why);
            if (read == null) {
                LOG.warn("visits: the user-agent rules in {} are not used ({}); building them from Yauaa's rules", file, why);
            }
            return read;
        }

        /** Yauaa's analyzer for {@link #FIELDS}, built from its rules: seconds of CPU. */
        static UserAgentAnalyzer build() {
            return UserAgentAnalyzer.newBuilder()
                    .hideMatcherLoadStats()
                    .withCache(0) // goto's own memo sits in front
                    .dropTests()
                    .withFields(java.util.List.of(FIELDS))
                    .immediateInitialization()
                    .build();
        }
    }
}
