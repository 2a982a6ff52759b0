package gotourl.http;

/** The HTML goto serves: the seed's form and a short not-found page. */
final class Pages {
    /** The seed's form (a field "url" posted to /add), in a complete page. */
    static final String ADD_FORM = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>goto: add a link</title></head>
            <body>
            <form method="POST" action="/add">
            URL: <input type="text" name="url" size="60" autofocus>
            <input type="submit" value="Add">
            </form>
            </body>
            </html>
            """;

    /** What {@code /} and {@code /add} show when the public {@code /add} is closed ({@code -public-add=false}). */
    static final String ADD_CLOSED = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>goto: adding links here is closed</title></head>
            <body>
            <p>Adding links through this page is closed on this goto.</p>
            <p>Links are created through the REST API (<code>POST /rest/v3/short-urls</code>) with an API key
            in the <code>X-Api-Key</code> header. Ask goto's operator for a key.</p>
            </body>
            </html>
            """;

    private Pages() {}

    static String notFound(String key) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>goto: no such link</title></head>
                <body><p>No link has the key <code>%s</code>. <a href="/add">Add a link</a>.</p></body>
                </html>
                """.formatted(escape(key));
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
