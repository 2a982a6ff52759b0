package gotourl.api;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.Link;
import gotourl.link.LinkEdit;
import gotourl.link.Tags;
import gotourl.store.LinkChange;
import gotourl.store.LinkStore;
import gotourl.store.LinksQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Fields;

/**
 * Shlink's tag routes: {@code GET /tags} (names), {@code GET /tags/stats} (Shlink's
 * {@code TagInfo}), {@code PUT /tags} (rename) and {@code DELETE /tags?tags[]=...}. A tag exists
 * while a link carries it. Renaming and deleting change every link with the tag, in one group
 * commit per {@value LinkStore#MAX_BATCH} links; an author-role key may list only its own links'
 * tags, and may not rename or delete (403 {@code forbidden-tag-operation}, as Shlink).
 */
final class TagRoutes {
    private final ApiOptions options;

    TagRoutes(ApiOptions options) {
        this.options = options;
    }

    void list(Exchange exchange, LinkStore store) {
        page(exchange, store, false);
    }

    void stats(Exchange exchange, LinkStore store) {
        page(exchange, store, true);
    }

    /** Shlink's {@code TagsParams}: {@code page}, {@code itemsPerPage} (default all), {@code searchTerm}, {@code orderBy}. */
    private void page(Exchange exchange, LinkStore store, boolean stats) {
        Fields query = exchange.query();
        Map<String, Long> counts = store.tagCounts(exchange.authorScope());
        String term = query.getValue("searchTerm");
        List<String> tags = new ArrayList<>();
        for (String tag : counts.keySet()) {
            if (term == null || tag.contains(term.toLowerCase(Locale.ROOT))) {
                tags.add(tag);
            }
        }
        String orderBy = query.getValue("orderBy");
        if (orderBy != null && !orderBy.isEmpty()) {
            Comparator<String> order = switch (orderBy) {
                case "tag-ASC", "tag" -> Comparator.naturalOrder();
                case "tag-DESC" -> Comparator.<String>naturalOrder().reversed();
                case "shortUrlsCount-ASC", "shortUrlsCount" -> Comparator.comparing((String tag) -> counts.get(tag));
                case "shortUrlsCount-DESC" -> Comparator.comparing((String tag) -> counts.get(tag)).reversed();
                default -> throw Problem.invalidData("orderBy", "orderBy is tag-ASC, tag-DESC, shortUrlsCount-ASC or"
                        + " shortUrlsCount-DESC, not \"" + orderBy + "\"");
            };
            tags.sort(order.thenComparing(Comparator.naturalOrder()));
        }
        int itemsPerPage = intParam(query, "itemsPerPage", -1);
        int page = intParam(query, "page", 1);
        if (itemsPerPage == 0 || itemsPerPage < -1 || itemsPerPage > ListParams.MAX_ITEMS_PER_PAGE) {
            throw Problem.invalidData("itemsPerPage", "itemsPerPage must be 1 to " + ListParams.MAX_ITEMS_PER_PAGE
                    + ", or -1 for all, not " + itemsPerPage);
        }
        if (page < 1) {
            throw Problem.invalidData("page", "page must be 1 or more, not " + page);
        }
        int from = itemsPerPage < 0 ? 0 : (int) Math.min(tags.size(), (long) (page - 1) * itemsPerPage);
        int to = itemsPerPage < 0 ? tags.size() : (int) Math.min(tags.size(), (long) from + itemsPerPage);
        List<String> shown = tags.subList(from, to);
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("tags");
            json.writeArrayFieldStart("data");
            for (String tag : shown) {
                if (stats) {
                    json.writeStartObject();
                    json.writeStringField("tag", tag);
                    json.writeNumberField("shortUrlsCount", counts.get(tag));
                    json.writeFieldName("visitsSummary");
                    long[] visits = visits(store, tag, exchange.authorScope());
                    Json.visitsSummary(json, visits[0], visits[1]);
                    json.writeEndObject();
                } else {
                    json.writeString(tag);
                }
            }
            json.writeEndArray();
            Json.pagination(json, itemsPerPage < 0 ? 1 : page, itemsPerPage, shown.size(), tags.size());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The visits of the links tagged {@code tag}: total and non-bots; zeros until visits are wired. */
    private long[] visits(LinkStore store, String tag, String author) {
        if (options.visits() == ApiVisits.NONE) {
            return new long[2];
        }
        long[] sum = new long[2];
        for (Link link : store.list(LinksQuery.all(Instant.now()).withTags(Set.of(tag), false).withAuthor(author)).links()) {
            sum[0] += options.visits().total(link);
            sum[1] += options.visits().nonBots(link);
        }
        return sum;
    }

    /** Shlink's {@code PUT /tags} with {@code {"oldName": ..., "newName": ...}}: 204, 404, 409 or 403. */
    void rename(Exchange exchange, JsonNode body, LinkStore store) {
        forbidAuthors(exchange, "rename");
        LinkInput.requireObject(body);
        String oldName = nameField(body, "oldName");
        String newName = nameField(body, "newName");
        Map<String, Long> counts = store.tagCounts(null);
        if (!counts.containsKey(oldName)) {
            throw Problem.tagNotFound(oldName);
        }
        if (oldName.equals(newName)) {
            exchange.empty(204);
            return;
        }
        if (counts.containsKey(newName)) {
            throw Problem.tagConflict(oldName, newName);
        }
        change(exchange, store, tagged(store, Set.of(oldName)), tags -> {
            Set<String> renamed = new TreeSet<>(tags);
            renamed.remove(oldName);
            renamed.add(newName);
            return renamed;
        });
    }

    /** Shlink's {@code DELETE /tags?tags[]=a&tags[]=b}: the tags leave every link; unknown tags are ignored. 204. */
    void delete(Exchange exchange, LinkStore store) {
        forbidAuthors(exchange, "delete");
        Fields query = exchange.query();
        Set<String> doomed;
        try {
            doomed = Tags.normalize(Exchange.values(query, "tags"));
        } catch (IllegalArgumentException e) {
            throw Problem.invalidData("tags", e.getMessage());
        }
        if (doomed.isEmpty()) {
            exchange.empty(204);
            return;
        }
        change(exchange, store, tagged(store, doomed), tags -> {
            Set<String> kept = new TreeSet<>(tags);
            kept.removeAll(doomed);
            return kept;
        });
    }

    private static List<Link> tagged(LinkStore store, Set<String> tags) {
        return store.list(LinksQuery.all(Instant.now()).withTags(tags, false)).links();
    }

    /** Edits the tags of {@code links}, {@value LinkStore#MAX_BATCH} per group commit, then answers 204. */
    private static void change(Exchange exchange, LinkStore store, List<Link> links,
                               java.util.function.UnaryOperator<Set<String>> newTags) {
        CompletableFuture<?> done = CompletableFuture.completedFuture(null);
        for (int from = 0; from < links.size(); from += LinkStore.MAX_BATCH) {
            List<LinkChange> changes = new ArrayList<>();
            for (Link link : links.subList(from, Math.min(links.size(), from + LinkStore.MAX_BATCH))) {
                changes.add(new LinkChange.Edit(link.shortCode(), LinkEdit.none().tags(newTags.apply(link.tags()))));
            }
            done = done.thenCompose(ignored -> store.apply(changes));
        }
        done.whenComplete((ignored, failure) -> {
            if (failure == null) {
                exchange.empty(204);
            } else {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                exchange.problem(ShortUrlRoutes.storeProblem(exchange, cause));
            }
        });
    }

    private static void forbidAuthors(Exchange exchange, String what) {
        if (exchange.authorScope() != null) {
            throw Problem.forbiddenTagOperation("You are not allowed to " + what + " tags: an author API key can only"
                    + " change the tags of its own short URLs, through PATCH /short-urls/{shortCode}");
        }
    }

    private static String nameField(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw Problem.invalidData(field, field + " is required: a tag name, as a non-empty string");
        }
        try {
            return Tags.normalize(node.textValue());
        } catch (IllegalArgumentException e) {
            throw Problem.invalidData(field, field + ": " + e.getMessage());
        }
    }

    private static int intParam(Fields query, String name, int otherwise) {
        String text = query.getValue(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw Problem.invalidData(name, name + " must be a whole number, not \"" + text + "\"");
        }
    }
}
