/**
 * Every request goto makes to other servers (link checks, page titles) goes through here:
 * {@link gotourl.fetch.Fetcher} on Jetty's {@code HttpClient}, guarded against server-side
 * request forgery by {@link gotourl.fetch.AddressPolicy}. Only {@code http} and {@code https};
 * each host is resolved by goto, every address checked, and the connection made to exactly the
 * checked addresses (the client's resolver is replaced, so no second lookup can rebind the name);
 * redirects are followed here, not by the client, each hop checked again; bodies are read up to a
 * bound; connect and total timeouts; a User-Agent naming goto.
 *
 * <p>May use: Jetty's client, the JDK. Knows nothing of links or stores.
 */
package gotourl.fetch;
