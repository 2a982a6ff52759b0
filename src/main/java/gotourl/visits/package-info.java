/**
 * Visits: every redirect counted off the hot path, and the stats read back.
 *
 * <p>A redirect hands a {@link gotourl.visits.VisitEvent} to the {@link gotourl.visits.Tracker}
 * (the seeds' Tracker: one bounded queue, one named worker, drained within a deadline at stop),
 * which never blocks it: a full queue drops the event and counts it. The worker tells bots apart
 * ({@link gotourl.visits.UserAgents}, Yauaa behind a Caffeine memo) and writes visits in batches
 * to a {@link gotourl.visits.VisitStore}: {@link gotourl.visits.LogVisitStore}, an append-only
 * segment log beside the data file, or {@link gotourl.visits.MemoryVisitStore}. The stores
 * answer Shlink's visit queries: summaries, pages of visits, orphan visits, per-day aggregates.
 *
 * <p>No IP address is ever stored, in any form. This package uses nothing of goto's but
 * {@code gotourl.files} (its files are owner-only), and the JDK, Yauaa and Caffeine;
 * {@code http} and the REST API use it, never the other way round.
 */
package gotourl.visits;
