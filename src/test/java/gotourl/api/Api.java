package gotourl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gotourl.RunningGoto;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A REST client for tests: JSON in and out over a real socket, with an API key. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final RunningGoto app;
    private final String key;

    Api(RunningGoto app, String key) {
        this.app = app;
        this.key = key;
    }

    Api as(String otherKey) {
        return new Api(app, otherKey);
    }

    /** A response with its body parsed (null when empty). */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String type() {
            return body.path("type").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    Answer patch(String path, String json) throws IOException, InterruptedException {
        return send("PATCH", path, json);
    }

    Answer put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    Answer send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return answer(app.send(request.build()));
    }

    static Answer answer(HttpResponse<String> response) throws IOException {
        String body = response.body();
        return new Answer(response.statusCode(), body == null || body.isEmpty() ? null : JSON.readTree(body), response);
    }

    /** Creates a link from {@code json} and returns its short code; fails unless 200. */
    String create(String json) throws IOException, InterruptedException {
        Answer answer = post("/rest/v3/short-urls", json);
        if (answer.status() != 200) {
            throw new AssertionError("create answered " + answer.status() + ": " + answer.body());
        }
        return answer.body().get("shortCode").asText();
    }
}
