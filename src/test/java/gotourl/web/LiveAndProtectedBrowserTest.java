package gotourl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A protected link made on the shorten page and unlocked by a visitor in the browser, and the live
 * feed showing new links and visits as they happen (its one-time ticket traded for the key).
 */
class LiveAndProtectedBrowserTest extends BrowserTestSupport {
    static HttpServer landing;

    /** Where protected links lead: a page of this test, so the browser really arrives somewhere. */
    @BeforeAll
    static void startLanding() throws Exception {
        landing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        landing.createContext("/", exchange -> {
            byte[] body = "<!DOCTYPE html><title>Landed</title><h1 id=landed>You have arrived</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        landing.start();
    }

    @AfterAll
    static void stopLanding() {
        landing.stop(0);
    }

    static String landingUrl(String path) {
        return "http://127.0.0.1:" + landing.getAddress().getPort() + path;
    }

    @Test
    void aLinkMadeWithAPasswordOnTheShortenPageAsksItsVisitorsForIt() throws Exception {
        signedIn("/manage");
        open("/");
        browser.visible("#more");
        browser.find("#url").sendKeys(landingUrl("/secret-plans"));
        browser.find("#slug").sendKeys("plans");
        browser.find("#password").sendKeys("correct horse battery");
        browser.find("#shorten-form button[type=submit]").click();
        browser.await(d -> browser.find("#short-url").getAttribute("value").endsWith("/plans"));
        assertThat(api("GET", "/short-urls/plans", null).get("passwordProtected").asBoolean()).isTrue();

        browser.driver.switchTo().newWindow(WindowType.TAB);
        open("/plans");
        browser.visible("input[type=password]");
        assertThat(browser.driver.getPageSource()).as("the long URL is not revealed before the password")
                .doesNotContain("secret-plans");
        browser.screenshot("protected-password-page");
        browser.find("input[type=password]").sendKeys("wrong password!");
        browser.find("form button[type=submit]").click();
        browser.visible("input[type=password]");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("secret-plans");
        unlock("correct horse battery");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(landingUrl("/secret-plans"));
        browser.driver.close();
        browser.driver.switchTo().window(browser.driver.getWindowHandles().iterator().next());
    }

    /** Types {@code password} on the password page shown and waits for the landing page. */
    void unlock(String password) {
        browser.visible("input[type=password]").sendKeys(password);
        browser.find("form button[type=submit]").click();
        browser.visible("#landed");
    }

    @Test
    void theFeedShowsLinksAndVisitsAsTheyHappenWithTheirTextAsText() throws Exception {
        signedIn("/feed");
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("feed-status"), "Live"));
        String title = "<script>window.pwned = 1</script> live";
        String code = create(JSON.writeValueAsString(java.util.Map.of("longUrl", "https://example.com/live", "title", title)));
        browser.await(d -> eventTexts().stream().anyMatch(text -> text.contains("LINK") && text.contains("/" + code)));
        assertThat(browser.find("#events .link-title").getText()).isEqualTo(title);
        app.send(HttpRequest.newBuilder(app.uri("/" + code)).header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
                .header("Referer", "https://search.example.org/").build());
        browser.await(d -> eventTexts().stream().anyMatch(text -> text.contains("BOT VISIT") && text.contains("/" + code)
                && text.contains("search.example.org")));
        assertThat(browser.script("return window.pwned")).isNull();

        // A visitor unlocks a protected link in another tab: the visit shows here.
        String feedTab = browser.driver.getWindowHandle();
        create("{\"longUrl\":\"" + landingUrl("/members") + "\",\"customSlug\":\"members\",\"password\":\"open sesame 123\"}");
        browser.driver.switchTo().newWindow(WindowType.TAB);
        open("/members");
        unlock("open sesame 123");
        browser.driver.close();
        browser.driver.switchTo().window(feedTab);
        browser.await(d -> eventTexts().stream().anyMatch(text -> text.contains("VISIT")
                && text.contains("/members")));
        browser.screenshot("feed");
    }

    List<String> eventTexts() {
        return ((List<?>) browser.script("return [...document.querySelectorAll('#events li')].map(li => li.innerText)"))
                .stream().map(String::valueOf).toList();
    }
}
