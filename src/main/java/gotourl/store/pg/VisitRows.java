package gotourl.store.pg;

import gotourl.visits.Visit;
import gotourl.visits.VisitAggregates;
import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SQL of {@link PgVisitStore} and how its rows map to visits (tables of migration V3).
 * Batches travel as arrays that {@code unnest} turns into rows: one statement, one round trip,
 * whatever the batch holds. Times travel as epoch milliseconds and become {@code timestamptz}
 * by exact integer arithmetic.
 */
final class VisitRows {
    private VisitRows() {}

    /** The names a day keeps apart per dimension before the rest count under "(other)", as the file store. */
    static final int MAX_NAMES = 64;
    /** Names per dimension an aggregate answers, as the file store. */
    static final int TOP_NAMES = 10;

    private static final String MILLIS = "timestamptz 'epoch' + %s * interval '1 millisecond'";

    // A visit of life L of a code: ignored when L is at or before the code's deleted life or
    // older than its current life; counted in the current life when L is it; else L starts anew.
    private static final String IGNORED = "((v.deleted_life IS NOT NULL AND EXCLUDED.life <= v.deleted_life)"
            + " OR (v.life IS NOT NULL AND EXCLUDED.life < v.life))";
    private static final String SAME = "(v.life = EXCLUDED.life)";

    /** Counts a batch's visits of links, one row per code (its newest life in the batch); returns each code's row after. */
    static final String COUNT_LINKS = "INSERT INTO visit_links AS v (short_code, life, generation, total, bots)"
            + " SELECT b.code, " + MILLIS.formatted("b.life") + ", nextval('visit_generations'), b.total, b.bots"
            + " FROM unnest(?::text[], ?::int8[], ?::int8[], ?::int8[]) AS b(code, life, total, bots) ORDER BY b.code"
            + " ON CONFLICT (short_code) DO UPDATE SET before_total = v.total, before_bots = v.bots,"
            + " life = CASE WHEN " + IGNORED + " OR " + SAME + " THEN v.life ELSE EXCLUDED.life END,"
            + " generation = CASE WHEN " + IGNORED + " OR " + SAME + " THEN v.generation ELSE EXCLUDED.generation END,"
            + " total = CASE WHEN " + IGNORED + " THEN v.total WHEN " + SAME + " THEN v.total + EXCLUDED.total ELSE EXCLUDED.total END,"
            + " bots = CASE WHEN " + IGNORED + " THEN v.bots WHEN " + SAME + " THEN v.bots + EXCLUDED.bots ELSE EXCLUDED.bots END"
            + " RETURNING short_code, life, generation, total, bots, before_total, before_bots";

    static final String INSERT_VISITS = "INSERT INTO visits (short_code, generation, link_created, type, date, potential_bot,"
            + " referer, user_agent, visited_path, redirect_url, browser, operating_system, referer_host)"
            + " SELECT b.code, b.generation, CASE WHEN b.code IS NULL THEN NULL ELSE " + MILLIS.formatted("b.created") + " END,"
            + " b.type, " + MILLIS.formatted("b.date") + ", b.bot, b.referer, b.agent, b.path, b.redirect, b.browser, b.os, b.host"
            + " FROM unnest(?::text[], ?::int8[], ?::int8[], ?::text[], ?::int8[], ?::bool[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS b(code, generation, created, type, date, bot, referer, agent, path, redirect, browser, os, host)";

    static final String COUNT_DAYS = "INSERT INTO visit_days AS d (short_code, generation, day, total, bots)"
            + " SELECT b.code, b.generation, date '1970-01-01' + b.day, b.total, b.bots"
            + " FROM unnest(?::text[], ?::int8[], ?::int4[], ?::int8[], ?::int8[]) AS b(code, generation, day, total, bots)"
            + " ORDER BY 1, 2, 3"
            + " ON CONFLICT (short_code, generation, day) DO UPDATE SET total = d.total + EXCLUDED.total, bots = d.bots + EXCLUDED.bots";

    private static final String SAME_DAY_NAMES = "e.short_code = b.code AND e.generation = b.generation"
            + " AND e.day = date '1970-01-01' + b.day AND e.dimension = b.dimension";
    /**
     * Counts names per day; a name a day does not have yet is kept apart only while the day has
     * fewer than {@link #MAX_NAMES} (checked against what is committed: a batch may pass it a little).
     */
    static final String COUNT_NAMES = "INSERT INTO visit_day_names AS n (short_code, generation, day, dimension, name, visits)"
            + " SELECT code, generation, day, dimension, name, sum(visits) FROM ("
            + " SELECT b.code, b.generation, date '1970-01-01' + b.day AS day, b.dimension,"
            + " CASE WHEN EXISTS (SELECT 1 FROM visit_day_names e WHERE " + SAME_DAY_NAMES + " AND e.name = b.name) THEN b.name"
            + " WHEN (SELECT count(*) FROM visit_day_names e WHERE " + SAME_DAY_NAMES + ") < " + MAX_NAMES + " THEN b.name"
            + " ELSE '" + VisitAggregates.OTHER + "' END AS name, b.visits"
            + " FROM unnest(?::text[], ?::int8[], ?::int4[], ?::text[], ?::text[], ?::int8[])"
            + " AS b(code, generation, day, dimension, name, visits)) AS m"
            + " GROUP BY code, generation, day, dimension, name ORDER BY 1, 2, 3, 4, 5"
            + " ON CONFLICT (short_code, generation, day, dimension, name) DO UPDATE SET visits = n.visits + EXCLUDED.visits";

    static final String ADD_TOTALS = "UPDATE visit_totals SET links_total = links_total + ?, links_bots = links_bots + ?,"
            + " orphans_total = orphans_total + ?, orphans_bots = orphans_bots + ? WHERE slot = ?";

    /** The raw visits and days of a code, except those of the generation given (-1: all of them). */
    static final String[] FORGET_CODE = {
            "DELETE FROM visits WHERE short_code = ? AND generation <> ?",
            "DELETE FROM visit_days WHERE short_code = ? AND generation <> ?",
            "DELETE FROM visit_day_names WHERE short_code = ? AND generation <> ?"};

    static final String SUMMARY = "SELECT total, bots FROM visit_links WHERE short_code = ? AND life IS NOT NULL";
    static final String STATS = "SELECT sum(links_total), sum(links_bots), sum(orphans_total), sum(orphans_bots) FROM visit_totals";
    static final String CURRENT_GENERATION = "SELECT generation FROM visit_links WHERE short_code = ? AND life IS NOT NULL";

    static final String DELETE_VISITS = "UPDATE visit_links SET before_total = total, before_bots = bots, life = NULL,"
            + " total = 0, bots = 0 WHERE short_code = ? AND life IS NOT NULL RETURNING before_total, before_bots";

    static final String LINK_DELETED = "INSERT INTO visit_links AS v (short_code, life, generation, deleted_life)"
            + " VALUES (?, NULL, 0, " + MILLIS.formatted("?::int8") + ") ON CONFLICT (short_code) DO UPDATE SET"
            + " deleted_life = GREATEST(v.deleted_life, EXCLUDED.deleted_life), before_total = v.total, before_bots = v.bots,"
            + " life = CASE WHEN v.life <= EXCLUDED.deleted_life THEN NULL ELSE v.life END,"
            + " total = CASE WHEN v.life <= EXCLUDED.deleted_life THEN 0 ELSE v.total END,"
            + " bots = CASE WHEN v.life <= EXCLUDED.deleted_life THEN 0 ELSE v.bots END"
            + " RETURNING life IS NULL, total - before_total, bots - before_bots";

    static final String LOCK_TOTALS = "SELECT orphans_total FROM visit_totals ORDER BY slot FOR UPDATE";
    static final String CLEAR_ORPHAN_TOTALS = "UPDATE visit_totals SET orphans_total = 0, orphans_bots = 0";
    static final String DELETE_ORPHANS = "DELETE FROM visits WHERE short_code IS NULL";

    /** Raw visits before a time, a chunk at a time: each chunk a short transaction. */
    static final String DROP_BEFORE = "DELETE FROM visits WHERE id IN (SELECT id FROM visits WHERE date < "
            + MILLIS.formatted("?::int8") + " LIMIT 10000)";

    private static final String COLUMNS = "type, short_code, link_created, date, referer, user_agent, potential_bot,"
            + " visited_path, redirect_url, browser, operating_system, referer_host";

    /** Which visits a page lists: a WHERE clause of the store's choosing, and the query's filters. */
    record Where(String sql, List<Object> parameters) {
        static Where of(String scope, VisitsQuery query, Object... scopeParameters) {
            StringBuilder sql = new StringBuilder(scope);
            List<Object> parameters = new ArrayList<>(List.of(scopeParameters));
            if (query.startDate() != null) {
                sql.append(" AND date >= ").append(MILLIS.formatted("?::int8"));
                parameters.add(query.startDate().toEpochMilli());
            }
            if (query.endDate() != null) {
                sql.append(" AND date <= ").append(MILLIS.formatted("?::int8"));
                parameters.add(query.endDate().toEpochMilli());
            }
            if (query.excludeBots()) {
                sql.append(" AND NOT potential_bot");
            }
            if (query.orphanType() != null) {
                sql.append(" AND type = ?");
                parameters.add(query.orphanType().shlinkName());
            }
            return new Where(sql.toString(), parameters);
        }

        String count() {
            return "SELECT count(*) FROM visits WHERE " + sql;
        }

        String page(VisitsQuery query) {
            String limit = query.itemsPerPage() == VisitsQuery.ALL ? ""
                    : " LIMIT " + query.itemsPerPage() + " OFFSET " + (long) (query.page() - 1) * query.itemsPerPage();
            return "SELECT " + COLUMNS + " FROM visits WHERE " + sql + " ORDER BY date DESC, id DESC" + limit;
        }

        void bind(PreparedStatement statement, Connection connection) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                statement.setObject(i + 1, value instanceof String[] codes ? connection.createArrayOf("text", codes) : value);
            }
        }
    }

    static Visit read(ResultSet row) throws SQLException {
        OffsetDateTime created = row.getObject(3, OffsetDateTime.class);
        return new Visit(VisitType.ofShlinkName(row.getString(1)), row.getString(2),
                created == null ? 0 : created.toInstant().toEpochMilli(), row.getObject(4, OffsetDateTime.class).toInstant(),
                row.getString(5), row.getString(6), row.getBoolean(7), row.getString(8), row.getString(9), row.getString(10),
                row.getString(11), row.getString(12));
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The days and names of one scope within a range, as stored. */
    static final String AGGREGATE_DAYS = "SELECT day, sum(total), sum(bots) FROM visit_days WHERE %s GROUP BY day ORDER BY day";
    static final String AGGREGATE_NAMES = "SELECT dimension, name, sum(visits) FROM visit_day_names WHERE %s GROUP BY dimension, name";

    /** The {@code limit} most frequent of {@code counts}, most first, ties by name. */
    static List<VisitAggregates.NamedCount> top(List<VisitAggregates.NamedCount> counts, int limit) {
        List<VisitAggregates.NamedCount> sorted = new ArrayList<>(counts);
        sorted.sort(Comparator.comparingLong(VisitAggregates.NamedCount::count).reversed()
                .thenComparing(VisitAggregates.NamedCount::name));
        return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
    }

    static int epochDay(Instant instant) {
        return (int) LocalDate.ofInstant(instant, ZoneOffset.UTC).toEpochDay();
    }
}
