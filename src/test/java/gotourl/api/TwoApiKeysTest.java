package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RawHttp;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that names two API keys (two {@code X-Api-Key} headers, or on the shorten route a key
 * in the query and another in the header) is refused 401 {@code invalid-api-key} naming the
 * cause, over a real socket: which key was meant is a guess, and the first used to win.
 */
class TwoApiKeysTest {
    private static final String BODY = "{\"longUrl\":\"https://example.com/two-keys\"}";

    @RegisterExtension
    final KeyedMemoryGoto running = new KeyedMemoryGoto();

    @Test
    void twoKeyHeadersOnACreateAreRefusedAndNothingIsStored() throws Exception {
        String answer = exchange("POST /rest/v3/short-urls HTTP/1.1\r\nHost: goto.test\r\nContent-Type: application/json\r\n"
                + "X-Api-Key: " + TestApiKeys.ADMIN + "\r\nX-Api-Key: " + TestApiKeys.BOB + "\r\nContent-Length: " + BODY.length()
                + "\r\n\r\n" + BODY);
        assertThat(answer).startsWith("HTTP/1.1 401 ").contains("application/problem+json");
        JsonNode problem = problem(answer);
        assertThat(problem.get("type").asText()).isEqualTo("https://shlink.io/api/error/invalid-api-key");
        assertThat(problem.get("detail").asText()).isEqualTo("the request carries 2 X-Api-Key headers; send one");
        assertThat(running.app().service().store().size()).isZero();
    }

    @Test
    void twoEqualKeyHeadersOnAGetAreRefusedToo() throws Exception {
        String answer = exchange("GET /rest/v3/short-urls HTTP/1.1\r\nHost: goto.test\r\nX-Api-Key: " + TestApiKeys.ADMIN
                + "\r\nX-Api-Key: " + TestApiKeys.ADMIN + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401 ");
        assertThat(problem(answer).get("detail").asText()).contains("2 X-Api-Key headers; send one");
    }

    @Test
    void onShortenAKeyInTheQueryAndAnotherInTheHeaderAreRefused() throws Exception {
        String path = "/rest/v3/short-urls/shorten?longUrl=https%3A%2F%2Fexample.com%2Fs&format=txt&apiKey=" + TestApiKeys.ADMIN;
        String differ = exchange("GET " + path + " HTTP/1.1\r\nHost: goto.test\r\nX-Api-Key: " + TestApiKeys.BOB + "\r\n\r\n");
        assertThat(differ).startsWith("HTTP/1.1 401 ");
        assertThat(problem(differ).get("detail").asText()).contains("apiKey query parameter").contains("X-Api-Key header");
        String twoInQuery = exchange("GET " + path + "&apiKey=" + TestApiKeys.BOB + " HTTP/1.1\r\nHost: goto.test\r\n\r\n");
        assertThat(twoInQuery).startsWith("HTTP/1.1 401 ");
        assertThat(problem(twoInQuery).get("detail").asText()).isEqualTo("the query carries 2 apiKey parameters; send one");
        assertThat(running.app().service().store().size()).isZero();
        // The same key in both places names one key: it is taken.
        String same = exchange("GET " + path + " HTTP/1.1\r\nHost: goto.test\r\nX-Api-Key: " + TestApiKeys.ADMIN + "\r\n\r\n");
        assertThat(same).startsWith("HTTP/1.1 200 ");
        assertThat(running.app().service().store().size()).isEqualTo(1);
    }

    private String exchange(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", running.app().service().appPort())) {
            return RawHttp.exchange(socket, request);
        }
    }

    private static JsonNode problem(String answer) throws Exception {
        return Api.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
