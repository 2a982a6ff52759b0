/**
 * Where links live: the {@link gotourl.store.LinkStore} contract every store keeps (create with
 * custom slugs, random codes and find-if-exists, edit, delete, batches, lookups), the in-memory
 * structures the stores share ({@code LinkState} with its index of links, the long-URL table and
 * the rules for codes), and the memory store. Stores keep API keys too ({@code gotourl.apikey.ApiKeyStore}).
 * Uses {@code gotourl.link} and {@code gotourl.apikey}; knows nothing of HTTP.
 * The file store is {@code gotourl.store.log}; a database store belongs beside it.
 */
package gotourl.store;
