package gotourl.api;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LongUrlRules;
import gotourl.store.LinkChange;
import gotourl.store.LinkConflictException;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * goto's batch create, {@code POST /short-urls/batch}: up to {@value LinkStore#MAX_BATCH} of
 * Shlink's creations in one request and one group commit, with the short-URL routes' rules (the
 * key's scope, {@code findIfExists}, passwords hashed off the selector, the live feed told of each
 * new link once).
 */
final class ShortUrlBatch {
    /** A batch of {@value LinkStore#MAX_BATCH} links of ordinary size; a batch of huge ones must be split. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final ShortUrlRoutes routes;
    private final Scheduler scheduler;
    private final long queueWaitNanos;

    /** Batches answered as {@code routes} answers single creates; a full store retried on {@code scheduler} for up to {@code queueWait}. */
    ShortUrlBatch(ShortUrlRoutes routes, Scheduler scheduler, Duration queueWait) {
        this.routes = routes;
        this.scheduler = scheduler;
        this.queueWaitNanos = queueWait.toNanos();
    }

    /**
     * goto's batch create: {@code {"shortUrls": [ ...creations... ]}}, 1 to
     * {@value LinkStore#MAX_BATCH}, answered {@code {"results": [...]}} in the same order, each
     * {@code {"status": 200, "shortUrl": {...}}} or {@code {"status": 4xx, "error": {problem}}}. The
     * valid creations are kept in one group commit; a slug the store refuses fails only its item
     * (the others are then written in one more commit).
     */
    void create(Exchange exchange, JsonNode body, LinkStore store, LongUrlRules rules) {
        JsonNode items = LinkInput.requireObject(body).get("shortUrls");
        if (items == null || !items.isArray()) {
            throw Problem.invalidData("shortUrls", "shortUrls must be an array of short URL creations, as POST /short-urls takes");
        }
        if (items.isEmpty() || items.size() > LinkStore.MAX_BATCH) {
            throw Problem.invalidData("shortUrls", "a batch holds 1 to " + LinkStore.MAX_BATCH + " short URLs, not " + items.size()
                    + "; split it into several batches");
        }
        Object[] results = new Object[items.size()];
        List<Integer> pending = new ArrayList<>();
        List<LinkDraft> drafts = new ArrayList<>();
        List<String> passwordsToHash = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                LinkDraft draft = ShortUrlRoutes.findScoped(exchange, LinkInput.draft(items.get(i), rules, exchange.key.id(), routes.ownDomain()));
                if (draft.customSlug() != null && !slugs.add(draft.customSlug())) {
                    throw Problem.nonUniqueSlug(draft.customSlug(), "Provided slug \"" + draft.customSlug()
                            + "\" is given to an earlier short URL of this batch");
                }
                pending.add(i);
                drafts.add(draft);
                passwordsToHash.add(LinkInput.password(items.get(i)));
            } catch (Problem problem) {
                results[i] = problem;
            }
        }
        long start = System.nanoTime();
        hashAll(exchange, passwordsToHash, 0, drafts, () -> applyBatch(exchange, store, results, pending, drafts, start));
    }

    /** Hashes the batch's passwords one after another (each through the bounded checks), setting each draft's hash, then runs {@code then}. */
    private void hashAll(Exchange exchange, List<String> passwordsToHash, int from, List<LinkDraft> drafts, Runnable then) {
        int next = from;
        while (next < passwordsToHash.size() && passwordsToHash.get(next) == null) {
            next++;
        }
        if (next == passwordsToHash.size()) {
            then.run();
            return;
        }
        int at = next;
        routes.hashed(exchange, passwordsToHash.get(at), hash -> {
            drafts.set(at, drafts.get(at).withPasswordHash(hash));
            hashAll(exchange, passwordsToHash, at + 1, drafts, then);
        });
    }

    private void applyBatch(Exchange exchange, LinkStore store, Object[] results, List<Integer> pending, List<LinkDraft> drafts,
                            long start) {
        if (pending.isEmpty()) {
            answerBatch(exchange, results);
            return;
        }
        List<LinkChange> changes = new ArrayList<>(drafts.size());
        Set<String> existing = new HashSet<>();
        for (LinkDraft draft : drafts) {
            changes.add(new LinkChange.Create(draft));
            existing.addAll(ShortUrlRoutes.existingCodes(draft, store));
        }
        store.apply(changes).whenComplete((links, failure) -> {
            try {
                if (failure == null) {
                    for (int i = 0; i < links.size(); i++) {
                        results[pending.get(i)] = links.get(i);
                    }
                    answerBatch(exchange, results);
                    for (Link link : links) {
                        // add: a link found by a later item of the batch is announced once.
                        if (existing.add(link.shortCode())) {
                            routes.announce(link);
                        }
                    }
                    return;
                }
                Throwable cause = ShortUrlRoutes.unwrap(failure);
                if (cause instanceof LinkConflictException conflict) {
                    int at = -1;
                    for (int i = 0; i < drafts.size() && at < 0; i++) {
                        if (conflict.shortCode().equals(drafts.get(i).customSlug())) {
                            at = i;
                        }
                    }
                    if (at >= 0) {
                        results[pending.get(at)] = ShortUrlRoutes.slugProblem(conflict);
                        List<Integer> restIndexes = new ArrayList<>(pending);
                        List<LinkDraft> restDrafts = new ArrayList<>(drafts);
                        restIndexes.remove(at);
                        restDrafts.remove(at);
                        applyBatch(exchange, store, results, restIndexes, restDrafts, start);
                        return;
                    }
                }
                if (cause instanceof StoreBusyException && System.nanoTime() - start < queueWaitNanos) {
                    scheduler.schedule(() -> applyBatch(exchange, store, results, pending, drafts, start), ShortUrlRoutes.BUSY_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                    return;
                }
                exchange.problem(ShortUrlRoutes.storeProblem(exchange, cause));
            } catch (RuntimeException e) {
                ShortUrlRoutes.failed(exchange, e);
            }
        });
    }

    private void answerBatch(Exchange exchange, Object[] results) {
        routes.withVisits(exchange, () -> writeBatch(exchange, results));
    }

    private void writeBatch(Exchange exchange, Object[] results) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (Object result : results) {
                json.writeStartObject();
                if (result instanceof Link link) {
                    json.writeNumberField("status", 200);
                    json.writeFieldName("shortUrl");
                    routes.writeShortUrl(json, link);
                } else {
                    Problem problem = (Problem) result;
                    json.writeNumberField("status", problem.status);
                    json.writeFieldName("error");
                    json.writeObject(problem.body());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
