package gotourl.api;

import gotourl.visits.VisitType;
import gotourl.visits.VisitsQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/**
 * The query of Shlink's visits lists, as its {@code VisitsParams} and {@code OrphanVisitsParams}
 * read it: {@code startDate}, {@code endDate} (ISO-8601 dates or date-times, both ends inclusive;
 * a date alone is its UTC midnight), {@code excludeBots} ({@code true}), {@code page} (from 1,
 * default 1), {@code itemsPerPage} (default {@code -1}: all, at most {@value #MAX_ALL_ITEMS}), and
 * for orphan visits {@code type} ({@code invalid_short_url}, {@code base_url}, {@code regular_404}).
 * Each bad value is named in a 400 {@code invalid-data}.
 *
 * @param query the visits asked for; with {@code all}, the first {@value #MAX_ALL_ITEMS} + 1 (one
 *              more tells that there are too many to answer at once)
 * @param all   {@code itemsPerPage=-1} (or none): every matching visit in one page
 */
record VisitParams(VisitsQuery query, boolean all) {
    /** The largest page of visits; Shlink's web client asks for pages of 5,000. */
    static final int MAX_ITEMS_PER_PAGE = 5_000;
    /** What "all" may answer before it is refused with a request to page. */
    static final int MAX_ALL_ITEMS = 10_000;
    private static final int MAX_PAGE = 1_000_000_000;

    static VisitParams parse(Exchange exchange, boolean orphans) {
        Fields fields = exchange.query();
        Map<String, String> problems = new LinkedHashMap<>();
        int page = 1;
        String pageText = fields.getValue("page");
        if (pageText != null && !pageText.isEmpty()) {
            long parsed = parseLong(pageText);
            if (parsed < 1 || parsed > MAX_PAGE) {
                problems.put("page", "page must be a whole number from 1 to " + MAX_PAGE + ", not \"" + pageText + "\"");
            } else {
                page = (int) parsed;
            }
        }
        int itemsPerPage = VisitsQuery.ALL;
        String itemsText = fields.getValue("itemsPerPage");
        if (itemsText != null && !itemsText.isEmpty()) {
            long items = parseLong(itemsText);
            if (items == -1 || items >= 1 && items <= MAX_ITEMS_PER_PAGE) {
                itemsPerPage = (int) items;
            } else {
                problems.put("itemsPerPage", "itemsPerPage must be 1 to " + MAX_ITEMS_PER_PAGE + ", or -1 for all, not \""
                        + itemsText + "\"");
            }
        }
        Instant start = date(fields, "startDate", problems);
        Instant end = date(fields, "endDate", problems);
        if (start != null && end != null && end.isBefore(start)) {
            problems.put("endDate", "endDate " + fields.getValue("endDate") + " is before startDate " + fields.getValue("startDate"));
        }
        boolean excludeBots = ListParams.flag(fields, "excludeBots", problems);
        VisitType type = null;
        String typeText = fields.getValue("type");
        if (orphans && typeText != null && !typeText.isEmpty()) {
            try {
                type = VisitType.ofShlinkName(typeText);
                if (!type.isOrphan()) {
                    throw new IllegalArgumentException("type " + typeText + " is no orphan visit type: use invalid_short_url,"
                            + " base_url or regular_404");
                }
            } catch (IllegalArgumentException e) {
                problems.put("type", e.getMessage());
                type = null;
            }
        }
        refuse(problems);
        boolean all = itemsPerPage == VisitsQuery.ALL;
        VisitsQuery query = new VisitsQuery(start, end, excludeBots, type, all ? 1 : page, all ? MAX_ALL_ITEMS + 1 : itemsPerPage);
        return new VisitParams(query, all);
    }

    /**
     * The UTC days of {@code startDate} and {@code endDate} for goto's aggregates (either may be
     * null: open); 400 {@code invalid-data} when one is not a date or they are backwards.
     */
    static LocalDate[] days(Exchange exchange) {
        Fields fields = exchange.query();
        Map<String, String> problems = new LinkedHashMap<>();
        Instant start = date(fields, "startDate", problems);
        Instant end = date(fields, "endDate", problems);
        LocalDate from = start == null ? null : LocalDate.ofInstant(start, ZoneOffset.UTC);
        LocalDate to = end == null ? null : LocalDate.ofInstant(end, ZoneOffset.UTC);
        if (from != null && to != null && to.isBefore(from)) {
            problems.put("endDate", "endDate " + fields.getValue("endDate") + " is before startDate " + fields.getValue("startDate"));
        }
        refuse(problems);
        return new LocalDate[] {from, to};
    }

    private static void refuse(Map<String, String> problems) {
        if (!problems.isEmpty()) {
            throw Problem.invalidData("Provided data is not valid: " + String.join("; ", problems.values()),
                    List.copyOf(problems.keySet()));
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static Instant date(Fields fields, String name, Map<String, String> problems) {
        String text = fields.getValue(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LinkInput.parseDate(text);
        } catch (DateTimeParseException e) {
            problems.put(name, name + " must be an ISO-8601 date such as 2026-01-31 or 2026-01-31T12:00:00+00:00, not \""
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"");
            return null;
        }
    }
}
