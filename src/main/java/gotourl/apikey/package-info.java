/**
 * API keys: who may use the REST API and with which role ({@link gotourl.apikey.ApiKeys}).
 * Keys are stored only as hashes; comparisons are in constant time.
 *
 * <p>May use: the JDK and {@code gotourl.link}. Used by the REST API and the command line.
 */
package gotourl.apikey;
