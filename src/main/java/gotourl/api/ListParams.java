package gotourl.api;

import gotourl.link.Tags;
import gotourl.store.LinksQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * The query of {@code GET /short-urls}, as Shlink's {@code ShortUrlsParams} reads it: {@code page}
 * (from 1), {@code itemsPerPage} (default {@value #DEFAULT_ITEMS_PER_PAGE}, {@code -1} for all),
 * {@code searchTerm}, {@code tags[]} with {@code tagsMode}, {@code excludeTags[]} with
 * {@code excludeTagsMode}, {@code orderBy} ({@code field-ASC|DESC}), {@code startDate},
 * {@code endDate}, {@code excludeMaxVisitsReached}, {@code excludePastValidUntil}. Each bad
 * value is named in a 400 {@code invalid-data}.
 */
record ListParams(LinksQuery query, long page, int itemsPerPage, boolean cheap) {
    /** Shlink's {@code DEFAULT_ITEMS_PER_PAGE}. */
    static final int DEFAULT_ITEMS_PER_PAGE = 10;
    /** The largest page goto answers; more is a 400 that says to page. */
    static final int MAX_ITEMS_PER_PAGE = 1_000;
    /** What {@code itemsPerPage=-1} ("all") may answer before it is refused with a request to page. */
    static final int MAX_ALL_ITEMS = 10_000;
    private static final long MAX_PAGE = 1_000_000_000L;
    private static final int MAX_SEARCH_CHARS = 1_000;

    static ListParams parse(Exchange exchange, Instant now, LinksQuery.VisitCounts visits) {
        Fields fields = exchange.query();
        Map<String, String> problems = new LinkedHashMap<>();
        long page = 1;
        String pageText = fields.getValue("page");
        if (pageText != null && !pageText.isEmpty()) {
            page = parseLong(pageText, -1);
            if (page < 1 || page > MAX_PAGE) {
                problems.put("page", "page must be a whole number from 1 to " + MAX_PAGE + ", not \"" + pageText + "\"");
                page = 1;
            }
        }
        int itemsPerPage = DEFAULT_ITEMS_PER_PAGE;
        String itemsText = fields.getValue("itemsPerPage");
        if (itemsText != null && !itemsText.isEmpty()) {
            long items = parseLong(itemsText, Long.MIN_VALUE);
            if (items == -1 || items >= 1 && items <= MAX_ITEMS_PER_PAGE) {
                itemsPerPage = (int) items;
            } else {
                problems.put("itemsPerPage", "itemsPerPage must be 1 to " + MAX_ITEMS_PER_PAGE + ", or -1 for all, not \""
                        + itemsText + "\"");
            }
        }
        String term = fields.getValue("searchTerm");
        if (term != null && term.length() > MAX_SEARCH_CHARS) {
            problems.put("searchTerm", "searchTerm is " + term.length() + " characters long; the limit is " + MAX_SEARCH_CHARS);
        }
        Set<String> tags = tags(fields, "tags", problems);
        Set<String> excludeTags = tags(fields, "excludeTags", problems);
        boolean allTags = mode(fields, "tagsMode", problems);
        boolean excludeAllTags = mode(fields, "excludeTagsMode", problems);
        LinksQuery.Order order = LinksQuery.Order.DATE_CREATED;
        boolean descending = true;
        String orderBy = fields.getValue("orderBy");
        if (orderBy != null && !orderBy.isEmpty()) {
            int dash = orderBy.lastIndexOf('-');
            String field = dash < 0 ? orderBy : orderBy.substring(0, dash);
            String dir = dash < 0 ? "ASC" : orderBy.substring(dash + 1).toUpperCase(Locale.ROOT);
            LinksQuery.Order parsed = switch (field) {
                case "dateCreated" -> LinksQuery.Order.DATE_CREATED;
                case "shortCode" -> LinksQuery.Order.SHORT_CODE;
                case "longUrl" -> LinksQuery.Order.LONG_URL;
                case "title" -> LinksQuery.Order.TITLE;
                case "visits" -> LinksQuery.Order.VISITS;
                case "nonBotVisits" -> LinksQuery.Order.NON_BOT_VISITS;
                default -> null;
            };
            if (parsed == null || !dir.equals("ASC") && !dir.equals("DESC")) {
                problems.put("orderBy", "orderBy is FIELD-ASC or FIELD-DESC with FIELD one of dateCreated, shortCode,"
                        + " longUrl, title, visits, nonBotVisits; not \"" + orderBy + "\"");
            } else {
                order = parsed;
                descending = dir.equals("DESC");
            }
        }
        Instant start = date(fields, "startDate", problems);
        Instant end = date(fields, "endDate", problems);
        boolean pastValidUntil = flag(fields, "excludePastValidUntil", problems);
        boolean maxVisitsReached = flag(fields, "excludeMaxVisitsReached", problems);
        if (!problems.isEmpty()) {
            StringBuilder detail = new StringBuilder("Provided data is not valid: ");
            problems.forEach((field, problem) -> detail.append(problem).append("; "));
            detail.setLength(detail.length() - 2);
            throw Problem.invalidData(detail.toString(), List.copyOf(problems.keySet()));
        }
        String author = exchange.authorScope();
        int limit = itemsPerPage < 0 ? MAX_ALL_ITEMS + 1 : itemsPerPage;
        long offset = itemsPerPage < 0 ? 0 : (page - 1) * itemsPerPage;
        LinksQuery query = LinksQuery.all(now).withSearchTerm(term).withTags(tags, allTags).withExcludeTags(excludeTags, excludeAllTags)
                .withDates(start, end).withExclusions(pastValidUntil, maxVisitsReached).withAuthor(author)
                .withOrder(order, descending).withPage(offset, limit).withVisits(visits);
        boolean cheap = (term == null || term.isEmpty()) && tags.isEmpty() && excludeTags.isEmpty() && start == null && end == null
                && !pastValidUntil && !maxVisitsReached && author == null && order == LinksQuery.Order.DATE_CREATED;
        return new ListParams(query, itemsPerPage < 0 ? 1 : page, itemsPerPage, cheap);
    }

    private static long parseLong(String text, long otherwise) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Set<String> tags(Fields fields, String name, Map<String, String> problems) {
        List<String> values = new ArrayList<>(Exchange.values(fields, name));
        values.removeIf(String::isEmpty);
        try {
            return Tags.normalize(values);
        } catch (IllegalArgumentException e) {
            problems.put(name, name + ": " + e.getMessage());
            return Set.of();
        }
    }

    private static boolean mode(Fields fields, String name, Map<String, String> problems) {
        String mode = fields.getValue(name);
        if (mode == null || mode.isEmpty() || mode.equals("any")) {
            return false;
        }
        if (mode.equals("all")) {
            return true;
        }
        problems.put(name, name + " is any or all, not \"" + mode + "\"");
        return false;
    }

    private static Instant date(Fields fields, String name, Map<String, String> problems) {
        String text = fields.getValue(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LinkInput.parseDate(text);
        } catch (DateTimeParseException e) {
            problems.put(name, name + " must be an ISO-8601 date such as 2026-01-31T12:00:00+00:00, not \"" + text + "\"");
            return null;
        }
    }

    /**
     * A boolean query parameter as Shlink reads one: absent, empty, {@code false} or {@code 0} is
     * false; {@code true} or {@code 1} is true; anything else is recorded in {@code problems}
     * (becoming {@code invalid-data}) and read as false.
     */
    static boolean flag(Fields fields, String name, Map<String, String> problems) {
        String text = fields.getValue(name);
        if (text == null || text.isEmpty() || text.equals("false") || text.equals("0")) {
            return false;
        }
        if (text.equals("true") || text.equals("1")) {
            return true;
        }
        problems.put(name, name + " is true or false, not \"" + text + "\"");
        return false;
    }
}
