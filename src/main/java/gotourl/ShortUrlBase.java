package gotourl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What goes before the key in a short URL, from {@code -host}: {@code localhost:3000} gives
 * {@code http://localhost:3000/KEY} as in the seed; {@code https://go.example.com} gives
 * {@code https://go.example.com/KEY} for a goto behind TLS.
 */
public record ShortUrlBase(String prefix, String hostName, int port) {

    public static ShortUrlBase parse(String text) {
        String value = text.strip();
        String scheme = "http";
        String authority = value;
        int separator = value.indexOf("://");
        if (separator >= 0) {
            scheme = value.substring(0, separator).toLowerCase(Locale.ROOT);
            authority = value.substring(separator + 3);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("'" + text + "': short URLs must be http or https");
            }
        }
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.isEmpty() || authority.contains("/") || authority.contains("@")) {
            throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT] (e.g. localhost:3000 or https://go.example.com)");
        }
        URI uri;
        try {
            uri = new URI(scheme + "://" + authority + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT]: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT] (e.g. localhost:3000)");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new ShortUrlBase(scheme + "://" + authority + "/", uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    public String shortUrl(String key) {
        return prefix + key;
    }

    @Override
    public String toString() {
        return prefix;
    }
}
