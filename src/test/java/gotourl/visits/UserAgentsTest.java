package gotourl.visits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Yauaa's answers for the agents that matter to counts, and the memo in front of it. */
class UserAgentsTest {
    static final UserAgents YAUAA = UserAgents.yauaa();

    @Test
    void crawlersPreviewersAndHttpLibrariesAreBotsAndBrowsersAreNot() {
        assertThat(YAUAA.classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").bot()).isTrue();
        assertThat(YAUAA.classify("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)").bot()).isTrue();
        assertThat(YAUAA.classify("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)").bot()).isTrue();
        assertThat(YAUAA.classify("curl/8.5.0").bot()).isTrue();
        assertThat(YAUAA.classify("python-requests/2.31.0").bot()).isTrue();
        assertThat(YAUAA.classify(null).bot()).as("no User-Agent at all").isTrue();
        UserAgents.Agent chrome = YAUAA.classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36");
        assertThat(chrome.bot()).isFalse();
        assertThat(chrome.browser()).isEqualTo("Chrome");
        assertThat(chrome.operatingSystem()).isEqualTo("Windows NT");
        UserAgents.Agent iphone = YAUAA.classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1");
        assertThat(iphone.bot()).isFalse();
        assertThat(iphone.operatingSystem()).isEqualTo("iOS");
    }

    @Test
    void eachDistinctAgentIsParsedOnce() throws Exception {
        AtomicInteger parses = new AtomicInteger();
        UserAgents agents = UserAgents.using(ua -> {
            parses.incrementAndGet();
            return new UserAgents.Agent(false, "X", "Y");
        });
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    agents.classify("agent-" + (i % 50));
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(parses.get()).isEqualTo(50);
    }
}
