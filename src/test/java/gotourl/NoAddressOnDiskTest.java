package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No IP address is stored, in any form (privacy by default). A goto process takes
 * redirects, orphan visits and the base URL from 127.0.0.1 and with forged forwarding headers
 * naming other addresses, stops, and every file it wrote is searched for each address as text
 * and in its binary form.
 */
class NoAddressOnDiskTest {
    private static final List<String> ADDRESSES = List.of("127.0.0.1", "203.0.113.77", "198.51.100.23", "2001:db8::4:77");

    @TempDir
    Path dir;

    @Test
    void noFileGotoWritesHoldsTheClientsAddress() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path file = data.resolve("goto.data");
        try (ChildGoto child = ChildGoto.start(dir.resolve("goto.log"), "-http=127.0.0.1:0", "-admin=127.0.0.1:0",
                "-host=goto.test", "-file=" + file).awaitServing(Duration.ofSeconds(60));
             HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            String base = "http://127.0.0.1:" + child.appPort();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/add"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("url=https%3A%2F%2Fexample.com%2Fprivate")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(200);
            String key = added.body().strip().substring("http://goto.test/".length());
            int requests = 0;
            for (String path : List.of("/" + key, "/" + key + "?x=1", "/unknown", "/a/b", "/")) {
                for (String header : List.of("X-Forwarded-For", "X-Real-IP", "Forwarded", "CF-Connecting-IP")) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
                            .header("Referer", "https://example.org/from");
                    request.header(header, header.equals("Forwarded")
                            ? "for=198.51.100.23;proto=https, for=\"[2001:db8::4:77]\"" : "203.0.113.77, 2001:db8::4:77");
                    assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(200, 302, 404);
                    requests++;
                }
            }
            // Wait until every visit is recorded (the metric), so that the files hold them all.
            VisitsOverHttpTest.awaitRecorded(http, child.adminPort(), requests);
            child.sigterm();
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
        }

        List<Path> written;
        try (Stream<Path> files = Files.walk(data)) {
            written = files.filter(Files::isRegularFile).toList();
        }
        assertThat(written).as("the data file and the visit log's files")
                .anyMatch(path -> path.getFileName().toString().endsWith(".visits"))
                .contains(file);
        List<byte[]> forms = new ArrayList<>();
        for (String address : ADDRESSES) {
            forms.add(address.getBytes(StandardCharsets.US_ASCII));
            forms.add(address.getBytes(StandardCharsets.UTF_16BE));
            forms.add(InetAddress.getByName(address).getAddress()); // 4 or 16 bytes, network order
        }
        forms.add("2001:0db8:0000:0000:0000:0000:0004:0077".getBytes(StandardCharsets.US_ASCII));
        for (Path path : written) {
            byte[] bytes = Files.readAllBytes(path);
            for (byte[] form : forms) {
                assertThat(indexOf(bytes, form)).as("%s holds %s", path, HexFormat.ofDelimiter(" ").formatHex(form)).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
