package gotourl.http;

import gotourl.store.LinkStore;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /robots.txt}: crawlers may follow crawlable links and nothing else, in Shlink's words
 * ({@code RobotsAction}): an {@code Allow} line per crawlable short code, then {@code Disallow: /}.
 */
final class RobotsRoute {
    private static final String HEAD = """
            # For more information about the robots.txt standard, see:
            # https://www.robotstxt.org/orig.html

            User-agent: *
            """;

    private RobotsRoute() {}

    static int handle(Request request, Response response, Callback callback, LinkStore store) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Responses.methodNotAllowed(response, callback, method, "GET, HEAD");
        }
        return Responses.text(response, callback, 200, body(store));
    }

    static String body(LinkStore store) {
        StringBuilder text = new StringBuilder(HEAD);
        for (String code : store.crawlableShortCodes()) {
            text.append("Allow: /").append(code).append('\n');
        }
        return text.append("Disallow: /\n").toString();
    }
}
