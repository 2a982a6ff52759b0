package gotourl.api;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.ShortUrlBase;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.LongUrlRules;
import gotourl.store.KeysExhaustedException;
import gotourl.store.LinkConflictException;
import gotourl.store.LinkNotFoundException;
import gotourl.store.LinkStore;
import gotourl.store.LinksPage;
import gotourl.store.LinksQuery;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shlink's short-URL routes: create ({@code POST /short-urls}), list, get, edit ({@code PATCH}),
 * delete ({@link ShortUrlBatch} creates in batches). An author-role key sees,
 * edits and deletes only the links it created (others answer 404, as if absent, as Shlink's
 * API-key specs do); every created link records the creating key's id as its author.
 */
final class ShortUrlRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("goto.api");
    /** One link's fields: a URL of 8192 characters, a title of 512, 100 tags of 100, with room for escapes. */
    static final int MAX_BODY_BYTES = 128 * 1024;
    /** How long a create waits before it retries a full store, in milliseconds. */
    static final long BUSY_RETRY_MILLIS = 2;

    private final ApiOptions options;
    private final ShortUrlBase base;
    private final Scheduler scheduler;
    private final long queueWaitNanos;
    private final Clock clock;
    private final String ownDomain;
    private final gotourl.protect.PasswordChecks passwords;
    /** Told of each link once its creation is acknowledged (the live feed); never on a redirect. */
    private volatile Consumer<Link> created = link -> {};

    ShortUrlRoutes(ApiOptions options, ShortUrlBase base, Scheduler scheduler, Duration queueWait, Clock clock) {
        this(options, base, scheduler, queueWait, clock, null);
    }

    /** With protected links' passwords hashed by {@code passwords}; null refuses passwords (503). */
    ShortUrlRoutes(ApiOptions options, ShortUrlBase base, Scheduler scheduler, Duration queueWait, Clock clock,
                   gotourl.protect.PasswordChecks passwords) {
        this.passwords = passwords;
        this.options = options;
        this.base = base;
        this.scheduler = scheduler;
        this.queueWaitNanos = queueWait.toNanos();
        this.clock = clock;
        String prefix = base.shortUrl("");
        String authority = prefix.substring(prefix.indexOf("://") + 3);
        int slash = authority.indexOf('/');
        this.ownDomain = slash < 0 ? authority : authority.substring(0, slash);
    }

    void create(Exchange exchange, JsonNode body, LinkStore store, LongUrlRules rules) {
        LinkDraft draft = findScoped(exchange, LinkInput.draft(body, exchange.form, rules, exchange.key.id(), ownDomain));
        long start = System.nanoTime();
        Set<String> existing = existingCodes(draft, store);
        hashed(exchange, LinkInput.password(body), hash -> write(exchange,
                () -> store.create(hash == null ? draft : draft.withPasswordHash(hash)), start,
                link -> withVisits(exchange, () -> {
                    exchange.json(200, json -> Json.shortUrl(json, link, base, options.visits(), options.health()));
                    if (!existing.contains(link.shortCode())) {
                        created.accept(link);
                    }
                })));
    }

    /**
     * The codes of the links a {@code findIfExists} draft may find (those to its long URL, read
     * before the create), so that a link found is not announced as created, as Shlink dispatches
     * its {@code ShortUrlCreated} only for a new one; empty for any other draft. A link to the same
     * URL created by another request meanwhile and found may still be announced by both.
     */
    static Set<String> existingCodes(LinkDraft draft, LinkStore store) {
        if (!draft.findIfExists()) {
            return Set.of();
        }
        Set<String> codes = new HashSet<>();
        for (Link link : store.linksTo(draft.longUrl())) {
            codes.add(link.shortCode());
        }
        return codes;
    }

    /**
     * {@code draft}, whose {@code findIfExists} searches what the key sees, as Shlink's
     * {@code findOneMatching} applies the key's spec: every link for an admin key (one made by
     * another key or by {@code /add} included), only its own for an author key. The draft keeps
     * the key as the author of a link it creates either way.
     */
    static LinkDraft findScoped(Exchange exchange, LinkDraft draft) {
        return draft.withFindAnyAuthor(exchange.authorScope() == null);
    }

    /**
     * Shlink's {@code GET /short-urls/shorten?longUrl=...} ("for integrations"): creates a link
     * with every default, as {@code POST /short-urls} with {@code {"longUrl": ...}} alone, and
     * answers 200 with the short URL as JSON, or as the bare short URL in {@code text/plain} when
     * {@code format=txt} (any case), or, with no {@code format}, when the {@code Accept} header's
     * first type names {@code text/plain} (Shlink's {@code CreateShortUrlContentNegotiationMiddleware}).
     * Errors stay problem+json, as in Shlink. The caller authenticated with the query's {@code apiKey}.
     */
    void shorten(Exchange exchange, LinkStore store, LongUrlRules rules) {
        org.eclipse.jetty.util.Fields query = exchange.query();
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        String longUrl = query.getValue("longUrl");
        if (longUrl != null) {
            body.put("longUrl", longUrl);
        }
        String format = query.getValue("format");
        boolean text;
        if (format != null) {
            text = format.equalsIgnoreCase("txt");
        } else {
            String accept = exchange.request.getHeaders().get(HttpHeader.ACCEPT);
            int comma = accept == null ? -1 : accept.indexOf(',');
            text = accept != null && (comma < 0 ? accept : accept.substring(0, comma)).toLowerCase(java.util.Locale.ROOT)
                    .contains("text/plain");
        }
        LinkDraft draft = LinkInput.draft(body, rules, exchange.key.id(), ownDomain);
        write(exchange, () -> store.create(draft), System.nanoTime(), link -> {
            if (text) {
                exchange.text(200, base.shortUrl(link.shortCode()));
                created.accept(link);
            } else {
                withVisits(exchange, () -> {
                    exchange.json(200, json -> Json.shortUrl(json, link, base, options.visits(), options.health()));
                    created.accept(link);
                });
            }
        });
    }

    /** Calls {@code listener} with each link created through the API, after its answer is written. */
    void onCreated(Consumer<Link> listener) {
        created = listener;
    }

    /** The one domain goto serves, the host (and port) of its short URLs: what a creation's {@code domain} may name. */
    String ownDomain() {
        return ownDomain;
    }

    /** Tells the {@link #onCreated} listener of {@code link}, created by a request whose answer is written. */
    void announce(Link link) {
        created.accept(link);
    }

    /** The short URL's JSON of {@code link}, as every route answers it. */
    void writeShortUrl(com.fasterxml.jackson.core.JsonGenerator json, Link link) throws java.io.IOException {
        Json.shortUrl(json, link, base, options.visits(), options.health());
    }

    /**
     * Calls {@code then} with the hash of {@code password} (null for none, at once), made off this
     * thread by {@link gotourl.protect.PasswordChecks}: a hash is ~70 ms of CPU, never for a
     * selector thread. Answers 503 itself when the checks are all busy.
     */
    void hashed(Exchange exchange, String password, Consumer<String> then) {
        if (password == null) {
            then.accept(null);
            return;
        }
        if (passwords == null) {
            throw Problem.unavailable("this goto cannot hash passwords; create the link without one");
        }
        passwords.hash(password).whenComplete((hash, failure) -> {
            try {
                if (failure == null) {
                    then.accept(hash);
                    return;
                }
                Throwable cause = unwrap(failure);
                if (cause instanceof gotourl.protect.PasswordChecks.BusyException busy) {
                    exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
                    exchange.problem(Problem.unavailable("nothing stored: " + busy.getMessage()));
                } else {
                    failed(exchange, cause);
                }
            } catch (RuntimeException e) {
                failed(exchange, e);
            }
        });
    }

    void get(Exchange exchange, String code, LinkStore store) {
        Link link = visible(exchange, code, store);
        withVisits(exchange, () -> exchange.json(200, json -> Json.shortUrl(json, link, base, options.visits(), options.health())));
    }

    /**
     * Runs {@code answer}, which reads visit counts ({@code visitsSummary}), where it may wait: at
     * once when they are read from memory, else on a virtual thread. With {@code -db} each count
     * is a database round trip, which must hold neither a selector thread (the REST API's handler
     * is non-blocking) nor the thread that completes creates and edits (the store's writer, or
     * for the file store in goto the selector thread it hands each group commit's answers to).
     */
    void withVisits(Exchange exchange, Runnable answer) {
        if (!options.visits().readsBlock()) {
            answer.run();
            return;
        }
        Thread.ofVirtual().name("goto-rest-visits").start(() -> {
            try {
                answer.run();
            } catch (RuntimeException e) {
                failed(exchange, e);
            }
        });
    }

    void edit(Exchange exchange, String code, JsonNode body, LinkStore store, LongUrlRules rules) {
        visible(exchange, code, store);
        LinkEdit edit = LinkInput.edit(body, exchange.form, rules);
        long start = System.nanoTime();
        String password = LinkInput.password(body);
        hashed(exchange, password, hash -> write(exchange, () -> store.edit(code, password == null ? edit : edit.passwordHash(hash)),
                start, link -> withVisits(exchange,
                        () -> exchange.json(200, json -> Json.shortUrl(json, link, base, options.visits(), options.health())))));
    }

    /**
     * Shlink 4's {@code POST /short-urls/{shortCode}/redirect-rules} ({@code SetRedirectRulesAction}):
     * replaces the link's whole list of rules with the body's ({@link RedirectRulesInput}) and answers
     * 200 with them as the GET does. Who may: as for {@link #edit} (an author key, its own links
     * only; another's is Shlink's 404). A fault of the body is 400 {@code invalid-data}, nothing kept.
     */
    void setRedirectRules(Exchange exchange, String code, JsonNode body, LinkStore store, LongUrlRules rules) {
        visible(exchange, code, store);
        gotourl.link.RedirectRules set = RedirectRulesInput.parse(body, rules);
        write(exchange, () -> store.setRedirectRules(code, set), System.nanoTime(),
                link -> exchange.json(200, json -> RedirectRulesInput.write(json, link.longUrl(), link.redirectRules())));
    }

    void delete(Exchange exchange, String code, LinkStore store) {
        Link link = visible(exchange, code, store);
        Integer threshold = options.deleteShortUrlThreshold();
        if (threshold != null) { // the count may be a database read: where withVisits runs it
            withVisits(exchange, () -> {
                if (options.visits().total(link) > threshold) {
                    throw Problem.deletionRefused(code, threshold);
                }
                deleteNow(exchange, code, link, store);
            });
            return;
        }
        deleteNow(exchange, code, link, store);
    }

    private void deleteNow(Exchange exchange, String code, Link link, LinkStore store) {
        write(exchange, () -> store.delete(code), System.nanoTime(), deleted -> {
            // The link's visits go with it, as Shlink's cascade: after the visits queued before.
            gotourl.visits.Tracker tracker = options.visits().tracker();
            if (tracker != null) {
                tracker.linkDeleted(code, link.dateCreated().toEpochMilli());
            }
            exchange.empty(204);
        });
    }

    /**
     * The link under {@code code} if the caller's key may see it; else Shlink's 404. A {@code domain}
     * in the query names the domain the short code is looked up in, as in Shlink: goto's own
     * (or {@code DEFAULT}) finds its links, any other finds none, so that a client that manages
     * several domains never reads, edits or deletes goto's link in another domain's name.
     */
    Link visible(Exchange exchange, String code, LinkStore store) {
        if (exchange.asksForAnotherDomain(ownDomain)) {
            throw Problem.shortUrlNotFound(code, exchange.query().getValue("domain"));
        }
        Link link = store.lookup(code);
        String scope = exchange.authorScope();
        if (link == null || scope != null && !scope.equals(link.author())) {
            throw Problem.shortUrlNotFound(code);
        }
        return link;
    }

    void list(Exchange exchange, LinkStore store) {
        ListParams params = ListParams.parse(exchange, clock.instant(), options.visits());
        if (exchange.asksForAnotherDomain(ownDomain)) { // Shlink's domain filter: goto's links are in its own
            answerList(exchange, params, new LinksPage(List.of(), 0));
            return;
        }
        LinksQuery query = params.query();
        if (params.cheap() || options.visits().readsBlock()) {
            // From memory but for the visit counts, which withVisits reads where they may wait (-db).
            withVisits(exchange, () -> answerList(exchange, params, store.list(query)));
        } else {
            // A filter reads every candidate (up to all links, ~100 ms at 1M): off the selector thread.
            exchange.request.getContext().execute(() -> {
                try {
                    answerList(exchange, params, store.list(query));
                } catch (RuntimeException e) {
                    failed(exchange, e);
                }
            });
        }
    }

    private void answerList(Exchange exchange, ListParams params, LinksPage page) {
        if (params.itemsPerPage() < 0 && page.total() > ListParams.MAX_ALL_ITEMS) {
            throw Problem.invalidData("itemsPerPage", "itemsPerPage=-1 asks for all " + page.total() + " matching short URLs;"
                    + " goto answers at most " + ListParams.MAX_ALL_ITEMS + " at once: page through them with page and"
                    + " itemsPerPage (up to " + ListParams.MAX_ITEMS_PER_PAGE + ")");
        }
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("shortUrls");
            json.writeArrayFieldStart("data");
            for (Link link : page.links()) {
                Json.shortUrl(json, link, base, options.visits(), options.health());
            }
            json.writeEndArray();
            Json.pagination(json, params.page(), params.itemsPerPage(), page.links().size(), page.total());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * Runs {@code write} and answers with {@code answer} when the store has kept it; a full
     * store is retried on the scheduler for up to the queue wait, as {@code /add} does.
     */
    private void write(Exchange exchange, Supplier<CompletableFuture<Link>> write, long start, Consumer<Link> answer) {
        write.get().whenComplete((link, failure) -> {
            try {
                if (failure == null) {
                    answer.accept(link);
                    return;
                }
                Throwable cause = unwrap(failure);
                if (cause instanceof StoreBusyException && System.nanoTime() - start < queueWaitNanos) {
                    scheduler.schedule(() -> write(exchange, write, start, answer), BUSY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
                exchange.problem(storeProblem(exchange, cause));
            } catch (RuntimeException e) {
                failed(exchange, e);
            }
        });
    }

    /** What a refusal of the store means to an API client. */
    static Problem storeProblem(Exchange exchange, Throwable cause) {
        return switch (cause) {
            case Problem problem -> problem;
            case LinkConflictException conflict -> slugProblem(conflict);
            case LinkNotFoundException missing -> Problem.shortUrlNotFound(missing.shortCode());
            case IllegalArgumentException invalid -> Problem.invalidData(invalid.getMessage(), List.of(fieldOf(invalid.getMessage())));
            case StoreBusyException busy -> {
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
                yield Problem.unavailable("nothing stored: goto is busy (" + busy.getMessage() + "); retry in a second");
            }
            case java.io.UncheckedIOException visits when visits.getCause() instanceof gotourl.visits.VisitStoreUnavailableException -> {
                // Visit counts (visitsSummary) come from a visits store that is out for now (a database outage).
                exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
                yield Problem.unavailable("goto cannot read visit counts right now (" + visits.getCause().getMessage()
                        + "); links and redirects are not affected; retry in a moment");
            }
            case KeysExhaustedException exhausted -> Problem.unavailable("nothing stored: " + exhausted.getMessage()
                    + " (\"customSlug\"); existing links still redirect");
            case StoreFailedException failed -> Problem.unavailable("nothing stored: goto cannot store links ("
                    + failed.getMessage() + "); existing links still redirect; goto's operator must check its log");
            default -> {
                LOG.error("REST request {} {} failed inside goto", exchange.request.getMethod(), exchange.request.getHttpURI().getPath(), cause);
                yield Problem.internal("goto hit an internal error and could not complete this request; nothing was stored."
                        + " Retry it; if it happens again, report it to goto's operator");
            }
        };
    }

    static Problem slugProblem(LinkConflictException conflict) {
        return Problem.nonUniqueSlug(conflict.shortCode(), "Provided slug \"" + conflict.shortCode() + "\" is already in use: "
                + conflict.reason());
    }

    private static String fieldOf(String message) {
        String text = String.valueOf(message);
        for (String field : List.of("validUntil", "validSince", "maxVisits", "longUrl", "title", "tags")) {
            if (text.contains(field)) {
                return field;
            }
        }
        return "longUrl";
    }

    /** An unexpected failure after the answer was planned: logged with its trace, answered 500. */
    static void failed(Exchange exchange, Throwable failure) {
        if (failure instanceof Problem problem) {
            exchange.problem(problem);
            return;
        }
        exchange.problem(storeProblem(exchange, failure instanceof IllegalArgumentException ? new IllegalStateException(failure)
                : failure));
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
