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
 * What the browser tests share: one goto (file store, the initial API key {@value #KEY}, short URLs
 * on {@value #HOST}) and one Chromium per class, and the steps every test takes (sign in, call the
 * API, wait for visits to be counted).
 */
abstract class BrowserTestSupport {
    static final String KEY = "browser-test-key-0123456789";
    static final String HOST = "go.example.com";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RunningGoto app;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        app = RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")).withHost(ShortUrlBase.parse(HOST))
                .withInitialApiKey(new Secret(KEY)));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void desktopWidth() {
        browser.resize(1280, 900);
    }

    String page(String path) {
        return app.uri(path).toString();
    }

    void open(String path) {
        browser.driver.get(page(path));
    }

    /** Signs in on {@code path} unless this tab already holds the key. */
    void signedIn(String path) {
        open(path);
        browser.await(d -> browser.find("#signin").isDisplayed() || browser.find("#signed-in").isDisplayed());
        if (browser.find("#signin").isDisplayed()) {
            browser.find("#api-key").sendKeys(KEY);
            browser.find("#signin-form button[type=submit]").click();
            browser.visible("#signed-in");
        }
    }

    JsonNode api(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/rest/v3" + path)).header("X-Api-Key", KEY)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = app.send(request.build());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isLessThan(300);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    String create(String json) throws Exception {
        return api("POST", "/short-urls", json).get("shortCode").asText();
    }

    /** A tab without the key, as a visitor who never signed in has. */
    void signedOut(String path) {
        open(path);
        browser.script("sessionStorage.clear()");
        open(path);
    }

    void awaitVisits(String code, int visits) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (app.service().tracker().store().summary(code).total() < visits) {
            assertThat(System.nanoTime()).as("%d visits of %s counted in time", visits, code).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

}
