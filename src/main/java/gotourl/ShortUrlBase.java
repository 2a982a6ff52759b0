package gotourl;

import gotourl.link.InvalidUrlException;
import gotourl.link.SelfAddresses;
import gotourl.link.WebUrl;

/**
 * What goes before the key in a short URL, from {@code -host}: {@code localhost:3000} gives
 * {@code http://localhost:3000/KEY} as in the seed; {@code https://go.example.com} gives
 * {@code https://go.example.com/KEY} for a goto behind TLS. The host is read as a browser reads
 * it (WHATWG URL Standard), so {@code Go.Example.COM} and an international name are written in
 * the form a browser would use, and links to any spelling of it are refused.
 *
 * @param prefix the short URL up to the key, e.g. {@code http://localhost:3000/}
 * @param url    the parsed base
 * @param explicitPort whether {@code -host} named a port other than the scheme's default
 * @param fromListener true when it was not given but derived from the listen address
 */
public record ShortUrlBase(String prefix, WebUrl url, boolean explicitPort, boolean fromListener) {

    /**
     * Reads {@code -host}: {@code HOST}, {@code HOST:PORT} or {@code http(s)://HOST[:PORT]}.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public static ShortUrlBase parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the host is empty; give HOST[:PORT] (e.g. localhost:3000 or https://go.example.com)");
        }
        boolean withScheme = value.contains("://");
        WebUrl url;
        try {
            url = WebUrl.parse(withScheme ? value : "http://" + value);
        } catch (InvalidUrlException e) {
            if (e.kind() == InvalidUrlException.Kind.SCHEME) {
                throw new IllegalArgumentException("'" + text + "': short URLs must be http or https");
            }
            throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT]: " + e.getMessage());
        }
        if (url.hasCredentials() || !url.path().equals("/") || url.query() != null || url.fragment() != null
                || !withScheme && value.substring(0, value.length() - 1).contains("/")) {
            throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT] (e.g. localhost:3000 or https://go.example.com)");
        }
        String prefix = url.scheme() + "://" + url.host().serialized() + (url.port() >= 0 ? ":" + url.port() : "") + "/";
        return new ShortUrlBase(prefix, url, url.port() >= 0, false);
    }

    /**
     * The base a goto listening on {@code http} has when {@code -host} is not given: the
     * listener's host, or {@code localhost} for every interface, with its port. As in the seed,
     * where {@code -http=:8080} goes with {@code -host=localhost:8080}.
     */
    public static ShortUrlBase forListener(ListenAddress http) {
        String host = http.host();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        ShortUrlBase base = parse(host + ":" + http.port());
        return new ShortUrlBase(base.prefix(), base.url(), base.explicitPort(), true);
    }

    /** The origin short URLs have, as a browser's {@code Origin} header names it: the prefix without its {@code /}, e.g. {@code https://go.example.com}. */
    public String origin() {
        return prefix.substring(0, prefix.length() - 1);
    }

    public String shortUrl(String key) {
        return prefix + key;
    }

    /** How a link to goto through this name looks: its host, on its port (80 and 443 if none is named). */
    public SelfAddresses.Endpoint selfEndpoint() {
        return SelfAddresses.ofBase(url, explicitPort);
    }

    @Override
    public String toString() {
        return prefix;
    }
}
