/**
 * API keys: who may use the REST API and with which role ({@link gotourl.apikey.ApiKeys}).
 * Keys are stored only as SHA-256 hashes ({@link gotourl.apikey.KeyHash}) in the store's
 * {@link gotourl.apikey.ApiKeyStore}, read lock-free from an immutable
 * {@link gotourl.apikey.ApiKeyTable}, and compared in constant time
 * ({@link gotourl.apikey.StoredApiKeys}); {@link gotourl.apikey.ApiKeyAdmin} makes and disables them.
 *
 * <p>May use: the JDK and {@code gotourl.link}. Used by the stores (which implement
 * {@code ApiKeyStore}), the REST API and the command line.
 */
package gotourl.apikey;
