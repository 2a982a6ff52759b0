package gotourl.check;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import gotourl.fetch.Cancellation;
import gotourl.fetch.FetchException;
import gotourl.fetch.Fetcher;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.store.LinkStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -resolve-titles}: a link created without a title gets its page's {@code <title>}, read
 * by jsoup from the first {@link #MAX_PAGE_BYTES} of the page, in the background after the create
 * was answered, and stored as an edit of the title (only while the link still has no title, the
 * same life and the same long URL). Through the seeds' memo (a Caffeine async cache of futures):
 * any number of creates of one URL at once fetch it once, and the answer is reused for
 * {@link #MEMO_TIME}. At most {@link #CONCURRENCY} pages are fetched at once, on virtual threads.
 */
public final class TitleResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("goto.titles");
    /** A title is in the head; 256 KiB reaches it on any page that has one, and bounds a hostile one. */
    static final int MAX_PAGE_BYTES = 256 * 1024;
    static final int CONCURRENCY = 16;
    /** A page's title changes rarely; ten minutes of reuse saves a fetch per create of a popular URL. */
    static final Duration MEMO_TIME = Duration.ofMinutes(10);
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([^\";\\s]+)");

    private final Fetcher fetcher;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("goto-title-", 0).factory());
    private final Semaphore permits = new Semaphore(CONCURRENCY);
    private final Cancellation cancel = new Cancellation();
    private final AsyncCache<String, Optional<String>> memo;

    public TitleResolver(Fetcher fetcher) {
        this.fetcher = fetcher;
        this.memo = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(MEMO_TIME).buildAsync();
    }

    /** The title of the page at {@code url} (empty when it has none or cannot be fetched); one fetch per URL at a time. */
    public CompletableFuture<Optional<String>> titleOf(String url) {
        return memo.get(url, (key, executor) -> CompletableFuture.supplyAsync(() -> fetchTitle(key), workers));
    }

    /** After {@code created} was stored: fetches its title in the background if it has none, and stores it as an edit. */
    public void fillIn(LinkStore store, Link created) {
        if (created == null || created.title() != null || cancel.isCancelled()) {
            return;
        }
        titleOf(created.longUrl()).thenAccept(title -> title.ifPresent(text -> {
            Link now = store.lookup(created.shortCode());
            if (now == null || now.title() != null || !now.dateCreated().equals(created.dateCreated())
                    || !now.longUrl().equals(created.longUrl())) {
                return; // deleted, edited or given a title meanwhile: the user's word wins
            }
            store.edit(created.shortCode(), LinkEdit.none().title(text)).exceptionally(failure -> {
                LOG.warn("could not store the title of '{}': {}", created.shortCode(), failure.getMessage());
                return null;
            });
        }));
    }

    private Optional<String> fetchTitle(String url) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            Fetcher.Response page = fetcher.fetch(url, "GET", MAX_PAGE_BYTES, cancel);
            if (page.status() / 100 != 2 || page.contentType() != null && !page.contentType().toLowerCase(Locale.ROOT).contains("html")) {
                return Optional.empty();
            }
            return titleIn(page.body(), page.contentType(), page.url());
        } catch (FetchException e) {
            LOG.debug("no title for {}: {}", url, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            permits.release();
        }
    }

    /** The {@code <title>} of an HTML page's bytes: whitespace collapsed, cut to a link title's limit; empty when none. */
    static Optional<String> titleIn(byte[] html, String contentType, String baseUrl) {
        String charset = null;
        if (contentType != null) {
            Matcher declared = CHARSET.matcher(contentType);
            if (declared.find() && java.nio.charset.Charset.isSupported(declared.group(1))) {
                charset = declared.group(1);
            }
        }
        try {
            String title = Jsoup.parse(new ByteArrayInputStream(html), charset, baseUrl).title().replaceAll("\\s+", " ").strip();
            if (title.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(title.length() > LinkDraft.MAX_TITLE_CHARS ? title.substring(0, LinkDraft.MAX_TITLE_CHARS) : title);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops fetching: fetches in flight are aborted; titles not yet stored are not. */
    @Override
    public void close() {
        cancel.cancel("goto is stopping");
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("title fetches still running 2 s after the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
