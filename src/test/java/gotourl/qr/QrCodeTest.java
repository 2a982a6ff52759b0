package gotourl.qr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import gotourl.RunningGoto;
import gotourl.TestClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code /{shortCode}/qr-code} over a real socket: the PNG and the SVG decode (with ZXing's
 * reader) to the link's short URL, Shlink's parameters are honoured and bounded, answers are
 * cacheable, and a code a redirect would not follow answers the same 404.
 */
class QrCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningGoto app;
    private String code;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.inMemory();
        code = app.addKey("https://example.com/a/long/page?with=query");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return app.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theDefaultPngDecodesToTheShortUrlWithShlinksDefaults() throws Exception {
        HttpResponse<byte[]> answer = get("/" + code + "/qr-code");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(answer.body()));
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(300);
        assertThat(decode(image)).isEqualTo("http://" + RunningGoto.HOST + "/" + code);
        // Black on white, Shlink's default colours.
        assertThat(colours(image)).containsOnly(0x000000, 0xFFFFFF);
    }

    @Test
    void sizeMarginColoursAndErrorCorrectionAreHonoured() throws Exception {
        HttpResponse<byte[]> answer = get("/" + code + "/qr-code?size=400&margin=20&color=%23336699&bgColor=ffe&errorCorrection=H");
        assertThat(answer.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(answer.body()));
        assertThat(image.getWidth()).isEqualTo(440);
        assertThat(colours(image)).containsOnly(0x336699, 0xFFFFEE);
        // The margin is background all round.
        for (int i = 0; i < 440; i++) {
            assertThat(image.getRGB(i, 0) & 0xFFFFFF).isEqualTo(0xFFFFEE);
            assertThat(image.getRGB(0, i) & 0xFFFFFF).isEqualTo(0xFFFFEE);
            assertThat(image.getRGB(i, 439) & 0xFFFFFF).isEqualTo(0xFFFFEE);
        }
        assertThat(decode(image)).isEqualTo("http://" + RunningGoto.HOST + "/" + code);
        // H has more modules than L for the same text, so its modules are smaller.
        BufferedImage low = ImageIO.read(new ByteArrayInputStream(get("/" + code + "/qr-code?size=400&errorCorrection=L").body()));
        assertThat(darkRunMinimum(image)).isLessThan(darkRunMinimum(low));
    }

    @Test
    void theSvgIsWellFormedAndDecodesToTheShortUrl() throws Exception {
        HttpResponse<byte[]> answer = get("/" + code + "/qr-code?format=svg&size=200&margin=8&color=c00");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("image/svg+xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(answer.body()));
        Element root = svg.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(root.getAttribute("width")).isEqualTo("216");
        Element path = (Element) svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        assertThat(path.getAttribute("fill")).isEqualTo("#cc0000");
        // Rasterise the path (runs of M x,y h w v s h -w z) and read it back.
        int side = 216;
        int[] pixels = new int[side * side];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        java.util.regex.Matcher run = java.util.regex.Pattern.compile("M(\\d+),(\\d+)h(\\d+)v(\\d+)h-\\d+z")
                .matcher(path.getAttribute("d"));
        int runs = 0;
        while (run.find()) {
            runs++;
            int x = Integer.parseInt(run.group(1)), y = Integer.parseInt(run.group(2));
            int w = Integer.parseInt(run.group(3)), h = Integer.parseInt(run.group(4));
            for (int dy = 0; dy < h; dy++) {
                for (int dx = 0; dx < w; dx++) {
                    pixels[(y + dy) * side + x + dx] = 0;
                }
            }
        }
        assertThat(runs).isGreaterThan(50);
        assertThat(decode(new RGBLuminanceSource(side, side, pixels))).isEqualTo("http://" + RunningGoto.HOST + "/" + code);
    }

    @Test
    void outOfRangeParametersAreRefusedWithAProblemNamingThem() throws Exception {
        Map<String, String> cases = Map.of(
                "size=49", "size", "size=1001", "size", "size=big", "size", "margin=-1", "margin", "margin=101", "margin",
                "format=gif", "format", "errorCorrection=X", "errorCorrection", "color=red", "color", "bgColor=%2312345", "bgColor");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> answer = get("/" + code + "/qr-code?" + c.getKey());
            assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(problem.get("invalidElements").toString()).as(c.getKey()).isEqualTo("[\"" + c.getValue() + "\"]");
            assertThat(problem.get("detail").asText()).as(c.getKey()).contains(c.getValue()).containsPattern("give|use");
        }
        // The bounds themselves are accepted.
        assertThat(get("/" + code + "/qr-code?size=50").statusCode()).isEqualTo(200);
        assertThat(get("/" + code + "/qr-code?size=1000&margin=100").statusCode()).isEqualTo(200);
    }

    @Test
    void aColourEqualToItsBackgroundIsRefusedNamingBoth() throws Exception {
        // Equal once read: case, shorthand and '#' do not matter; a default counts as given.
        Map<String, String> cases = Map.of(
                "color=FFF&bgColor=%23ffffff", "color=FFF and bgColor=#ffffff",
                "color=abc&bgColor=AABBCC", "color=abc and bgColor=AABBCC",
                "color=ffffff", "color=ffffff and bgColor (the default, ffffff)",
                "bgColor=000", "color (the default, 000000) and bgColor=000");
        refusedNamingBoth(cases, "same colour");
        assertThat(get("/" + code + "/qr-code?color=fff&bgColor=000").statusCode()).as("inverted, not equal").isEqualTo(200);
    }

    @Test
    void coloursTooAlikeForAScannerAreRefusedNamingBothAndTheirContrast() throws Exception {
        Map<String, String> cases = Map.of(
                "color=000&bgColor=000001", "color=000 and bgColor=000001 are too alike: a contrast ratio of 1.00:1",
                "color=fefefe", "color=fefefe and bgColor (the default, ffffff) are too alike: a contrast ratio of 1.01:1",
                "color=ffff00", "color=ffff00 and bgColor (the default, ffffff) are too alike: a contrast ratio of 1.07:1",
                "bgColor=2b2b2b", "color (the default, 000000) and bgColor=2b2b2b are too alike: a contrast ratio of 1.48:1");
        refusedNamingBoth(cases, "below the 1.5:1");
        // Ordinary brand colours pass: orange (2.4:1), light grey just past the bound (1.51:1), red on pale yellow.
        for (String ok : new String[] {"color=ff8800", "color=d2d2d2", "color=c00&bgColor=ffe"}) {
            assertThat(get("/" + code + "/qr-code?" + ok).statusCode()).as(ok).isEqualTo(200);
        }
        assertThat(decode(ImageIO.read(new ByteArrayInputStream(get("/" + code + "/qr-code?color=c00&bgColor=ffe").body()))))
                .endsWith("/" + code);
    }

    /** Each query of {@code cases} is a 400 naming color and bgColor, its detail opening with the case's value and saying {@code saying}. */
    private void refusedNamingBoth(Map<String, String> cases, String saying) throws Exception {
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> answer = get("/" + code + "/qr-code?" + c.getKey());
            assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(400);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-data");
            assertThat(problem.get("invalidElements").toString()).as(c.getKey()).isEqualTo("[\"color\",\"bgColor\"]");
            assertThat(problem.get("detail").asText()).as(c.getKey()).startsWith(c.getValue()).contains(saying);
        }
    }

    @Test
    void aParameterSentTwiceIsRefusedNamingIt() throws Exception {
        for (String name : new String[] {"color", "bgColor", "size"}) {
            String value = name.equals("size") ? "100" : "fff";
            HttpResponse<byte[]> answer = get("/" + code + "/qr-code?" + name + "=" + value + "&" + name + "=" + value);
            assertThat(answer.statusCode()).as(name).isEqualTo(400);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("invalidElements").toString()).as(name).isEqualTo("[\"" + name + "\"]");
            assertThat(problem.get("detail").asText()).as(name).isEqualTo("the query sends " + name + " 2 times; send it once");
        }
    }

    @Test
    void answersAreCacheableAndRevalidatedByTheirEtag() throws Exception {
        HttpResponse<byte[]> first = get("/" + code + "/qr-code?size=120");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        assertThat(get("/" + code + "/qr-code?size=120").headers().firstValue("ETag")).contains(etag);
        assertThat(get("/" + code + "/qr-code?size=121").headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(get("/" + code + "/qr-code?size=120&color=f00").headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        HttpResponse<byte[]> again = get("/" + code + "/qr-code?size=120", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void aCodeNoRedirectWouldFollowAnswersTheRedirectsNotFound() throws Exception {
        HttpResponse<byte[]> unknown = get("/nosuchcode/qr-code");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        String page = new String(unknown.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(page).contains("<title>goto: no such link</title>").contains("<code>nosuchcode</code>")
                .as("names the short code asked about, not the path").doesNotContain("qr-code");
        assertThat(page).as("the page of /nosuchcode").isEqualTo(new String(get("/nosuchcode").body(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/nosuchcode/qr-code")).POST(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).as("another method, as for any short code").isEqualTo(405);
        app.service().store().delete(code).get();
        assertThat(get("/" + code + "/qr-code").statusCode()).isEqualTo(404);
        assertThat(get("/a/b/qr-code").statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredLinkHasNoQrCode() throws Exception {
        TestClock clock = new TestClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningGoto timed = RunningGoto.start(RunningGoto.config(null), clock)) {
            gotourl.link.LinkDraft draft = gotourl.link.LinkDraft.of("https://example.com/")
                    .withValidUntil(java.time.Instant.parse("2026-01-02T00:00:00Z"));
            String expiring = timed.service().store().create(draft).get().shortCode();
            assertThat(timed.client().send(HttpRequest.newBuilder(timed.uri("/" + expiring + "/qr-code")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofDays(2));
            assertThat(timed.client().send(HttpRequest.newBuilder(timed.uri("/" + expiring + "/qr-code")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        }
    }

    private static String decode(BufferedImage image) throws Exception {
        int w = image.getWidth(), h = image.getHeight();
        return decode(new RGBLuminanceSource(w, h, image.getRGB(0, 0, w, h, null, 0, w)));
    }

    private static String decode(LuminanceSource source) throws Exception {
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    private static java.util.Set<Integer> colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return seen;
    }

    /** The shortest horizontal run of the dark colour along the middle row: one module's width. */
    private static int darkRunMinimum(BufferedImage image) {
        int y = image.getHeight() / 2, min = Integer.MAX_VALUE, run = 0;
        int bg = image.getRGB(0, 0);
        for (int x = 0; x < image.getWidth(); x++) {
            if (image.getRGB(x, y) != bg) {
                run++;
            } else if (run > 0) {
                min = Math.min(min, run);
                run = 0;
            }
        }
        return min;
    }
}
