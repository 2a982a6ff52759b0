/**
 * The link store on PostgreSQL ({@code -db}), for several goto nodes on one database: every node
 * keeps the links in memory for redirects, writes through one writer thread by group commit,
 * leases blocks of keys from a sequence, and follows the other nodes' changes by LISTEN/NOTIFY
 * and a replay by change number. The schema is Flyway's {@code db/migration}.
 *
 * <p>Uses {@code gotourl.link} and {@code gotourl.store}; knows nothing of HTTP.
 */
package gotourl.store.pg;
