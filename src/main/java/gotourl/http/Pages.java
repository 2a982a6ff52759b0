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
