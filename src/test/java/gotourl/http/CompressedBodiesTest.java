package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import gotourl.api.KeyedMemoryGoto;
import gotourl.api.TestApiKeys;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A body sent with {@code Content-Encoding: gzip} (or any coding but identity) to {@code /add} or
 * to the REST API's create and edit is refused 415 with {@code Accept-Encoding: identity} and a
 * message that says to send it uncompressed, over a real socket; nothing is stored, and the
 * connection serves the next request. Before, the gzip bytes were read as a form or as JSON and
 * failed with a charset or syntax error.
 */
class CompressedBodiesTest {
    @RegisterExtension
    final KeyedMemoryGoto running = new KeyedMemoryGoto();

    @Test
    void aGzippedAddFormIsRefused415AndNothingIsStored() throws Exception {
        String body = gzip("url=https%3A%2F%2Fexample.com%2Fzipped");
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            String answer = RawHttp.exchange(socket, "POST /add HTTP/1.1\r\nHost: " + RunningGoto.HOST
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Encoding: gzip\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            assertThat(answer).startsWith("HTTP/1.1 415 ").containsIgnoringCase("Accept-Encoding: identity")
                    .contains("Content-Encoding: gzip").contains("send the body uncompressed").doesNotContain("Connection: close");
            assertThat(RawHttp.exchange(socket, "GET /health HTTP/1.1\r\nHost: " + RunningGoto.HOST + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 ");
        }
        assertThat(running.app().service().store().size()).isZero();
        // identity is no coding: that form is added.
        String plain = "url=https%3A%2F%2Fexample.com%2Fplain";
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            assertThat(RawHttp.exchange(socket, "POST /add HTTP/1.1\r\nHost: " + RunningGoto.HOST
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Encoding: identity\r\nContent-Length: "
                    + plain.length() + "\r\n\r\n" + plain)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(running.app().service().store().size()).isEqualTo(1);
    }

    @Test
    void aCompressedRestCreateOrEditIsRefused415AsAProblem() throws Exception {
        String create = gzip("{\"longUrl\": \"https://example.com/zipped\", \"customSlug\": \"zipped\"}");
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            String answer = RawHttp.exchange(socket, "POST /rest/v3/short-urls HTTP/1.1\r\nHost: " + RunningGoto.HOST
                    + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nX-Api-Key: " + TestApiKeys.ADMIN
                    + "\r\nContent-Length: " + create.length() + "\r\n\r\n" + create);
            assertThat(answer).startsWith("HTTP/1.1 415 ").containsIgnoringCase("Accept-Encoding: identity")
                    .contains("application/problem+json").contains("unsupported-content-encoding")
                    .contains("send the body uncompressed").doesNotContain("Connection: close");
            String edit = "{\"longUrl\": \"https://example.com/edited\"}";
            String refusedEdit = RawHttp.exchange(socket, "PATCH /rest/v3/short-urls/anything HTTP/1.1\r\nHost: "
                    + RunningGoto.HOST + "\r\nContent-Type: application/json\r\nContent-Encoding: deflate\r\nX-Api-Key: "
                    + TestApiKeys.ADMIN + "\r\nContent-Length: " + edit.length() + "\r\n\r\n" + edit);
            assertThat(refusedEdit).startsWith("HTTP/1.1 415 ").contains("Content-Encoding: deflate");
        }
        assertThat(running.app().service().store().size()).isZero();
    }

    private static String gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1); // RawHttp sends ISO-8859-1: the bytes as they are
    }
}
