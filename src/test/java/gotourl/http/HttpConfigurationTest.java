package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RawHttp;
import gotourl.RunningGoto;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.Test;

/** How goto's listeners parse requests: the settings the redirect path's cost depends on, and requests parsed as sent without Jetty's header cache. */
class HttpConfigurationTest {
    @Test
    void theListenersKeepNoHeaderCacheAndSmallHeapBuffers() {
        HttpConfiguration http = WebServer.httpConfiguration(WebServer.Limits.DEFAULT);
        assertThat(http.getHeaderCacheSize()).as("Jetty's per-connection header cache (BENCHMARKS.md)").isZero();
        assertThat(http.getInputBufferSize()).isEqualTo(WebServer.INPUT_BUFFER_BYTES);
        assertThat(http.getResponseHeaderSize()).isEqualTo(WebServer.RESPONSE_HEADER_BUFFER_BYTES);
        assertThat(http.getRequestHeaderSize()).isEqualTo(WebServer.Limits.DEFAULT.requestHeaderBytes());
        assertThat(http.isUseInputDirectByteBuffers()).isFalse();
        assertThat(http.getSendServerVersion()).isFalse();
    }

    /**
     * Pipelined requests on one keep-alive connection whose request and header lines repeat, change
     * and come back are each answered from their own lines: a repeated one redirects, a changed one
     * (another path, Host, Accept, User-Agent) is answered for its own path, and the first one
     * again redirects again.
     */
    @Test
    void repeatedAndChangedHeaderLinesOnOneConnectionAreParsedAsSent() throws Exception {
        try (RunningGoto app = RunningGoto.inMemory()) {
            String key = app.addKey("https://example.com/parsed");
            String with = "GET /" + key + " HTTP/1.1\r\nHost: goto.test\r\nAccept: */*\r\nUser-Agent: one\r\n\r\n";
            String changed = "GET /" + key + "x HTTP/1.1\r\nHost: other.test\r\nAccept: text/html\r\nUser-Agent: two\r\n\r\n";
            try (Socket socket = new Socket("127.0.0.1", app.service().appPort())) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                socket.getOutputStream().write((with + with + changed + with).getBytes(StandardCharsets.ISO_8859_1));
                assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 302 ").contains("Location: https://example.com/parsed\r\n");
                assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 302 ").contains("Location: https://example.com/parsed\r\n");
                assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 404 ");
                assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 302 ").contains("Location: https://example.com/parsed\r\n");
            }
        }
    }
}
