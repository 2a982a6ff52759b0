package gotourl.store.pg;

import gotourl.link.Link;
import gotourl.link.Link.CodeOrigin;
import gotourl.link.ShortCodes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/** The rows of {@code short_urls} (see {@code db/migration}) to and from {@link Link}s; no state. */
final class LinkRows {
    private LinkRows() {}

    /** A row as read: the link as it is or was when deleted, and the change that wrote it last. */
    record Row(Link link, boolean deleted, long changeSeq) {
        /** The key counter of a generated code, else -1 (as {@code LinkState.Change} wants it). */
        long counter() {
            return counterOf(link);
        }
    }

    static long counterOf(Link link) {
        return link.origin() == CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : -1;
    }

    private static final String COLUMNS = "short_code, origin, long_url, date_created, title, tags, valid_since, valid_until,"
            + " max_visits, crawlable, forward_query, author, deleted, change_seq, password_hash, redirect_rules";

    /**
     * One statement for every kind of write, so that a group of changes goes out as one JDBC
     * batch (one round trip) and keeps its order. A create inserts; it updates an existing row
     * only when the row is a deleted custom slug and the create claims it as a slug (parameter 17).
     * An edit or a delete updates the live row (parameter 18). When neither applies the statement
     * changes nothing, and its update count of 0 tells the writer which change was refused.
     */
    static final String WRITE = "INSERT INTO short_urls AS s (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (short_code) DO UPDATE SET origin = EXCLUDED.origin, long_url = EXCLUDED.long_url,"
            + " date_created = EXCLUDED.date_created, title = EXCLUDED.title, tags = EXCLUDED.tags,"
            + " valid_since = EXCLUDED.valid_since, valid_until = EXCLUDED.valid_until, max_visits = EXCLUDED.max_visits,"
            + " crawlable = EXCLUDED.crawlable, forward_query = EXCLUDED.forward_query, author = EXCLUDED.author,"
            + " deleted = EXCLUDED.deleted, change_seq = EXCLUDED.change_seq, password_hash = EXCLUDED.password_hash,"
            + " redirect_rules = EXCLUDED.redirect_rules"
            + " WHERE (?::boolean AND s.deleted AND s.origin = 'custom_slug') OR (?::boolean AND NOT s.deleted)";

    /** Every row changed after a given change, in change order, a page at a time. */
    static final String CHANGED_AFTER = "SELECT " + COLUMNS + " FROM short_urls WHERE change_seq > ? ORDER BY change_seq LIMIT ?";

    /** Rows changed by other nodes between two changes (exclusive), read by a writer holding the change counter. */
    static final String CHANGED_BETWEEN = "SELECT " + COLUMNS + " FROM short_urls WHERE change_seq > ? AND change_seq < ?"
            + " ORDER BY change_seq";

    /** Takes {@code ?} change numbers; the row stays locked until commit, which orders writers. */
    static final String TAKE_CHANGE_NUMBERS = "UPDATE short_url_changes SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq";

    static final String LEASE_KEYS = "SELECT nextval('short_code_leases')";
    static final String LEASE_SIZE = "SELECT increment_by FROM pg_sequences WHERE sequencename = 'short_code_leases'";

    /** The channel of LISTEN/NOTIFY on which a writer says that changes were committed. */
    static final String CHANNEL = "short_url_changes";

    /** Binds {@code link} to {@link #WRITE}'s parameters: a create if {@code create}, else an edit or delete. */
    static void bind(PreparedStatement write, Connection connection, Link link, boolean deleted, long changeSeq, boolean create)
            throws SQLException {
        write.setString(1, link.shortCode());
        write.setString(2, origin(link.origin()));
        write.setString(3, link.longUrl());
        write.setObject(4, time(link.dateCreated()));
        write.setString(5, link.title());
        Array tags = connection.createArrayOf("text", link.tags().toArray(String[]::new));
        write.setArray(6, tags);
        setTime(write, 7, link.validSince());
        setTime(write, 8, link.validUntil());
        if (link.maxVisits() == null) {
            write.setNull(9, Types.INTEGER);
        } else {
            write.setInt(9, link.maxVisits());
        }
        write.setBoolean(10, link.crawlable());
        write.setBoolean(11, link.forwardQuery());
        write.setString(12, link.author());
        write.setBoolean(13, deleted);
        write.setLong(14, changeSeq);
        write.setString(15, deleted ? null : link.passwordHash()); // a delete forgets the password
        write.setString(16, deleted ? null : RuleRows.toText(link.redirectRules())); // a delete drops the rules
        write.setBoolean(17, create && link.origin() == CodeOrigin.CUSTOM_SLUG);
        write.setBoolean(18, !create);
    }

    /** The row under the cursor of a query of {@link #COLUMNS}. */
    static Row read(ResultSet rows) throws SQLException {
        String[] tags = (String[]) rows.getArray(6).getArray();
        Integer maxVisits = (Integer) rows.getObject(9);
        Link link = new Link(rows.getString(1), rows.getString(3), instant(rows, 4), rows.getString(5),
                tags.length == 0 ? java.util.Set.of() : new LinkedHashSet<>(Arrays.asList(tags)), instant(rows, 7), instant(rows, 8),
                maxVisits, rows.getBoolean(10), rows.getBoolean(11), rows.getString(12), origin(rows.getString(2)),
                rows.getString(15), RuleRows.fromText(rows.getString(1), rows.getString(16)));
        return new Row(link, rows.getBoolean(13), rows.getLong(14));
    }

    /** Reads every row of {@code rows}. */
    static void readAll(ResultSet rows, List<Row> into) throws SQLException {
        while (rows.next()) {
            into.add(read(rows));
        }
    }

    private static void setTime(PreparedStatement write, int index, Instant instant) throws SQLException {
        if (instant == null) {
            write.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            write.setObject(index, time(instant));
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rows, int index) throws SQLException {
        OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static String origin(CodeOrigin origin) {
        return switch (origin) {
            case COUNTER -> "counter";
            case RANDOM -> "random";
            case CUSTOM_SLUG -> "custom_slug";
        };
    }

    private static CodeOrigin origin(String origin) {
        return switch (origin) {
            case "counter" -> CodeOrigin.COUNTER;
            case "random" -> CodeOrigin.RANDOM;
            case "custom_slug" -> CodeOrigin.CUSTOM_SLUG;
            default -> throw new IllegalStateException("short_urls.origin holds '" + origin + "', which this goto does not know");
        };
    }
}
