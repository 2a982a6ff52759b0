package gotourl.porting;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A YOURLS database dump: the {@code INSERT INTO `yourls_url`} statements of mysqldump or
 * phpMyAdmin (any table prefix), with or without a column list; without one the columns are the
 * table's as YOURLS creates it ({@code keyword, url, title, timestamp, ip, clicks};
 * includes/functions-install.php). Strings as MySQL writes them ({@code ''} and backslash
 * escapes). Every other statement (the log and options tables, {@code CREATE}, {@code SET}) and
 * every comment is skipped. A row's line is where its opening parenthesis is.
 */
final class YourlsSql {
    static final List<String> TABLE_COLUMNS = List.of("keyword", "url", "title", "timestamp", "ip", "clicks");
    private static final Object EOF = new Object();
    private static final Object NULL = new Object();

    private final Reader in;
    private int peeked = -2;
    private long line = 1;
    private long tokenLine = 1;

    private YourlsSql(Reader in) {
        this.in = in;
    }

    static void read(Reader in, LinkReaders.Sink sink) throws IOException {
        new YourlsSql(in).statements(sink);
    }

    /** A word (keyword or identifier): {@code INSERT}, {@code yourls_url}, {@code `yourls_url`}. */
    private record Word(String text) {}

    /** A string literal's value. */
    private record Text(String value) {}

    private void statements(LinkReaders.Sink sink) throws IOException {
        for (Object token = next(); token != EOF; token = next()) {
            if (token instanceof Word insert && insert.text().equalsIgnoreCase("INSERT")) {
                Object into = next();
                while (into instanceof Word word && !word.text().equalsIgnoreCase("INTO")
                        && List.of("IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY").contains(word.text().toUpperCase(Locale.ROOT))) {
                    into = next();
                }
                Object table = next();
                if (into instanceof Word intoWord && intoWord.text().equalsIgnoreCase("INTO") && table instanceof Word name
                        && name.text().toLowerCase(Locale.ROOT).endsWith("url")) {
                    rows(sink);
                    continue;
                }
                token = table;
            }
            skipStatement(token);
        }
    }

    private void skipStatement(Object token) throws IOException {
        while (token != EOF && !";".equals(token)) {
            token = next();
        }
    }

    private void rows(LinkReaders.Sink sink) throws IOException {
        Object token = next();
        List<String> columns = TABLE_COLUMNS;
        if ("(".equals(token)) {
            columns = new ArrayList<>();
            for (token = next(); token instanceof Word column; token = next()) {
                columns.add(column.text().toLowerCase(Locale.ROOT));
                token = next();
                if (!",".equals(token)) {
                    break;
                }
            }
            token = next();
        }
        if (!(token instanceof Word values) || !values.text().toUpperCase(Locale.ROOT).startsWith("VALUE")) {
            skipStatement(token);
            return;
        }
        while (true) {
            token = next();
            if (!"(".equals(token)) {
                skipStatement(token);
                return;
            }
            long rowLine = tokenLine;
            List<Object> row = new ArrayList<>();
            for (token = next(); token != EOF && !")".equals(token); token = next()) {
                if (!",".equals(token)) {
                    row.add(token);
                }
            }
            sinkRow(sink, rowLine, columns, row);
            token = next();
            if (!",".equals(token)) {
                skipStatement(token);
                return;
            }
        }
    }

    private static void sinkRow(LinkReaders.Sink sink, long line, List<String> columns, List<Object> row) throws IOException {
        if (row.size() != columns.size()) {
            sink.invalid(line, "a yourls_url row of " + row.size() + " values for " + columns.size() + " columns (" + String.join(", ", columns) + ")");
            return;
        }
        String keyword = null;
        String url = null;
        String title = null;
        String timestamp = null;
        for (int i = 0; i < columns.size(); i++) {
            Object value = row.get(i);
            String text = value instanceof Text t ? t.value() : value instanceof Word w ? w.text() : null;
            switch (columns.get(i)) {
                case "keyword" -> keyword = text;
                case "url" -> url = text;
                case "title" -> title = text;
                case "timestamp" -> timestamp = text;
                default -> { } // ip, clicks: not a link's fields in goto
            }
        }
        try {
            sink.link(new PortableLink(line, LinkReaders.blankToNull(keyword), url, Dates.parse("timestamp", timestamp), title,
                    List.of(), null, null, null, null, null, null, null, null, false));
        } catch (IllegalArgumentException e) {
            sink.invalid(line, e.getMessage());
        }
    }

    // ---- tokens ----

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        if (c == '\n') {
            line++;
        }
        return c;
    }

    /** The next token: a {@link Word}, a {@link Text}, {@link #NULL}, punctuation as a one-character string, or {@link #EOF}. */
    private Object next() throws IOException {
        while (true) {
            int c = read();
            if (c < 0) {
                return EOF;
            }
            if (Character.isWhitespace(c)) {
                continue;
            }
            tokenLine = line;
            if (c == '-' && peek() == '-' || c == '#') {
                while (c >= 0 && c != '\n') {
                    c = read();
                }
                continue;
            }
            if (c == '/' && peek() == '*') {
                read();
                int previous = 0;
                for (c = read(); c >= 0 && !(previous == '*' && c == '/'); c = read()) {
                    previous = c;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                return new Text(quoted(c));
            }
            if (c == '`') {
                StringBuilder name = new StringBuilder();
                for (c = read(); c >= 0 && c != '`'; c = read()) {
                    name.append((char) c);
                }
                return new Word(name.toString());
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-' || c == '.' || c == '+') {
                StringBuilder word = new StringBuilder().append((char) c);
                while (peek() >= 0 && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '$' || peek() == '.')) {
                    word.append((char) read());
                }
                return word.toString().equalsIgnoreCase("NULL") ? NULL : new Word(word.toString());
            }
            return String.valueOf((char) c);
        }
    }

    private String quoted(int quote) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int c = read();
            if (c < 0) {
                throw new IOException("a string that starts on line " + tokenLine + " never ends: the dump is cut short");
            }
            if (c == quote) {
                if (peek() == quote) {
                    text.append((char) read());
                    continue;
                }
                return text.toString();
            }
            if (c == '\\') {
                int escaped = read();
                text.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case '0' -> '\0';
                    case 'Z' -> (char) 26;
                    case 'b' -> '\b';
                    default -> (char) escaped;
                });
                continue;
            }
            text.append((char) c);
        }
    }
}
