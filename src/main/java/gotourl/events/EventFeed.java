package gotourl.events;

import gotourl.link.Link;
import gotourl.visits.Visit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed's broadcaster, the seeds' chat {@code broadcaster} (002): one named thread
 * ({@code goto-events}) owns the set of subscribers, and everything else sends it messages.
 *
 * <p>Design note. Publishers ({@link #linkCreated} after a create is acknowledged,
 * {@link #visitsRecorded} from the visits worker after a batch is stored) offer to one bounded
 * queue and return: never a wait, never a wake-up (a full queue drops the event and counts it, the
 * seeds' {@code select ... default}), and nothing at all while no one subscribes. Joins and leaves
 * go through a queue of their own, so a flood of events never locks a subscriber out. The thread
 * wakes every {@link Options#tick()}: it takes the joins and leaves, drains the events, writes each
 * event's frame once, and hands each subscriber one chunk (its audience's frames) to write; a
 * subscriber whose bounded buffer would overflow is dropped (its connection closed; the browser
 * reconnects after {@code retry}) and counted. One chunk per subscriber per tick keeps 1,000
 * subscribers at 10 writes a second each at full load, whatever the visit rate, and visits
 * beyond {@link Options#maxVisitsPerSecond()} are not sent at all (counted, and said in a comment
 * line), so the feed's cost is bounded by the number of subscribers, never by the redirect rate:
 * a person watching a feed reads a few events a second, not a hundred thousand. Heartbeat comments
 * every {@link Options#heartbeat()} keep proxies and the idle timeout from closing a quiet stream.
 *
 * <p>Visibility follows the REST API's: an admin key sees every event; an author key sees its own
 * links' creations and visits, and no orphan visits.
 */
public final class EventFeed {
    private static final Logger LOG = LoggerFactory.getLogger("goto.events");
    private static final PreEncodedHttpField EVENT_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/event-stream");
    private static final PreEncodedHttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    /** Tells nginx not to buffer the stream (its {@code proxy_buffering} would hold events back). */
    private static final PreEncodedHttpField NO_PROXY_BUFFERING = new PreEncodedHttpField("X-Accel-Buffering", "no");
    private static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(":\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    /**
     * The feed's bounds.
     *
     * @param tick               how often the broadcaster hands out what came: the most an event waits
     * @param heartbeat          how often a comment line is sent to every subscriber (below the
     *                           30 s idle timeout, and proxies' 60 s)
     * @param retry              what {@code retry:} tells a browser to wait before reconnecting
     * @param maxBufferedBytes   a subscriber's buffer: unwritten bytes beyond this drop it
     * @param maxVisitsPerSecond visits sent per second at most, to all; more are counted, not sent
     * @param queueCapacity      messages (a link, or a stored batch of visits) waiting for the thread
     */
    public record Options(Duration tick, Duration heartbeat, Duration retry, int maxBufferedBytes, int maxVisitsPerSecond,
                          int queueCapacity) {
        public Options {
            if (tick.isNegative() || tick.isZero() || heartbeat.compareTo(tick) < 0) {
                throw new IllegalArgumentException("tick must be positive and no longer than the heartbeat, not " + tick
                        + " and " + heartbeat);
            }
            if (maxBufferedBytes < 1024 || maxVisitsPerSecond < 0 || queueCapacity < 1) {
                throw new IllegalArgumentException("buffer of at least 1024 bytes, visits per second and queue capacity"
                        + " must not be negative, not " + maxBufferedBytes + ", " + maxVisitsPerSecond + ", " + queueCapacity);
            }
        }

        /**
         * 100 ms ticks; a heartbeat every 15 s; reconnect after 3 s; 64 KB of buffer (seconds of
         * events at the cap, so only a client that stopped reading fills it); 100 visits a second;
         * 4,096 messages queued (each a whole stored batch of visits).
         */
        public static Options defaults() {
            return new Options(Duration.ofMillis(100), Duration.ofSeconds(15), Duration.ofSeconds(3), 64 * 1024, 100, 4096);
        }

        public Options withHeartbeat(Duration every) {
            return new Options(tick, every, retry, maxBufferedBytes, maxVisitsPerSecond, queueCapacity);
        }

        public Options withMaxBufferedBytes(int bytes) {
            return new Options(tick, heartbeat, retry, bytes, maxVisitsPerSecond, queueCapacity);
        }

        public Options withMaxVisitsPerSecond(int visits) {
            return new Options(tick, heartbeat, retry, maxBufferedBytes, visits, queueCapacity);
        }
    }

    /** The feed refuses new subscribers: goto is stopping. */
    public static final class ClosedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ClosedException() {
            super("goto is shutting down: the live feed takes no new subscribers; reconnect in a moment");
        }
    }

    private final Options options;
    private final Function<Link, byte[]> linkJson;
    private final Tickets tickets;
    private final ArrayBlockingQueue<Object> queue;
    private final ConcurrentLinkedQueue<Subscriber> joins = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Function<String, Link> links = code -> null;
    private volatile boolean anyone;
    private volatile boolean closing;

    /** Streams open, as the thread last counted them (and new ones since). */
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicLong droppedSubscribers = new AtomicLong();
    private final LongAdder droppedEvents = new LongAdder();
    private final AtomicLong skippedVisits = new AtomicLong();
    private final AtomicLong sentEvents = new AtomicLong();

    /**
     * @param linkJson a link as the REST API writes it (Shlink's {@code ShortUrl}), the
     *                 {@code data} of a {@code link} event
     * @param tickets  the one-time tickets streams may be opened with
     */
    public EventFeed(Options options, Function<Link, byte[]> linkJson, Tickets tickets) {
        this.options = options;
        this.linkJson = linkJson;
        this.tickets = tickets;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.thread = new Thread(this::run, "goto-events");
        this.thread.setDaemon(true);
    }

    /** Starts the broadcaster; {@code links} finds a visited link (for its author) by short code. */
    public void start(Function<String, Link> linksByCode) {
        this.links = linksByCode;
        thread.start();
    }

    public Tickets tickets() {
        return tickets;
    }

    // ---- publishers: never block -----------------------------------------------------------------

    /** A link was created and its creation acknowledged; sent to admins and its author. */
    public void linkCreated(Link link) {
        if (anyone && !queue.offer(link)) {
            droppedEvents.increment();
        }
    }

    /** The visits worker stored {@code visits}; copied only when someone subscribes. */
    public void visitsRecorded(List<Visit> visits) {
        if (anyone && !visits.isEmpty() && !queue.offer(List.copyOf(visits))) {
            droppedEvents.add(visits.size());
        }
    }

    // ---- subscribers -----------------------------------------------------------------------------

    /**
     * Opens a stream on {@code response}: headers, {@code retry:}, a first comment, then events
     * until the client goes, is dropped or goto stops; {@code done} is Jetty's callback of the
     * request, completed then. {@code authorScope} is the key id an author key is limited to, or
     * null for an admin key.
     *
     * @throws ClosedException when goto is stopping (nothing written)
     */
    public void subscribe(Response response, Callback done, String authorScope) {
        if (closing) {
            throw new ClosedException();
        }
        response.setStatus(200);
        response.getHeaders().put(EVENT_STREAM);
        response.getHeaders().put(NO_STORE);
        response.getHeaders().put(NO_PROXY_BUFFERING);
        Subscriber subscriber = new Subscriber(response, done, authorScope, options.maxBufferedBytes());
        // The prelude goes first (it also sends the headers, so the browser's EventSource opens at once).
        subscriber.offer(ByteBuffer.wrap(("retry: " + options.retry().toMillis() + "\n: goto live feed\n\n")
                .getBytes(StandardCharsets.US_ASCII)));
        subscribers.incrementAndGet();
        anyone = true;
        joins.add(subscriber);
    }

    /** False once goto is stopping: {@link #subscribe} would refuse. */
    public boolean accepting() {
        return !closing;
    }

    // ---- the broadcaster thread ------------------------------------------------------------------

    private void run() {
        List<Subscriber> all = new ArrayList<>();
        List<Object> batch = new ArrayList<>();
        long tickNanos = options.tick().toNanos();
        long nextHeartbeat = System.nanoTime() + options.heartbeat().toNanos();
        long budgetSecond = 0;
        int budget = options.maxVisitsPerSecond();
        while (!closing) {
            LockSupport.parkNanos(tickNanos);
            try {
                for (Subscriber s; (s = joins.poll()) != null; ) {
                    all.add(s);
                }
                prune(all);
                anyone = !all.isEmpty() || !joins.isEmpty();
                queue.drainTo(batch);
                long now = System.nanoTime();
                if (now / 1_000_000_000L != budgetSecond) {
                    budgetSecond = now / 1_000_000_000L;
                    budget = options.maxVisitsPerSecond();
                }
                if (!batch.isEmpty() && !all.isEmpty()) {
                    budget = broadcast(all, batch, budget);
                }
                batch.clear();
                if (now - nextHeartbeat >= 0) {
                    nextHeartbeat = now + options.heartbeat().toNanos();
                    for (Subscriber s : all) {
                        deliver(all, s, HEARTBEAT.duplicate());
                    }
                    prune(all);
                }
            } catch (RuntimeException | Error e) {
                // One bad event must not end the feed: say so, drop the batch, go on.
                LOG.error("the live feed failed to hand out {} events; they were not sent", batch.size(), e);
                batch.clear();
            }
        }
        for (Subscriber s; (s = joins.poll()) != null; ) {
            all.add(s);
        }
        closeAll(all);
    }

    /** Hands each subscriber its audience's frames in one chunk; returns the visits budget left. */
    private int broadcast(List<Subscriber> all, List<Object> batch, int budget) {
        boolean authors = false;
        for (Subscriber s : all) {
            authors |= s.authorScope != null;
        }
        ByteArrayOutputStream everything = new ByteArrayOutputStream(4096);
        Map<String, ByteArrayOutputStream> byAuthor = authors ? new HashMap<>() : null;
        long skipped = 0;
        int events = 0;
        for (Object message : batch) {
            if (message instanceof Link link) {
                byte[] frame = Frames.link(linkJson.apply(link));
                everything.writeBytes(frame);
                events++;
                if (authors && link.author() != null) {
                    byAuthor.computeIfAbsent(link.author(), a -> new ByteArrayOutputStream()).writeBytes(frame);
                }
            } else {
                @SuppressWarnings("unchecked")
                List<Visit> visits = (List<Visit>) message;
                for (Visit visit : visits) {
                    if (budget <= 0) {
                        skipped++;
                        continue;
                    }
                    budget--;
                    byte[] frame = Frames.visit(visit);
                    everything.writeBytes(frame);
                    events++;
                    if (authors && !visit.isOrphan()) {
                        Link link = links.apply(visit.shortCode());
                        if (link != null && link.author() != null) {
                            byAuthor.computeIfAbsent(link.author(), a -> new ByteArrayOutputStream()).writeBytes(frame);
                        }
                    }
                }
            }
        }
        if (skipped > 0) {
            skippedVisits.addAndGet(skipped);
            everything.writeBytes(Frames.comment(skipped + " visits not sent: the feed sends at most "
                    + options.maxVisitsPerSecond() + " a second"));
        }
        sentEvents.addAndGet(events);
        byte[] forAdmins = everything.toByteArray();
        Map<String, byte[]> forAuthors = new HashMap<>();
        if (authors) {
            byAuthor.forEach((author, frames) -> forAuthors.put(author, frames.toByteArray()));
        }
        for (Subscriber s : all) {
            byte[] chunk = s.authorScope == null ? forAdmins : forAuthors.get(s.authorScope);
            if (chunk != null && chunk.length > 0) {
                deliver(all, s, ByteBuffer.wrap(chunk));
            }
        }
        prune(all);
        return budget;
    }

    /** Offers {@code chunk} to {@code s}; a subscriber that cannot take it is too slow and is dropped. */
    private void deliver(List<Subscriber> all, Subscriber s, ByteBuffer chunk) {
        if (!s.isDone() && !s.offer(chunk) && !s.isDone()) {
            droppedSubscribers.incrementAndGet();
            s.abort("the live-feed subscriber fell more than " + options.maxBufferedBytes() + " bytes behind; reconnect");
        }
    }

    /** Forgets the streams that ended (client gone, dropped) and publishes the count. */
    private void prune(List<Subscriber> all) {
        int before = all.size();
        all.removeIf(Subscriber::isDone);
        subscribers.addAndGet(all.size() - before);
    }

    private void closeAll(List<Subscriber> all) {
        ByteBuffer farewell = ByteBuffer.wrap(Frames.comment("goto is stopping; reconnect in a moment"));
        for (Subscriber s : all) {
            s.end(farewell.duplicate());
        }
        subscribersLeft = all;
    }

    private volatile List<Subscriber> subscribersLeft;

    /**
     * Takes no new subscribers, ends every stream cleanly (a last comment), and waits for them
     * within {@code deadline}; those still open then (a client not reading) are aborted. Returns
     * how many had to be aborted.
     */
    public int close(Duration deadline) {
        long end = System.nanoTime() + Math.max(1, deadline.toNanos());
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Subscriber> left = new ArrayList<>(subscribersLeft == null ? List.of() : subscribersLeft);
        ByteBuffer farewell = ByteBuffer.wrap(Frames.comment("goto is stopping; reconnect in a moment"));
        for (Subscriber late; (late = joins.poll()) != null; ) {
            late.end(farewell.duplicate()); // joined after the thread's last look
            left.add(late);
        }
        while (System.nanoTime() < end && left.stream().anyMatch(s -> !s.isDone())) {
            LockSupport.parkNanos(1_000_000);
        }
        int aborted = 0;
        for (Subscriber s : left) {
            if (!s.isDone()) {
                s.abort("goto stopped before this stream could end");
                aborted++;
            }
        }
        if (aborted > 0) {
            LOG.warn("{} live-feed streams did not end by the stop's deadline and were cut", aborted);
        }
        subscribers.set(0);
        return aborted;
    }

    // ---- what metrics read -----------------------------------------------------------------------

    /** Streams open now ({@code goto_events_subscribers}). */
    public int subscribers() {
        return subscribers.get();
    }

    /** Subscribers dropped because they fell behind ({@code goto_events_subscribers_dropped_total}). */
    public long droppedSubscribers() {
        return droppedSubscribers.get();
    }

    /** Events not sent because the broadcaster's queue was full. */
    public long droppedEvents() {
        return droppedEvents.sum();
    }

    /** Visits not sent because more came in a second than the feed sends. */
    public long skippedVisits() {
        return skippedVisits.get();
    }

    /** Events handed to subscribers (each counted once, whatever the number of subscribers). */
    public long sentEvents() {
        return sentEvents.get();
    }
}
