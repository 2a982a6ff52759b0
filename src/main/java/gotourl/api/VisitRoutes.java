package gotourl.api;

import com.fasterxml.jackson.core.JsonGenerator;
import gotourl.ShortUrlBase;
import gotourl.link.Link;
import gotourl.store.LinkStore;
import gotourl.store.LinksQuery;
import gotourl.visits.Tracker;
import gotourl.visits.Visit;
import gotourl.visits.VisitAggregates;
import gotourl.visits.VisitStats;
import gotourl.visits.VisitStore;
import gotourl.visits.VisitsPage;
import gotourl.visits.VisitsSummary;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shlink's visits routes, answered from the {@link Tracker}'s {@link VisitStore}: a link's visits
 * ({@code GET|DELETE /short-urls/{shortCode}/visits}), a tag's, a domain's, orphan visits
 * ({@code GET|DELETE /visits/orphan}, with {@code type}), visits of any link
 * ({@code /visits/non-orphan}), the overview ({@code GET /visits}), and goto's aggregates for
 * dashboards ({@code GET /short-urls/{shortCode}/visits/aggregate}, {@code GET /visits/aggregate}).
 *
 * <p>An author-role key sees only its own links' visits, as Shlink's author keys, and no orphan
 * visits (as Shlink's {@code no-orphan-visits} role: orphan visits belong to no author): its
 * overview, non-orphan and tag lists and aggregates cover its links alone, and its delete of
 * orphan visits deletes none. Lists read files, so they run off the selector thread; summaries
 * are O(1) and answered inline. Deletes run on the visits worker, after the visits queued before.
 */
final class VisitRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("goto.api");
    /** Names per dimension in an aggregate: a dashboard's top ten. */
    static final int TOP_NAMES = 10;

    /** What the routes read while visits are not wired ({@link ApiVisits#NONE}): nothing. */
    private static final VisitStore NO_VISITS = new gotourl.visits.MemoryVisitStore(1);

    private final ApiOptions options;
    private final Clock clock;
    /** {@code http://host} of {@code -host}: Shlink's {@code visitedUrl} is it followed by the visited path. */
    private final String origin;
    /** goto's authority, which a {@code domain} filter must name (or {@code DEFAULT}) to see any visit. */
    private final String ownDomain;

    VisitRoutes(ApiOptions options, ShortUrlBase base, Clock clock) {
        this.options = options;
        this.clock = clock;
        String prefix = base.shortUrl("");
        int slash = prefix.indexOf('/', prefix.indexOf("://") + 3);
        this.origin = slash < 0 ? prefix : prefix.substring(0, slash);
        this.ownDomain = origin.substring(origin.indexOf("://") + 3);
    }

    /** {@code GET} (a page of the link's visits) or {@code DELETE} ({@code {"deletedVisits": N}}). */
    void shortUrlVisits(Exchange exchange, Link link, String method) {
        if (method.equals("DELETE")) {
            Tracker tracker = options.visits().tracker();
            deleted(exchange, tracker == null ? CompletableFuture.completedFuture(0L) : tracker.deleteVisits(link.shortCode()));
            return;
        }
        VisitParams params = VisitParams.parse(exchange, false);
        if (options.visits().readsBlock()) { // the count is a database read too: off the selector with the rest
            read(exchange, store -> page(exchange, params, options.visits().summary(link).total() == 0 ? null
                    : store.linkVisits(link.shortCode(), params.query())));
            return;
        }
        if (options.visits().summary(link).total() == 0) {
            page(exchange, params, null); // none of this life: no need to read (and none of an older life shown)
            return;
        }
        read(exchange, store -> page(exchange, params, store.linkVisits(link.shortCode(), params.query())));
    }

    /** {@code GET /tags/{tag}/visits}: the visits of the caller's links tagged {@code tag}. */
    void tagVisits(Exchange exchange, String tag, LinkStore store) {
        if (!store.tagCounts(exchange.authorScope()).containsKey(tag)) {
            throw Problem.tagNotFound(tag);
        }
        VisitParams params = VisitParams.parse(exchange, false);
        if (exchange.asksForAnotherDomain(ownDomain)) {
            page(exchange, params, null);
            return;
        }
        read(exchange, visits -> page(exchange, params, visits.visitsOf(
                codes(store, exchange, LinksQuery.all(clock.instant()).withTags(Set.of(tag), false)), params.query())));
    }

    /** {@code GET /visits/non-orphan} and {@code GET /domains/{domain}/visits} (goto has one domain). */
    void nonOrphanVisits(Exchange exchange, LinkStore store) {
        VisitParams params = VisitParams.parse(exchange, false);
        if (exchange.asksForAnotherDomain(ownDomain)) {
            page(exchange, params, null);
            return;
        }
        String author = exchange.authorScope();
        read(exchange, visits -> page(exchange, params, author == null ? visits.nonOrphanVisits(params.query())
                : visits.visitsOf(codes(store, exchange, LinksQuery.all(clock.instant())), params.query())));
    }

    /** {@code GET /visits/orphan} (of one {@code type} if given) or {@code DELETE /visits/orphan}. */
    void orphanVisits(Exchange exchange, String method) {
        boolean author = exchange.authorScope() != null;
        Tracker tracker = options.visits().tracker();
        if (method.equals("DELETE")) {
            deleted(exchange, author || tracker == null ? CompletableFuture.completedFuture(0L) : tracker.deleteOrphanVisits());
            return;
        }
        VisitParams params = VisitParams.parse(exchange, true);
        if (author || exchange.asksForAnotherDomain(ownDomain)) {
            page(exchange, params, null);
            return;
        }
        read(exchange, visits -> page(exchange, params, visits.orphanVisits(params.query())));
    }

    /**
     * Shlink v3's {@code GET /visits}: {@code {"visits": {"nonOrphanVisits": summary,
     * "orphanVisits": summary, "visitsCount": N, "orphanVisitsCount": N}}}, the last two Shlink
     * v3's deprecated totals. O(1) for an admin key; the sum over its links for an author key.
     */
    void overview(Exchange exchange, LinkStore store) {
        Tracker tracker = options.visits().tracker();
        if (exchange.authorScope() == null) {
            writeOverview(exchange, tracker == null ? new VisitStats(VisitsSummary.NONE, VisitsSummary.NONE) : tracker.store().stats());
            return;
        }
        read(exchange, visits -> { // the author's links are found by a scan: off the selector
            VisitsSummary sum = VisitsSummary.NONE;
            for (Link link : authorLinks(store, exchange, LinksQuery.all(clock.instant()))) {
                sum = sum.plus(options.visits().summary(link));
            }
            writeOverview(exchange, new VisitStats(sum, VisitsSummary.NONE));
        });
    }

    private static void writeOverview(Exchange exchange, VisitStats stats) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("visits");
            json.writeFieldName("nonOrphanVisits");
            Json.visitsSummary(json, stats.nonOrphanVisits().total(), stats.nonOrphanVisits().nonBots());
            json.writeFieldName("orphanVisits");
            Json.visitsSummary(json, stats.orphanVisits().total(), stats.orphanVisits().nonBots());
            json.writeNumberField("visitsCount", stats.nonOrphanVisits().total());
            json.writeNumberField("orphanVisitsCount", stats.orphanVisits().total());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * goto's aggregates for dashboards, of {@code link} or (null) of every link the caller sees,
     * over the UTC days of {@code startDate} to {@code endDate}: read from stored per-day
     * aggregates, never by scanning visits (an author key's are the sum of its links').
     */
    void aggregate(Exchange exchange, Link link, LinkStore store) {
        LocalDate[] days = VisitParams.days(exchange);
        read(exchange, visits -> {
            VisitAggregates aggregates;
            if (link != null) {
                aggregates = options.visits().summary(link).total() == 0 ? VisitAggregates.NONE
                        : visits.aggregates(link.shortCode(), days[0], days[1]);
            } else if (exchange.authorScope() == null) {
                aggregates = visits.aggregates(null, days[0], days[1]);
            } else {
                List<VisitAggregates> parts = new ArrayList<>();
                for (Link own : authorLinks(store, exchange, LinksQuery.all(clock.instant()))) {
                    if (options.visits().summary(own).total() > 0) {
                        parts.add(visits.aggregates(own.shortCode(), days[0], days[1]));
                    }
                }
                aggregates = VisitAggregates.sum(parts, TOP_NAMES);
            }
            writeAggregate(exchange, aggregates);
        });
    }

    private static void writeAggregate(Exchange exchange, VisitAggregates aggregates) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("aggregate");
            json.writeFieldName("visitsSummary");
            Json.visitsSummary(json, aggregates.summary().total(), aggregates.summary().nonBots());
            json.writeArrayFieldStart("perDay");
            for (VisitAggregates.DayCount day : aggregates.perDay()) {
                json.writeStartObject();
                json.writeStringField("date", day.day().toString());
                json.writeNumberField("total", day.total());
                json.writeNumberField("nonBots", day.total() - day.bots());
                json.writeNumberField("bots", day.bots());
                json.writeEndObject();
            }
            json.writeEndArray();
            names(json, "referrerHosts", aggregates.referrerHosts());
            names(json, "browsers", aggregates.browsers());
            names(json, "operatingSystems", aggregates.operatingSystems());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void names(JsonGenerator json, String field, List<VisitAggregates.NamedCount> counts) throws IOException {
        json.writeArrayFieldStart(field);
        for (VisitAggregates.NamedCount count : counts) {
            json.writeStartObject();
            json.writeStringField("name", count.name());
            json.writeNumberField("count", count.count());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The short codes of the links of {@code query} the caller may see. */
    private static Set<String> codes(LinkStore store, Exchange exchange, LinksQuery query) {
        Set<String> codes = new LinkedHashSet<>();
        for (Link link : authorLinks(store, exchange, query)) {
            codes.add(link.shortCode());
        }
        return codes;
    }

    private static List<Link> authorLinks(LinkStore store, Exchange exchange, LinksQuery query) {
        return store.list(query.withAuthor(exchange.authorScope()).withPage(0, -1)).links();
    }

    /** A read of the visit store, which may touch files: on a pool thread, never the selector. */
    @FunctionalInterface
    private interface Read {
        void run(VisitStore store) throws IOException;
    }

    private void read(Exchange exchange, Read read) {
        Tracker tracker = options.visits().tracker();
        VisitStore store = tracker == null ? NO_VISITS : tracker.store();
        exchange.request.getContext().execute(() -> {
            try {
                read.run(store);
            } catch (IOException e) {
                LOG.error("reading visits for {} failed", exchange.request.getHttpURI().getPath(), e);
                exchange.problem(Problem.unavailable("goto cannot read its visits (" + e.getMessage() + "); links and"
                        + " redirects are not affected; goto's operator must check its log"));
            } catch (RuntimeException e) {
                ShortUrlRoutes.failed(exchange, e);
            }
        });
    }

    /** A page of visits as Shlink's {@code {"visits": {"data": [...], "pagination": {...}}}}; null for an empty one. */
    private void page(Exchange exchange, VisitParams params, VisitsPage page) {
        List<Visit> data = page == null ? List.of() : page.data();
        long total = page == null ? 0 : page.totalItems();
        if (params.all() && data.size() > VisitParams.MAX_ALL_ITEMS) {
            throw Problem.invalidData("itemsPerPage", "itemsPerPage=-1 (the default) asks for all of more than "
                    + VisitParams.MAX_ALL_ITEMS + " visits; goto answers at most " + VisitParams.MAX_ALL_ITEMS
                    + " at once: page through them with page and itemsPerPage (up to " + VisitParams.MAX_ITEMS_PER_PAGE + ")");
        }
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("visits");
            json.writeArrayFieldStart("data");
            for (Visit visit : data) {
                visit(json, visit);
            }
            json.writeEndArray();
            Json.pagination(json, params.query().page(), params.all() ? -1 : params.query().itemsPerPage(), data.size(), total);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * A visit as Shlink's {@code Visit}: {@code referer} ("" when none), {@code date},
     * {@code userAgent}, {@code visitLocation} (null: goto ships no geolocation), {@code potentialBot},
     * {@code visitedUrl}, {@code redirectUrl} (null for orphans), and {@code type} for orphan visits.
     */
    private void visit(JsonGenerator json, Visit visit) throws IOException {
        json.writeStartObject();
        json.writeStringField("referer", visit.referer());
        json.writeStringField("date", Json.date(visit.date()));
        json.writeStringField("userAgent", visit.userAgent());
        json.writeNullField("visitLocation");
        json.writeBooleanField("potentialBot", visit.potentialBot());
        json.writeStringField("visitedUrl", origin + (visit.visitedPath().startsWith("/") ? visit.visitedPath() : "/" + visit.visitedPath()));
        if (visit.redirectUrl() == null) {
            json.writeNullField("redirectUrl");
        } else {
            json.writeStringField("redirectUrl", visit.redirectUrl());
        }
        if (visit.isOrphan()) {
            json.writeStringField("type", visit.type().shlinkName());
        }
        json.writeEndObject();
    }

    private static void deleted(Exchange exchange, CompletableFuture<Long> deletion) {
        deletion.whenComplete((count, failure) -> {
            if (failure == null) {
                exchange.json(200, json -> {
                    json.writeStartObject();
                    json.writeNumberField("deletedVisits", count);
                    json.writeEndObject();
                });
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            exchange.problem(Problem.unavailable("no visits deleted: " + cause.getMessage()
                    + "; links and redirects are not affected; retry later"));
        });
    }
}
