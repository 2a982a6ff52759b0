package gotourl.http;

import gotourl.ShortUrlBase;
import gotourl.link.LongUrlRules;
import gotourl.ops.ErrorLog;
import gotourl.ops.Metrics;
import gotourl.ops.Metrics.Refusal;
import gotourl.ops.Metrics.Route;
import gotourl.store.KeysExhaustedException;
import gotourl.store.LinkStore;
import gotourl.store.StoreBusyException;
import gotourl.store.StoreFailedException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code /add}: {@code GET} without a url shows the form; {@code POST} with the form field
 * {@code url}, or {@code GET ?url=}, stores the link and answers the short URL as text; a request
 * with more than one {@code url} value (in its query, its form, or both) is refused 400. No thread
 * waits: the form is read asynchronously, the store completes a future when the link is kept, and
 * a full store is retried on Jetty's scheduler for a bounded time before the add is refused.
 */
public final class AddRoute {
    /** A form with one URL of 8192 characters, each percent-encoded as up to 9 bytes, fits. */
    static final int MAX_FORM_BYTES = 80 * 1024;
    private static final long BUSY_RETRY_MILLIS = 2;

    private final ShortUrlBase base;
    private final Scheduler scheduler;
    private final long queueWaitNanos;
    private final Metrics metrics;
    private final ErrorLog errors;
    private final AddAccess access;
    private final AddLimiter limiter;
    private final AppPages pages;

    /** The seed's {@code /add}: open to all, no rate limit. */
    public AddRoute(ShortUrlBase base, Scheduler scheduler, Duration queueWait, Metrics metrics, ErrorLog errors) {
        this(base, scheduler, queueWait, metrics, errors, AddAccess.SEED, java.time.Clock.systemUTC());
    }

    /** An {@code /add} open or closed, and rate-limited, as {@code access} says; {@code clock} times the limit. */
    public AddRoute(ShortUrlBase base, Scheduler scheduler, Duration queueWait, Metrics metrics, ErrorLog errors, AddAccess access,
                    java.time.Clock clock) {
        this(base, scheduler, queueWait, metrics, errors, access, clock, null);
    }

    /** As the one above, answering a browser's form with the web app's {@code pages} (null: text for all). */
    public AddRoute(ShortUrlBase base, Scheduler scheduler, Duration queueWait, Metrics metrics, ErrorLog errors, AddAccess access,
                    java.time.Clock clock, AppPages pages) {
        this.pages = pages;
        this.errors = errors;
        this.base = base;
        this.scheduler = scheduler;
        this.queueWaitNanos = queueWait.toNanos();
        this.metrics = metrics;
        this.access = access;
        this.limiter = access.publicAdd() && access.rate() != null ? new AddLimiter(access.rate(), clock) : null;
    }

    /** The page {@code /} and {@code /add} show: the form, or, with {@code -public-add=false}, where to add instead. */
    String formPage() {
        return access.publicAdd() ? Pages.ADD_FORM : Pages.ADD_CLOSED;
    }

    /** Told of each link {@code /add} created, once its answer is written (the live feed); never on a redirect. */
    private volatile java.util.function.Consumer<gotourl.link.Link> created;

    /** Calls {@code listener} with each link added, after its answer is written, on the thread that wrote it; it must not block. */
    public void onCreated(java.util.function.Consumer<gotourl.link.Link> listener) {
        created = listener;
    }

    void handle(Request request, Response response, Callback callback, LinkStore store, LongUrlRules rules, long start) {
        String method = request.getMethod();
        boolean post = method.equals("POST");
        if (!post && !method.equals("GET") && !method.equals("HEAD")) {
            done(start, Responses.methodNotAllowed(response, callback, method, "GET, POST"));
            return;
        }
        Fields query;
        try {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            refuse(start, response, callback, 400, "the query string is not valid URL encoding: " + e.getMessage());
            return;
        }
        // One look-up, no copy: the field's own list says how many url values the query carries.
        Fields.Field queryField = query.get("url");
        String queryUrl = first(queryField);
        int queryUrls = count(queryField);
        boolean adds = post || !method.equals("HEAD") && (queryUrls > 1 || queryUrl != null && !queryUrl.isEmpty());
        if (adds && !access.publicAdd()) {
            metrics.refusedAdd(Refusal.CLOSED);
            done(start, Responses.text(response, callback, 403, CLOSED_MESSAGE));
            return;
        }
        if (adds && limiter != null) {
            long waitSeconds = limiter.admit(request.getConnectionMetaData().getRemoteSocketAddress());
            if (waitSeconds > 0) {
                metrics.refusedAdd(Refusal.RATE_LIMITED);
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.RETRY_AFTER, Long.toString(waitSeconds));
                done(start, Responses.text(response, callback, 429, "add refused, nothing stored: this address may add "
                        + limiter.rate().adds() + (limiter.rate().adds() == 1 ? " link" : " links") + " per "
                        + describe(limiter.rate().period()) + " (goto's -add-rate); retry in " + waitSeconds
                        + (waitSeconds == 1 ? " second" : " seconds") + ", or use the REST API with an API key\n"));
                return;
            }
        }
        if (!post) {
            // HEAD is safe by definition (RFC 9110 9.2.1): link checkers and chat previews send
            // it to any URL they are shown, so it must never store a link. It describes the page
            // /add shows without side effects, the form, with the headers a GET of it gets.
            if (!adds) {
                done(start, Responses.html(response, callback, 200, formPage()));
            } else if (queryUrls > 1) {
                ambiguous(queryUrls, 0, queryUrl, request, response, callback, start);
            } else {
                add(queryUrl, rules, request, response, callback, store, start);
            }
            return;
        }
        String coding = RefusedBodies.contentCoding(request);
        if (coding != null) {
            response.getHeaders().put(RefusedBodies.ACCEPT_IDENTITY);
            refuse(start, response, RefusedBodies.drainAfter(request, callback), 415, "add refused, nothing stored: "
                    + RefusedBodies.codingRefused(coding));
            return;
        }
        if (request.getLength() > MAX_FORM_BYTES) {
            refuse(start, response, RefusedBodies.drainAfter(request, callback), 413, tooLarge(request.getLength()));
            return;
        }
        // The body may still be on its way: Jetty calls back when the form is complete. The
        // callback only validates, hands the link to the store and writes, so it is declared
        // non-blocking and may run on the selector thread that read the last bytes.
        AddForm.readUrl(request, MAX_FORM_BYTES, (formUrl, formUrls, failure) -> {
            try {
                if (failure != null) {
                    formFailed(unwrap(failure), request, response, callback, start);
                    return;
                }
                // The query's field, not its url and count, is captured: no larger a lambda than before.
                String url = formUrl != null ? formUrl : first(queryField);
                if (count(queryField) + formUrls > 1) {
                    ambiguous(count(queryField), formUrls, url, request, response, callback, start);
                    return;
                }
                add(url, rules, request, response, callback, store, start);
            } catch (Throwable unexpected) {
                done(start, Responses.internalError(request, response, callback, unexpected, errors));
            }
        });
    }

    static final String CLOSED_MESSAGE = "add refused, nothing stored: adding links through /add is closed on this goto"
            + " (-public-add=false). Create links through the REST API (POST /rest/v3/short-urls) with an API key in the"
            + " X-Api-Key header; goto's operator gives keys out ('goto api-key generate').\n";

    /** The first value of a query's {@code url} field, null when it has none. */
    private static String first(Fields.Field url) {
        return url == null ? null : url.getValue();
    }

    /** How many values a query's {@code url} field has: the size of its own list, nothing copied. */
    private static int count(Fields.Field url) {
        return url == null ? 0 : url.getValues().size();
    }

    private static String describe(Duration period) {
        long seconds = period.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds == 3600 ? "hour" : seconds / 3600 + " hours";
        }
        if (seconds % 60 == 0) {
            return seconds == 60 ? "minute" : seconds / 60 + " minutes";
        }
        return seconds == 1 ? "second" : period.toMillis() % 1000 == 0 ? seconds + " seconds" : period.toMillis() + " ms";
    }

    private void formFailed(Throwable failure, Request request, Response response, Callback callback, long start) {
        if (failure instanceof BadMessageException bad && bad.getCode() == 413
                || String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("too large")) {
            refuse(start, response, callback, 413, tooLarge(-1));
        } else if (notArrived(failure) && request.getConnectionMetaData().getConnector().isShutdown()) {
            // A stop shortens the idle timeout, so an upload whose client has gone quiet is cut
            // off: the form was not wrong, it just did not arrive before goto stopped.
            metrics.refusedAdd(Refusal.STOPPING);
            response.getHeaders().put(Responses.RETRY_SOON);
            done(start, Responses.text(response, callback, 503, "add refused, nothing stored: goto is shutting down"
                    + " and the form had not fully arrived. Retry in a moment.\n"));
        } else if (failure instanceof RequestDeadline.Exceeded deadline) {
            refuse(start, response, callback, 408, "add refused, nothing stored: " + deadline.getMessage()
                    + " (goto's request deadline) and the form was still arriving; send the whole body with the request");
        } else if (failure instanceof AddForm.UnknownCharsetException unknown) {
            refuse(start, response, callback, 415, "add refused: " + unknown.getMessage());
        } else if (causedByBadEncoding(failure)) {
            refuse(start, response, callback, 400, "add refused: the form is not valid "
                    + RefusedBodies.charsetRefused(request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE)));
        } else if (failure instanceof TimeoutException) {
            // The client went quiet in the middle of its form: a timeout, not a malformed form.
            refuse(start, response, callback, 408, "add refused, nothing stored: the form stopped arriving and the"
                    + " connection sat idle past goto's idle timeout; send the whole body with the request");
        } else {
            String why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            refuse(start, response, callback, 400, "could not read the form: " + why
                    + "; send url=... as application/x-www-form-urlencoded or multipart/form-data");
        }
    }

    /**
     * Refuses an add whose request carries more than one {@code url} value ({@code inQuery} in its
     * query string, {@code inForm} in its form): which one was meant is a guess, and the seed's
     * guess, the first, stored a link its client may never have asked for. {@code first} is shown
     * back on a browser's form.
     */
    private void ambiguous(int inQuery, int inForm, String first, Request request, Response response, Callback callback,
                           long start) {
        String problem = "add refused, nothing stored: the request carries " + (inQuery + inForm) + " url values"
                + (inQuery > 0 && inForm > 0 ? " (" + inQuery + " in the query string, " + inForm + " in the form)" : "")
                + "; send exactly one";
        if (pages != null && pages.wantsPage(request)) {
            metrics.refusedAdd(Refusal.INVALID);
            done(start, pages.refused(request, response, callback, 400, problem, first));
        } else {
            refuse(start, response, callback, 400, problem);
        }
    }

    private void add(String url, LongUrlRules rules, Request request, Response response, Callback callback, LinkStore store,
                     long start) {
        LongUrlRules.Verdict verdict = rules.check(url);
        if (!verdict.accepted() && pages != null && pages.wantsPage(request)) {
            metrics.refusedAdd(Refusal.INVALID);
            done(start, pages.refused(request, response, callback, 400, "add refused: " + verdict.problem(), url));
            return;
        } else if (!verdict.accepted()) {
            refuse(start, response, callback, 400, "add refused: " + verdict.problem());
            return;
        }
        store(verdict.url(), request, response, callback, store, start);
    }

    private void store(String url, Request request, Response response, Callback callback, LinkStore store, long start) {
        // A durable add completes with the rest of its group commit, all handed by the writer to
        // the selector thread in one task (WebServer.answers), and its answer is written there:
        // a non-blocking socket write costs less than handing each answer to another thread
        // (see BENCHMARKS.md, "Durable adds", for what each hand-off cost).
        store.add(url).whenComplete((key, failure) -> answer(key, failure, url, request, response, callback, store, start));
    }

    private void answer(String key, Throwable failure, String url, Request request, Response response, Callback callback,
                        LinkStore store, long start) {
        try {
            if (failure == null) {
                done(start, pages != null && pages.wantsPage(request) ? pages.created(request, response, callback, key)
                        : Responses.text(response, callback, 200, base.shortUrl(key)));
                java.util.function.Consumer<gotourl.link.Link> listener = created;
                gotourl.link.Link link = listener == null ? null : store.lookup(key);
                if (link != null) {
                    listener.accept(link);
                }
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof StoreBusyException busy) {
                if (System.nanoTime() - start < queueWaitNanos) {
                    scheduler.schedule(() -> store(url, request, response, callback, store, start), BUSY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
                metrics.refusedAdd(Refusal.BUSY);
                response.getHeaders().put(Responses.RETRY_SOON);
                done(start, Responses.text(response, callback, 503, "add refused, nothing stored: goto is busy ("
                        + busy.getMessage() + "). Retry in a second.\n"));
            } else if (cause instanceof KeysExhaustedException exhausted) {
                metrics.refusedAdd(Refusal.KEYS_EXHAUSTED);
                done(start, Responses.text(response, callback, 503, "add refused, nothing stored: " + exhausted.getMessage()
                        + " (POST /rest/v3/short-urls with \"customSlug\"). Existing links still redirect.\n"));
            } else if (cause instanceof StoreFailedException failed) {
                metrics.refusedAdd(Refusal.FAILED);
                done(start, Responses.text(response, callback, 503, "add refused, nothing stored: goto cannot store links ("
                        + failed.getMessage() + "). Existing links still redirect; goto's operator must check its log.\n"));
            } else {
                done(start, Responses.internalError(request, response, callback, cause, errors));
            }
        } catch (Throwable unexpected) {
            done(start, Responses.internalError(request, response, callback, unexpected, errors));
        }
    }

    private void refuse(long start, Response response, Callback callback, int status, String message) {
        metrics.refusedAdd(Refusal.INVALID);
        done(start, Responses.text(response, callback, status, message + "\n"));
    }

    private void done(long start, int status) {
        metrics.request(Route.ADD, status, start);
    }

    private static String tooLarge(long length) {
        return "add refused: the form is " + (length >= 0 ? length + " bytes" : "too large")
                + "; the limit is " + MAX_FORM_BYTES + " bytes (one URL of up to " + LongUrlRules.MAX_URL_CHARS + " characters)";
    }

    /** Jetty reports bytes that are not valid in the form's charset wrapped, as an IllegalArgumentException. */
    private static boolean causedByBadEncoding(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CharacterCodingException) {
                return true;
            }
        }
        return false;
    }

    /** The body stopped coming (the client went quiet or closed), as opposed to a form that is not valid. */
    private static boolean notArrived(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof IOException && !(failure instanceof CharacterCodingException);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
