package gotourl.visits;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Where visits are kept: the embedded {@link LogVisitStore}, {@link MemoryVisitStore}, and
 * PostgreSQL's {@code visits} table ({@code gotourl.store.pg.PgVisitStore}). One writer, many readers: the {@link Tracker}'s worker is the only
 * caller of the methods that change visits ({@link #append}, {@link #sync}, the deletes,
 * {@link #dropRawVisitsBefore}); queries may come from any thread at any time and see every
 * visit appended before they started. No method starts a thread.
 *
 * <p>A link's visits belong to one life of the link: its short code and creation time (see
 * {@link VisitEvent}). A visit of an older life than the one the store knows is ignored; a newer
 * life starts from zero. Deleting a link or its visits ends the life's visits at once (as
 * Shlink's {@code ON DELETE CASCADE}): its summary reads zero and its visits are listed nowhere.
 */
public interface VisitStore extends AutoCloseable {

    /**
     * Records {@code visits} (in time order, as the worker took them). They are visible to queries
     * when this returns and durable after the next {@link #sync}. Throws IOException when the
     * store cannot write; the caller then treats the store as failed (no retry: a failed write
     * may have left part of the batch).
     */
    void append(java.util.List<Visit> visits) throws IOException;

    /** Forces what was appended to stable storage. */
    void sync() throws IOException;

    /** The visits of link {@code shortCode}'s current life; {@link VisitsSummary#NONE} if none. O(1). */
    VisitsSummary summary(String shortCode);

    /**
     * The visits of the life of link {@code shortCode} created at {@code linkCreatedMillis} (epoch
     * ms, as {@link VisitEvent} names a life): {@link VisitsSummary#NONE} when the store's current
     * life of the code is another one (a deleted link whose slug was claimed again). O(1). This
     * default cannot tell lives apart and answers {@link #summary(String)}.
     */
    default VisitsSummary summary(String shortCode, long linkCreatedMillis) {
        return summary(shortCode);
    }

    /**
     * True when reads wait on I/O that may take long (a database round trip, and a wait for a
     * connection while the database is slow), so a caller on a selector thread must move them off
     * it; false (the default) when they are answered from memory.
     */
    default boolean readsBlock() {
        return false;
    }

    /** Visits of all links and orphan visits, as Shlink's {@code GET /visits}. O(1). */
    VisitStats stats();

    /** A page of {@code shortCode}'s visits, newest first ({@code GET /short-urls/{code}/visits}). */
    VisitsPage linkVisits(String shortCode, VisitsQuery query) throws IOException;

    /** A page of orphan visits, newest first, of {@code query.orphanType()} if given. */
    VisitsPage orphanVisits(VisitsQuery query) throws IOException;

    /** A page of visits of any link, newest first ({@code GET /visits/non-orphan}). */
    VisitsPage nonOrphanVisits(VisitsQuery query) throws IOException;

    /**
     * A page of the visits of the links whose codes {@code shortCodes} holds, newest first, as
     * {@code GET /tags/{tag}/visits} (the caller resolves the tag to its links).
     */
    VisitsPage visitsOf(java.util.Set<String> shortCodes, VisitsQuery query) throws IOException;

    /**
     * Dashboard aggregates of {@code shortCode}'s visits, or of every link's when it is null, for
     * the UTC days {@code from} to {@code to} (inclusive; null for open ends). Read from stored
     * per-day aggregates: the cost grows with the days, not the visits.
     */
    VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) throws IOException;

    /** Deletes the visits of {@code shortCode}'s current life; returns how many there were. */
    long deleteVisits(String shortCode) throws IOException;

    /** Deletes every orphan visit; returns how many there were. */
    long deleteOrphanVisits() throws IOException;

    /**
     * The link {@code shortCode} created at {@code linkCreatedMillis} was deleted: its visits go
     * with it (Shlink's cascade), and a visit of that life still on its way is ignored.
     */
    void linkDeleted(String shortCode, long linkCreatedMillis) throws IOException;

    /**
     * Retention: removes the raw visits (agent, referer, time of each visit) recorded before
     * {@code cutoff}; counts and per-day aggregates stay. Returns how many raw visits went, which
     * may lag: a store may drop visits in whole files once all of a file is older.
     */
    long dropRawVisitsBefore(Instant cutoff) throws IOException;

    /**
     * Why the store is not writing visits now, while it waits for its database to come back
     * (health and metrics show it through {@link Tracker#failure()}), or null. Stores on a
     * local disk never are: their failures are final, and {@link #append} throws.
     */
    default String unavailable() {
        return null;
    }

    /** Visits the store took but could not keep while it was {@link #unavailable()}; 0 for local stores. */
    default long lostVisits() {
        return 0;
    }

    /** Bytes on disk, for metrics; 0 for a store in memory. */
    default long diskBytes() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
