package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /add} reads the forms clients send, as the seed's {@code r.FormValue} did: multipart
 * ({@code curl -F url=...}) got "missing url", and a form declared ISO-8859-1 was refused with
 * "CharacterCodingException@48b5afed: Invalid UTF-8", an internal class name.
 */
class FormEncodingsTest {
    private RunningGoto app;

    @BeforeEach
    void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri("/add")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private String redirectOf(HttpResponse<String> added) throws Exception {
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        return app.get("/" + RunningGoto.keyOf(added.body())).headers().firstValue("Location").orElseThrow();
    }

    /** What {@code curl -F url=https://example.com/x} sends. */
    @Test
    void aMultipartFormIsRead() throws Exception {
        String body = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://example.com/multipart\r\n--BOUNDARY--\r\n";
        HttpResponse<String> added = post("multipart/form-data; boundary=BOUNDARY", body.getBytes(StandardCharsets.UTF_8));
        assertThat(redirectOf(added)).isEqualTo("https://example.com/multipart");
    }

    @Test
    void aMultipartFormWithOtherFieldsAndANonAsciiUrlIsRead() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nignored\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://bücher.example/straße\r\n--b--\r\n";
        HttpResponse<String> added = post("multipart/form-data; boundary=b", body.getBytes(StandardCharsets.UTF_8));
        assertThat(redirectOf(added)).isEqualTo("https://xn--bcher-kva.example/stra%C3%9Fe");
    }

    @Test
    void aMultipartPartInItsOwnCharsetIsDecodedInIt() throws Exception {
        byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"url\"\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n"
                + "https://example.com/caf\u00e9\r\n--b--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(redirectOf(post("multipart/form-data; boundary=b", body))).isEqualTo("https://example.com/caf%C3%A9");
    }

    @Test
    void aMultipartFormWithoutTheUrlFieldSaysWhatToSend() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"link\"\r\n\r\nhttps://example.com/\r\n--b--\r\n";
        HttpResponse<String> refused = post("multipart/form-data; boundary=b", body.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("missing url").contains("'url'");
    }

    @Test
    void aFormDeclaredIso88591IsDecodedInIt() throws Exception {
        HttpResponse<String> added = post("application/x-www-form-urlencoded; charset=ISO-8859-1",
                "url=https%3A%2F%2Fexample.com%2Fcaf%E9".getBytes(StandardCharsets.US_ASCII));
        assertThat(redirectOf(added)).isEqualTo("https://example.com/caf%C3%A9");
    }

    @Test
    void aCharsetGotoDoesNotKnowIsRefusedInPlainWords() throws Exception {
        HttpResponse<String> refused = post("application/x-www-form-urlencoded; charset=klingon",
                "url=https%3A%2F%2Fexample.com%2F".getBytes(StandardCharsets.US_ASCII));
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(refused.body()).startsWith("add refused: the form declares the charset 'klingon', which goto does not know")
                .doesNotContain("Exception");
    }

    @Test
    void aFormThatIsNotValidUtf8IsRefusedInPlainWords() throws Exception {
        HttpResponse<String> refused = post("application/x-www-form-urlencoded",
                "url=https%3A%2F%2Fexample.com%2Fcaf%E9".getBytes(StandardCharsets.US_ASCII));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).startsWith("add refused: the form is not valid UTF-8").contains("charset=ISO-8859-1")
                .doesNotContain("Exception").doesNotContain("@");
        assertThat(app.service().store().size()).isZero();
    }
}
