package gotourl.store.pg;

import java.sql.SQLException;

/** What a database error means to goto, by its SQLSTATE (PostgreSQL docs, Appendix A). */
final class SqlErrors {
    private SqlErrors() {}

    /**
     * True for states that say the database cannot be reached or cannot work now, so that a write
     * may succeed later: class 08 (connection exception), 57P01–57P05 (shut down, crashed,
     * cannot connect now, idle session and the like), 53 (insufficient resources), and 40001 and
     * 40P01 (serialization failure, deadlock: retry).
     */
    static boolean isUnavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53")
                || sqlState.equals("40001") || sqlState.equals("40P01"));
    }

    /** True for a serialization failure or a deadlock: this write may succeed if sent again. */
    static boolean isRetry(String sqlState) {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }

    /** The error in one line, with its SQLSTATE, and without any password. */
    static String describe(SQLException e) {
        String state = e.getSQLState();
        return PgLinkStore.rootMessage(e) + (state == null ? "" : " [SQLSTATE " + state + "]");
    }
}
