package gotourl;

import gotourl.store.pg.PgSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code -db} and {@code -db-password-file} of the commands that work on a goto database with no
 * goto running here ({@code goto api-key}, {@code goto check}): the same flags, environment
 * variables and password rules as {@code goto -db} (see {@link PgSettings#parse}).
 */
final class DbOption {
    @Option(names = {"-db", "--db"}, paramLabel = "URL",
            description = "work on the PostgreSQL database of goto nodes started with -db=URL, instead of -file:"
                    + " postgresql://USER@HOST:PORT/DATABASE or jdbc:postgresql://...; the password comes from"
                    + " -db-password-file, GOTO_DB_PASSWORD or PGPASSWORD (default: none) [GOTO_DB]")
    String db;

    @Option(names = {"-db-password-file", "--db-password-file"}, paramLabel = "FILE",
            description = "file holding the PostgreSQL password (default: none) [GOTO_DB_PASSWORD_FILE]")
    Path passwordFile;

    /** True when a database was named. */
    boolean given() {
        return db != null && !db.isBlank();
    }

    /** The database named, with its password; throws {@link IllegalArgumentException} saying what is wrong. */
    PgSettings settings(Map<String, String> env) {
        String password = null;
        if (passwordFile != null) {
            password = FlagValues.fileText("-db-password-file", passwordFile);
        }
        return PgSettings.parse(db, password, env);
    }
}
