/**
 * The control channel: a Unix domain socket beside the data file ({@code FILE.sock}, mode 0600,
 * peers checked to be its owner or root) through which {@code goto api-key} reaches a running
 * goto, which holds the data file's lock. When goto is stopped, the command opens the file
 * itself. {@link gotourl.control.ApiKeyOperations} is what both paths offer.
 *
 * <p>May use: the JDK, {@code gotourl.apikey} and {@code gotourl.store}. Used by {@code gotourl}
 * (the service starts the socket, the command line is its client). Knows nothing of HTTP.
 */
package gotourl.control;
