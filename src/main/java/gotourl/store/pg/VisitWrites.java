package gotourl.store.pg;

import gotourl.visits.Visit;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes {@link PgVisitStore} makes, each inside the caller's transaction: a batch of
 * visits, and the deletes. Statements are those of {@link VisitRows}.
 */
final class VisitWrites {
    /** The code under which the days of all links are counted (with the node's slot as generation). */
    static final String ALL_LINKS = "";

    private record DayKey(String code, long generation, int day) {}

    private record NameKey(String code, long generation, int day, String dimension, String name) {}

    private final int slot;

    VisitWrites(int slot) {
        this.slot = slot;
    }

    /**
     * Writes {@code visits}: counts per code (a code's visits of an older life than the newest
     * in the batch are left out, as the newer life would retire them at once), then the raw
     * visits the counts accepted, the days and names, and the totals.
     */
    void write(Connection connection, List<Visit> visits) throws SQLException {
        Map<String, long[]> lives = new TreeMap<>(); // code -> {life, visits, bots} of its newest life in the batch
        long orphans = 0;
        long orphanBots = 0;
        for (Visit visit : visits) {
            if (visit.isOrphan()) {
                orphans++;
                orphanBots += visit.potentialBot() ? 1 : 0;
                continue;
            }
            long[] life = lives.get(visit.shortCode());
            if (life == null || visit.linkCreatedMillis() > life[0]) {
                life = new long[] {visit.linkCreatedMillis(), 0, 0};
                lives.put(visit.shortCode(), life);
            }
            if (visit.linkCreatedMillis() == life[0]) {
                life[1]++;
                life[2] += visit.potentialBot() ? 1 : 0;
            }
        }
        Map<String, Long> generations = new HashMap<>();
        long[] linkDelta = lives.isEmpty() ? new long[2] : countLinks(connection, lives, generations);

        List<Visit> kept = new ArrayList<>(visits.size());
        Map<DayKey, long[]> days = new HashMap<>();
        Map<NameKey, long[]> names = new HashMap<>();
        for (Visit visit : visits) {
            if (visit.isOrphan()) {
                kept.add(visit);
                continue;
            }
            Long generation = generations.get(visit.shortCode());
            if (generation == null || visit.linkCreatedMillis() != lives.get(visit.shortCode())[0]) {
                continue; // a visit of a deleted or older life
            }
            kept.add(visit);
            int day = VisitRows.epochDay(visit.date());
            count(days, names, new DayKey(visit.shortCode(), generation, day), visit);
            count(days, names, new DayKey(ALL_LINKS, slot, day), visit);
        }
        insertVisits(connection, kept, generations);
        countDays(connection, days, names);
        addTotals(connection, linkDelta[0], linkDelta[1], orphans, orphanBots);
    }

    /** Upserts each code's count; fills {@code generations} with the codes whose visits were accepted; returns the totals' change. */
    private long[] countLinks(Connection connection, Map<String, long[]> lives, Map<String, Long> generations) throws SQLException {
        int n = lives.size();
        String[] codes = new String[n];
        Long[] life = new Long[n];
        Long[] total = new Long[n];
        Long[] bots = new Long[n];
        int i = 0;
        for (Map.Entry<String, long[]> entry : lives.entrySet()) {
            codes[i] = entry.getKey();
            life[i] = entry.getValue()[0];
            total[i] = entry.getValue()[1];
            bots[i] = entry.getValue()[2];
            i++;
        }
        long[] delta = new long[2];
        List<String> renewed = new ArrayList<>();
        try (PreparedStatement count = connection.prepareStatement(VisitRows.COUNT_LINKS)) {
            count.setArray(1, connection.createArrayOf("text", codes));
            count.setArray(2, connection.createArrayOf("int8", life));
            count.setArray(3, connection.createArrayOf("int8", total));
            count.setArray(4, connection.createArrayOf("int8", bots));
            try (ResultSet rows = count.executeQuery()) {
                while (rows.next()) {
                    String code = rows.getString(1);
                    OffsetDateTime current = rows.getObject(2, OffsetDateTime.class);
                    long generation = rows.getLong(3);
                    long newTotal = rows.getLong(4);
                    long beforeTotal = rows.getLong(6);
                    delta[0] += newTotal - beforeTotal;
                    delta[1] += rows.getLong(5) - rows.getLong(7);
                    long[] batch = lives.get(code);
                    if (current != null && current.toInstant().toEpochMilli() == batch[0]) {
                        generations.put(code, generation);
                        if (beforeTotal > 0 && newTotal == batch[1]) {
                            renewed.add(code); // a newer life took the code over: the old one's visits go
                        }
                    }
                }
            }
        }
        for (String code : renewed) {
            forget(connection, code, generations.get(code));
        }
        return delta;
    }

    private static void count(Map<DayKey, long[]> days, Map<NameKey, long[]> names, DayKey key, Visit visit) {
        long[] day = days.computeIfAbsent(key, k -> new long[2]);
        day[0]++;
        day[1] += visit.potentialBot() ? 1 : 0;
        names.computeIfAbsent(new NameKey(key.code(), key.generation(), key.day(), "r", visit.refererHost()), k -> new long[1])[0]++;
        names.computeIfAbsent(new NameKey(key.code(), key.generation(), key.day(), "b", visit.browser()), k -> new long[1])[0]++;
        names.computeIfAbsent(new NameKey(key.code(), key.generation(), key.day(), "o", visit.operatingSystem()), k -> new long[1])[0]++;
    }

    private static void insertVisits(Connection connection, List<Visit> visits, Map<String, Long> generations) throws SQLException {
        if (visits.isEmpty()) {
            return;
        }
        int n = visits.size();
        String[] codes = new String[n];
        Long[] generation = new Long[n];
        Long[] created = new Long[n];
        String[] type = new String[n];
        Long[] date = new Long[n];
        Boolean[] bot = new Boolean[n];
        String[] referer = new String[n];
        String[] agent = new String[n];
        String[] path = new String[n];
        String[] redirect = new String[n];
        String[] browser = new String[n];
        String[] os = new String[n];
        String[] host = new String[n];
        for (int i = 0; i < n; i++) {
            Visit visit = visits.get(i);
            codes[i] = visit.shortCode();
            generation[i] = visit.isOrphan() ? null : generations.get(visit.shortCode());
            created[i] = visit.linkCreatedMillis();
            type[i] = visit.type().shlinkName();
            date[i] = visit.dateMillis();
            bot[i] = visit.potentialBot();
            referer[i] = visit.referer();
            agent[i] = visit.userAgent();
            path[i] = visit.visitedPath();
            redirect[i] = visit.redirectUrl();
            browser[i] = visit.browser();
            os[i] = visit.operatingSystem();
            host[i] = visit.refererHost();
        }
        try (PreparedStatement insert = connection.prepareStatement(VisitRows.INSERT_VISITS)) {
            Object[][] columns = {codes, generation, created, type, date, bot, referer, agent, path, redirect, browser, os, host};
            String[] types = {"text", "int8", "int8", "text", "int8", "bool", "text", "text", "text", "text", "text", "text", "text"};
            for (int c = 0; c < columns.length; c++) {
                insert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
            }
            insert.executeUpdate();
        }
    }

    private static void countDays(Connection connection, Map<DayKey, long[]> days, Map<NameKey, long[]> names) throws SQLException {
        if (days.isEmpty()) {
            return;
        }
        List<Object[]> dayColumns = columns(5, days.size());
        int i = 0;
        for (Map.Entry<DayKey, long[]> day : days.entrySet()) {
            set(dayColumns, i++, day.getKey().code(), day.getKey().generation(), day.getKey().day(), day.getValue()[0], day.getValue()[1]);
        }
        run(connection, VisitRows.COUNT_DAYS, dayColumns, "text", "int8", "int4", "int8", "int8");
        List<Object[]> nameColumns = columns(6, names.size());
        i = 0;
        for (Map.Entry<NameKey, long[]> name : names.entrySet()) {
            NameKey key = name.getKey();
            set(nameColumns, i++, key.code(), key.generation(), key.day(), key.dimension(), key.name(), name.getValue()[0]);
        }
        run(connection, VisitRows.COUNT_NAMES, nameColumns, "text", "int8", "int4", "text", "text", "int8");
    }

    private static List<Object[]> columns(int count, int rows) {
        List<Object[]> columns = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            columns.add(new Object[rows]);
        }
        return columns;
    }

    private static void set(List<Object[]> columns, int row, Object... values) {
        for (int c = 0; c < values.length; c++) {
            columns.get(c)[row] = values[c];
        }
    }

    private static void run(Connection connection, String sql, List<Object[]> columns, String... types) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int c = 0; c < columns.size(); c++) {
                Array array = connection.createArrayOf(types[c], columns.get(c));
                statement.setArray(c + 1, array);
            }
            statement.executeUpdate();
        }
    }

    private void addTotals(Connection connection, long links, long linkBots, long orphans, long orphanBots) throws SQLException {
        if (links == 0 && linkBots == 0 && orphans == 0 && orphanBots == 0) {
            return;
        }
        try (PreparedStatement add = connection.prepareStatement(VisitRows.ADD_TOTALS)) {
            add.setLong(1, links);
            add.setLong(2, linkBots);
            add.setLong(3, orphans);
            add.setLong(4, orphanBots);
            add.setInt(5, slot);
            add.executeUpdate();
        }
    }

    /** Deletes the raw visits, days and names of {@code code} but those of {@code keep} (-1: all). */
    private static void forget(Connection connection, String code, long keep) throws SQLException {
        for (String sql : VisitRows.FORGET_CODE) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, code);
                delete.setLong(2, keep);
                delete.executeUpdate();
            }
        }
    }

    long deleteVisits(Connection connection, String code) throws SQLException {
        long total;
        long bots;
        try (PreparedStatement delete = connection.prepareStatement(VisitRows.DELETE_VISITS)) {
            delete.setString(1, code);
            try (ResultSet row = delete.executeQuery()) {
                if (!row.next()) {
                    return 0;
                }
                total = row.getLong(1);
                bots = row.getLong(2);
            }
        }
        forget(connection, code, -1);
        addTotals(connection, -total, -bots, 0, 0);
        return total;
    }

    void linkDeleted(Connection connection, String code, long createdMillis) throws SQLException {
        try (PreparedStatement deleted = connection.prepareStatement(VisitRows.LINK_DELETED)) {
            deleted.setString(1, code);
            deleted.setLong(2, createdMillis);
            try (ResultSet row = deleted.executeQuery()) {
                row.next();
                if (row.getBoolean(1)) {
                    forget(connection, code, -1);
                }
                addTotals(connection, row.getLong(2), row.getLong(3), 0, 0);
            }
        }
    }

    long deleteOrphanVisits(Connection connection) throws SQLException {
        long total = 0;
        // Locks every slot first: a batch writing orphans meanwhile commits before, or after the delete.
        try (PreparedStatement lock = connection.prepareStatement(VisitRows.LOCK_TOTALS); ResultSet rows = lock.executeQuery()) {
            while (rows.next()) {
                total += rows.getLong(1);
            }
        }
        try (PreparedStatement clear = connection.prepareStatement(VisitRows.CLEAR_ORPHAN_TOTALS)) {
            clear.executeUpdate();
        }
        try (PreparedStatement delete = connection.prepareStatement(VisitRows.DELETE_ORPHANS)) {
            delete.executeUpdate();
        }
        return total;
    }
}
