package gotourl.store.pg;

import gotourl.visits.VisitAggregates;
import gotourl.visits.VisitsSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Dashboard aggregates read from {@code visit_days} and {@code visit_day_names}: the cost grows with days, not visits. */
final class VisitAggregateReads {
    private VisitAggregateReads() {}

    static VisitAggregates read(Connection connection, String shortCode, LocalDate from, LocalDate to) throws SQLException {
        StringBuilder where = new StringBuilder("short_code = ?");
        List<Object> parameters = new ArrayList<>();
        if (shortCode == null) {
            parameters.add(VisitWrites.ALL_LINKS); // every slot's rows
        } else {
            Long generation = currentGeneration(connection, shortCode);
            if (generation == null) {
                return VisitAggregates.NONE;
            }
            where.append(" AND generation = ?");
            parameters.add(shortCode);
            parameters.add(generation);
        }
        if (from != null) {
            where.append(" AND day >= date '1970-01-01' + ?::int4");
            parameters.add((int) from.toEpochDay());
        }
        if (to != null) {
            where.append(" AND day <= date '1970-01-01' + ?::int4");
            parameters.add((int) to.toEpochDay());
        }
        List<VisitAggregates.DayCount> perDay = new ArrayList<>();
        long total = 0;
        long bots = 0;
        try (PreparedStatement days = prepare(connection, VisitRows.AGGREGATE_DAYS.formatted(where), parameters);
             ResultSet rows = days.executeQuery()) {
            while (rows.next()) {
                VisitAggregates.DayCount day = new VisitAggregates.DayCount(rows.getObject(1, LocalDate.class), rows.getLong(2),
                        rows.getLong(3));
                perDay.add(day);
                total += day.total();
                bots += day.bots();
            }
        }
        if (perDay.isEmpty()) {
            return VisitAggregates.NONE;
        }
        List<VisitAggregates.NamedCount> referrers = new ArrayList<>();
        List<VisitAggregates.NamedCount> browsers = new ArrayList<>();
        List<VisitAggregates.NamedCount> systems = new ArrayList<>();
        try (PreparedStatement names = prepare(connection, VisitRows.AGGREGATE_NAMES.formatted(where), parameters);
             ResultSet rows = names.executeQuery()) {
            while (rows.next()) {
                VisitAggregates.NamedCount named = new VisitAggregates.NamedCount(rows.getString(2), rows.getLong(3));
                switch (rows.getString(1)) {
                    case "r" -> referrers.add(named);
                    case "b" -> browsers.add(named);
                    default -> systems.add(named);
                }
            }
        }
        return new VisitAggregates(VisitsSummary.of(total, bots), List.copyOf(perDay), VisitRows.top(referrers, VisitRows.TOP_NAMES),
                VisitRows.top(browsers, VisitRows.TOP_NAMES), VisitRows.top(systems, VisitRows.TOP_NAMES));
    }

    private static Long currentGeneration(Connection connection, String shortCode) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(VisitRows.CURRENT_GENERATION)) {
            select.setString(1, shortCode);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }
}
