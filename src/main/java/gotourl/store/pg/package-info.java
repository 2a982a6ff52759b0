/**
 * The link store on PostgreSQL ({@code -db}), for several goto nodes on one database: every node
 * keeps the links in memory for redirects, writes through one writer thread by group commit,
 * leases blocks of keys from a sequence, and follows the other nodes' changes by LISTEN/NOTIFY
 * and a replay by change number. The REST API's keys ({@code PgApiKeys}), the visits
 * ({@link gotourl.store.pg.PgVisitStore}, a {@code gotourl.visits.VisitStore} written in batches
 * by the visits worker) and link health ({@code PgHealth}, the keeper of
 * {@code gotourl.check.HealthBook}) live in the same database, shared by every node. The schema
 * is Flyway's {@code db/migration}; {@link gotourl.store.pg.PgAdmin} opens it for the command line.
 *
 * <p>Uses {@code gotourl.link}, {@code gotourl.store}, {@code gotourl.apikey},
 * {@code gotourl.visits} and {@code gotourl.check} (health's types); knows nothing of HTTP.
 */
package gotourl.store.pg;
