/**
 * goto's default store: links in memory, kept durable by an append-only file of records (its
 * format is docs/FORMAT.md) that one writer thread appends to with group commit, and that one
 * compactor thread rewrites when dead records pile up. Also the offline tools on that file:
 * repair, upgrade from format version 1. Uses {@code gotourl.store}, {@code gotourl.link} and
 * {@code gotourl.files} (every file it makes is owner-only).
 */
package gotourl.store.log;
