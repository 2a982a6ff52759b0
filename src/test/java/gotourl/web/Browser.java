package gotourl.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its chromedriver through Selenium: a real browser for the
 * web app's tests, with a fresh profile each time. Selenium is told where both are, so it never
 * tries to download a browser. Tests are skipped, saying why, only when Chromium is not installed
 * ({@code .ci/run} installs it).
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium, or aborts the calling test (skipped) when Chromium or its driver is absent. */
    static Browser start() throws IOException {
        String chromium = firstExecutable(CHROMIUM);
        String chromedriver = firstExecutable(DRIVER);
        Assumptions.assumeTrue(chromium != null && chromedriver != null,
                "the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver;"
                        + " .ci/run installs them): not found at " + CHROMIUM + " and " + DRIVER + ", so they are skipped");
        Path profile = Files.createTempDirectory("goto-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(chromedriver).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    private static String firstExecutable(List<String> candidates) {
        return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
    }

    <T> T await(Function<WebDriver, T> condition) {
        // A page that re-renders between finding an element and asking about it leaves a stale
        // reference: that is a "not yet", like an element not found, so the wait tries again.
        return new WebDriverWait(driver, Duration.ofSeconds(15))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    WebElement visible(String cssSelector) {
        return await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(cssSelector));
            return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    WebElement find(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    List<WebElement> all(String cssSelector) {
        return driver.findElements(By.cssSelector(cssSelector));
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Saves the whole page (up to 2,400 pixels tall) as {@code target/screenshots/NAME.png}; the
     * window grows to the page's height for it and then takes its size back.
     */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Dimension size = driver.manage().window().getSize();
        long page = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        long chrome = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
        int height = (int) Math.min(2_400, Math.max(size.getHeight(), page + chrome));
        if (height != size.getHeight()) {
            resize(size.getWidth(), height);
        }
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        if (height != size.getHeight()) {
            driver.manage().window().setSize(size);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A profile left in the temporary folder is harmless.
            }
        }
    }
}
