package gotourl.store.pg;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL store connects: a JDBC URL for pgjdbc, and the user and password apart
 * from it. Made from {@code -db}, which takes a libpq connection URI
 * ({@code postgresql://USER@HOST:PORT/DB?sslmode=require}, as {@code psql} does; PostgreSQL
 * docs §34.1.1) or a pgjdbc URL ({@code jdbc:postgresql://HOST:PORT/DB}). The password comes from
 * a file, {@code GOTO_DB_PASSWORD} or {@code PGPASSWORD} (libpq's variable), so that it never has
 * to be on a command line; one written in the URI is taken too, but never logged.
 *
 * @param jdbcUrl  the pgjdbc URL, without user or password
 * @param user     the database user, or null for pgjdbc's default (the system user)
 * @param password the password, or null for none (trust, peer or certificate authentication)
 */
public record PgSettings(String jdbcUrl, String user, String password) {
    private static final Pattern URI = Pattern.compile("^(?:postgresql|postgres)://(?:([^@/]*)@)?([^/?]*)(/[^?]*)?(\\?.*)?$");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)(password|sslpassword)=[^&]*");

    public PgSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + masked(jdbcUrl));
        }
    }

    /**
     * Reads {@code -db}'s value; {@code passwordFromFile} (the contents of {@code -db-password-file},
     * or null) wins over the environment's {@code GOTO_DB_PASSWORD}, which wins over {@code PGPASSWORD},
     * which wins over a password in the URI. Throws {@link IllegalArgumentException} saying what
     * shapes are taken when {@code value} is none of them.
     */
    public static PgSettings parse(String value, String passwordFromFile, Map<String, String> env) {
        String url = value.strip();
        String user = null;
        String password = null;
        String jdbc;
        if (url.startsWith("jdbc:postgresql:")) {
            jdbc = url;
        } else {
            Matcher uri = URI.matcher(url);
            if (!uri.matches()) {
                throw new IllegalArgumentException("-db takes postgresql://USER@HOST:PORT/DATABASE or jdbc:postgresql://HOST:PORT/DATABASE,"
                        + " not '" + masked(url) + "'");
            }
            String credentials = uri.group(1);
            if (credentials != null && !credentials.isEmpty()) {
                int colon = credentials.indexOf(':');
                user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
                password = colon < 0 ? null : decode(credentials.substring(colon + 1));
            }
            String hosts = uri.group(2).isEmpty() ? "localhost" : uri.group(2);
            String database = uri.group(3) == null || uri.group(3).equals("/") ? "" : uri.group(3);
            jdbc = "jdbc:postgresql://" + hosts + (database.isEmpty() ? "/" : database) + (uri.group(4) == null ? "" : uri.group(4));
        }
        String fromEnv = firstSet(env.get("GOTO_DB_PASSWORD"), env.get("PGPASSWORD"));
        if (passwordFromFile != null) {
            password = passwordFromFile.strip();
        } else if (fromEnv != null) {
            password = fromEnv;
        }
        return new PgSettings(jdbc, user, password);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code url} with any password in it replaced by {@code ***}: for logs and errors. */
    public static String masked(String url) {
        String noParams = SECRET_PARAM.matcher(url).replaceAll("$1=***");
        return noParams.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*):[^@/]*@", "$1:***@");
    }

    /**
     * A HikariCP pool's settings for this database: {@code size} connections named {@code name}
     * in the pool's log and {@code applicationName} in {@code pg_stat_activity}, transactions
     * committed by goto (autocommit off), a wait of at most 2 s for a connection while the
     * database is away (the caller then answers busy), and TCP keep-alive.
     */
    com.zaxxer.hikari.HikariConfig poolConfig(String name, int size, String applicationName) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setAutoCommit(false);
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", applicationName);
        return config;
    }

    /** Where goto connects, as logs show it: no password. */
    public String describe() {
        return masked(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "PgSettings[" + describe() + (password == null ? "" : ", password ***") + "]";
    }
}
