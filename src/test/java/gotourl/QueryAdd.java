package gotourl;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Adds through {@code GET /add?url=}, the seed's other way to add, which reads no request body. */
public final class QueryAdd {
    private QueryAdd() {}

    public static HttpResponse<String> add(RunningGoto app, String url) throws IOException, InterruptedException {
        return app.get("/add?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    /** The key goto answered, failing unless it answered 200. */
    public static String key(RunningGoto app, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = add(app, url);
        if (response.statusCode() != 200) {
            throw new AssertionError("add of " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return RunningGoto.keyOf(response.body());
    }
}
