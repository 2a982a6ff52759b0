package gotourl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import gotourl.RunningGoto;
import gotourl.ShortUrlBase;
import gotourl.apikey.Secret;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web app in a real Chromium against a real goto (file store, an initial API key, ephemeral
 * port): shorten and copy, the QR code decoded, sign in, search, tag filter, sort, edit, delete,
 * batch, stats, and markup in titles shown as text, never run. Each page is saved under
 * {@code target/screenshots/}.
 */
class WebAppBrowserTest extends BrowserTestSupport {
    @Test
    void shortenWithoutSigningInCopyTheLinkAndScanItsQrCode() throws Exception {
        signedOut("/");
        browser.screenshot("shorten");
        WebElement url = browser.find("#url");
        assertThat(browser.find("#more").isDisplayed()).as("options only for a signed-in user").isFalse();
        url.sendKeys("https://example.com/docs/getting-started?from=browser");
        url.sendKeys(Keys.ENTER);
        WebElement shortUrl = browser.visible("#short-url");
        String text = shortUrl.getAttribute("value");
        assertThat(text).startsWith("http://" + HOST + "/");
        String code = text.substring(("http://" + HOST + "/").length());
        assertThat(browser.driver.getCurrentUrl()).as("the form's answer is a page to reload safely").endsWith("/?short=" + code);
        assertThat(app.get("/" + code).headers().firstValue("Location")).contains("https://example.com/docs/getting-started?from=browser");

        browser.find("#copy").click();
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("copy-status"), text));
        assertThat(browser.find("#copy-status").getText()).isEqualTo("Copied " + text);

        WebElement qr = browser.find("#qr");
        assertThat(qr.getAttribute("src")).endsWith("/" + code + "/qr-code?size=200");
        browser.await(d -> (Boolean) browser.script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr));
        browser.screenshot("shorten-result");
        HttpResponse<byte[]> png = app.client().send(HttpRequest.newBuilder(app.uri("/" + code + "/qr-code?size=200")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(decodeQr(png.body())).isEqualTo(text);
    }

    static String decodeQr(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
    }

    @Test
    void aRefusedUrlIsExplainedOnThePageWithWhatWasTyped() throws Exception {
        signedOut("/");
        WebElement url = browser.find("#url");
        // type=url would stop the browser from sending it: the server's own check is what is tested.
        browser.script("arguments[0].type = 'text'", url);
        url.sendKeys("ftp://example.com/file");
        url.sendKeys(Keys.ENTER);
        WebElement problem = browser.visible("#problem");
        assertThat(problem.getText()).contains("add refused").contains("scheme 'ftp' is not allowed");
        assertThat(browser.find("#url").getAttribute("value")).isEqualTo("ftp://example.com/file");
        browser.screenshot("shorten-refused");
    }

    @Test
    void signedInTheFormTakesASlugTagsTitleAndExpiry() throws Exception {
        signedIn("/manage");
        open("/");
        browser.visible("#more");
        browser.find("#url").sendKeys("https://example.com/release-notes");
        browser.find("#slug").sendKeys("notes-2026");
        browser.find("#title").sendKeys("Release notes");
        browser.find("#tags").sendKeys("docs, release");
        browser.find("#shorten-form button[type=submit]").click();
        browser.await(d -> browser.find("#short-url").getAttribute("value").endsWith("/notes-2026"));
        JsonNode link = api("GET", "/short-urls/notes-2026", null);
        assertThat(link.get("title").asText()).isEqualTo("Release notes");
        assertThat(link.get("tags").toString()).isEqualTo("[\"docs\",\"release\"]");

        browser.find("#url").sendKeys("https://example.com/other");
        browser.find("#slug").sendKeys("notes-2026");
        browser.find("#shorten-form button[type=submit]").click();
        assertThat(browser.visible("#problem").getText()).contains("notes-2026");
        browser.screenshot("shorten-signed-in");
    }

    @Test
    void manageSearchFilterSortEditAndDelete() throws Exception {
        String alpha = create("{\"longUrl\":\"https://example.com/alpha\",\"title\":\"Alpha page\",\"tags\":[\"team-a\"]}");
        String beta = create("{\"longUrl\":\"https://example.com/beta\",\"title\":\"Beta page\",\"tags\":[\"team-b\"]}");
        for (int i = 0; i < 3; i++) {
            app.get("/" + beta);
        }
        awaitVisits(beta, 3);

        signedIn("/manage");
        browser.visible("#links-body tr[data-short-code='" + alpha + "']");
        assertThat(browser.find("#session").isDisplayed()).isTrue();
        browser.screenshot("manage");

        WebElement search = browser.find("#search");
        search.sendKeys("Alpha");
        search.sendKeys(Keys.ENTER);
        browser.await(d -> codes().equals(List.of(alpha)));

        search.clear();
        new Select(browser.find("#tag")).selectByVisibleText("team-b");
        browser.await(d -> codes().equals(List.of(beta)));
        new Select(browser.find("#tag")).selectByIndex(0);
        new Select(browser.find("#order")).selectByValue("visits-DESC");
        browser.await(d -> !codes().isEmpty() && codes().get(0).equals(beta));

        browser.find("#links-body tr[data-short-code='" + alpha + "'] button.edit").click();
        WebElement title = browser.visible("#edit-link-title");
        title.clear();
        title.sendKeys("Alpha, renamed");
        browser.screenshot("manage-edit");
        browser.find("#edit-save").click();
        browser.await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#links-body tr[data-short-code='" + alpha + "'] .link-title"), "Alpha, renamed"));
        assertThat(api("GET", "/short-urls/" + alpha, null).get("title").asText()).isEqualTo("Alpha, renamed");

        browser.find("#links-body tr[data-short-code='" + alpha + "'] button.delete").click();
        Alert confirm = browser.await(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains(alpha).contains("Delete");
        confirm.dismiss();
        assertThat(app.get("/" + alpha).statusCode()).as("dismissed: kept").isEqualTo(302);
        browser.find("#links-body tr[data-short-code='" + alpha + "'] button.delete").click();
        browser.await(ExpectedConditions.alertIsPresent()).accept();
        browser.await(d -> !codes().contains(alpha));
        assertThat(app.get("/" + alpha).statusCode()).isEqualTo(404);
    }

    @Test
    void editingOnlyTheTitleKeepsATagThatHoldsACommaAndTheExpirysSecondsAndTagsAreEditedOneByOne() throws Exception {
        // The REST API takes any string as a tag; the dialog once showed them joined by commas and
        // split them again on save, so "a,b" came back as "a" and "b". Its expiry field holds
        // minutes, and saving cut the seconds off.
        String code = create("{\"longUrl\":\"https://example.com/comma-tag\",\"title\":\"Comma tag\",\"tags\":[\"a,b\",\"x\"],"
                + "\"validUntil\":\"2031-01-02T03:04:05+00:00\"}");
        signedIn("/manage");
        String row = "#links-body tr[data-short-code='" + code + "']";
        browser.visible(row).findElement(By.cssSelector("button.edit")).click();
        WebElement title = browser.visible("#edit-link-title");
        title.clear();
        title.sendKeys("Comma tag, renamed");
        browser.find("#edit-save").click();
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(row + " .link-title"), "Comma tag, renamed"));
        JsonNode link = api("GET", "/short-urls/" + code, null);
        assertThat(link.get("title").asText()).isEqualTo("Comma tag, renamed");
        assertThat(link.get("tags").toString()).isEqualTo("[\"a,b\",\"x\"]");
        assertThat(link.path("meta").path("validUntil").asText()).isEqualTo("2031-01-02T03:04:05+00:00");

        // Removing one tag and typing new ones leaves the tag with a comma as it is.
        browser.find(row + " button.edit").click();
        browser.visible("#edit-link-title");
        assertThat(editTags()).as("one chip per tag").containsExactly("a,b", "x");
        browser.find("#edit-tag-list button[aria-label='Remove the tag x']").click();
        WebElement add = browser.find("#edit-tags");
        add.sendKeys("y,");
        browser.await(d -> editTags().equals(List.of("a,b", "y")));
        add.sendKeys("z");
        browser.screenshot("manage-edit-tags");
        browser.find("#edit-save").click();
        browser.await(d -> !browser.find("#edit-dialog").isDisplayed());
        assertThat(api("GET", "/short-urls/" + code, null).get("tags").toString()).isEqualTo("[\"a,b\",\"y\",\"z\"]");
    }

    List<String> editTags() {
        return ((List<?>) browser.script("return [...document.querySelectorAll('#edit-tag-list .tag')].map(t => t.textContent)"))
                .stream().map(String::valueOf).toList();
    }

    List<String> codes() {
        // Read in one step in the page: the list is redrawn while a filter loads.
        return ((List<?>) browser.script("return [...document.querySelectorAll('#links-body tr[data-short-code]')]"
                + ".map(row => row.dataset.shortCode)")).stream().map(String::valueOf).toList();
    }

    @Test
    void aBatchOfPastedUrlsIsShortenedAndTheRefusedOnesSayWhy() throws Exception {
        signedIn("/manage");
        WebElement urls = browser.visible("#batch-urls");
        urls.sendKeys("https://example.com/batch-1\nhttps://example.com/batch-2\nnot a url\n");
        browser.find("#batch-form button[type=submit]").click();
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("batch-status"), "2 of 3 shortened"));
        List<WebElement> results = browser.all("#batch-results li");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).getText()).contains("http://" + HOST + "/").contains("https://example.com/batch-1");
        assertThat(results.get(2).getAttribute("class")).isEqualTo("refused");
        assertThat(api("GET", "/short-urls?searchTerm=batch-", null).path("shortUrls").path("pagination").path("totalItems").asInt())
                .isEqualTo(2);
        browser.screenshot("manage-batch");
    }

    @Test
    void markupInATitleAndAVeryLongUrlAreShownAsTextAndNeverRun() throws Exception {
        String title = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> & \"quotes\"";
        String longUrl = "https://example.com/" + "very-long-path-segment/".repeat(120) + "end?q=1";
        String code = create(JSON.writeValueAsString(java.util.Map.of("longUrl", longUrl, "title", title, "tags", List.of("xss"))));
        signedIn("/manage");
        WebElement row = browser.visible("#links-body tr[data-short-code='" + code + "']");
        assertThat(row.findElement(By.cssSelector(".link-title")).getText()).isEqualTo(title);
        assertThat(row.findElement(By.cssSelector("a.long-url")).getAttribute("href")).isEqualTo(longUrl);
        assertThat(browser.script("return window.pwned")).as("the title's script never ran").isNull();
        assertThat(row.findElements(By.tagName("script"))).isEmpty();
        assertThat(row.findElements(By.tagName("img"))).isEmpty();
        assertThat((Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth"))
                .as("a long URL does not widen the page").isLessThanOrEqualTo(0L);

        open("/stats/" + code);
        browser.visible("#stats-long-url .link-title");
        assertThat(browser.find("#stats-long-url .link-title").getText()).isEqualTo(title);
        assertThat(browser.script("return window.pwned")).isNull();
        browser.screenshot("stats-markup-title");
    }

    @Test
    void statsShowVisitsPerDayReferrersBrowsersSystemsAndBots() throws Exception {
        String code = create("{\"longUrl\":\"https://example.com/stats\",\"title\":\"Stats demo\"}");
        String[][] visits = {
            {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
                "https://news.example.org/item?id=1"},
            {"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", "https://news.example.org/item?id=2"},
            {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0"
                + " Mobile/15E148 Safari/604.1", "https://mail.example.net/"},
            {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", null},
        };
        for (String[] visit : visits) {
            HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/" + code)).header("User-Agent", visit[0]);
            if (visit[1] != null) {
                request.header("Referer", visit[1]);
            }
            assertThat(app.send(request.build()).statusCode()).isEqualTo(302);
        }
        awaitVisits(code, 4);
        signedIn("/stats/" + code);
        browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "4 visits"));
        assertThat(browser.find("#bots-line").getText()).isEqualTo("Bots: 1 of 4 (25%)");
        assertThat(browser.all("#chart svg rect.humans")).isNotEmpty();
        assertThat(browser.all("#chart svg rect.bots")).isNotEmpty();
        WebElement topReferrer = browser.find("#referrers tbody tr");
        assertThat(topReferrer.getText()).contains("news.example.org").contains("2");
        assertThat(browser.find("#browsers").getText()).contains("Chrome").contains("Firefox");
        assertThat(browser.find("#operating-systems").getText()).contains("Windows");
        browser.screenshot("stats");
    }

    @Test
    void theStatsPageOfALinkWithoutATitleShowsItsUrlAndNoNull() throws Exception {
        String longUrl = "https://example.com/untitled";
        String code = create("{\"longUrl\":\"" + longUrl + "\"}");
        signedIn("/stats/" + code);
        browser.visible("#stats-long-url a.long-url");
        assertThat(browser.find("#stats-long-url").getText()).isEqualTo(longUrl);
        assertThat(browser.all("#stats-long-url .link-title")).isEmpty();
        assertThat(browser.find("main").getText()).doesNotContain("null");
    }

    @Test
    void pagesAreReadableAtAPhonesWidth() throws Exception {
        create("{\"longUrl\":\"https://example.com/phone\",\"title\":\"On a phone\",\"tags\":[\"mobile\"]}");
        browser.resize(390, 844);
        signedOut("/");
        assertThat((Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth")).isLessThanOrEqualTo(0L);
        browser.screenshot("phone-shorten");
        signedIn("/manage");
        browser.visible("#links-body tr[data-short-code]");
        assertThat((Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth")).isLessThanOrEqualTo(0L);
        browser.screenshot("phone-manage");
    }

    @Test
    void everyControlHasALabel() throws Exception {
        // The stats page of a link goto holds: another code's is the 404 page.
        String code = create("{\"longUrl\":\"https://example.com/labelled\"}");
        for (String path : new String[] {"/", "/manage", "/feed", "/stats/" + code}) {
            open(path);
            Object unlabelled = browser.script("""
                    return [...document.querySelectorAll('input, select, textarea')]
                        .filter(c => c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label')
                            && !c.getAttribute('aria-labelledby'))
                        .map(c => c.id || c.name);""");
            assertThat((List<?>) unlabelled).as("controls without a label on %s", path).isEmpty();
        }
    }

    static Path screenshot(String name) {
        return Browser.SCREENSHOTS.resolve(name + ".png");
    }

    static boolean saved(String name) {
        return Files.isRegularFile(screenshot(name));
    }
}
