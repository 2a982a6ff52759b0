package gotourl;

import java.net.InetSocketAddress;

/**
 * A listen address in Go's spelling: {@code :3000} (every interface), {@code 127.0.0.1:3000},
 * {@code [::1]:3000} or {@code localhost:3000}. Port 0 asks the system for a free port.
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        host = host == null || host.isEmpty() ? null : host;
    }

    public static ListenAddress parse(String text) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT or :PORT (e.g. :3000 or 127.0.0.1:3000)");
        }
        String host = value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 host in brackets, e.g. [::1]:3000");
        }
        if (host.contains(" ") || host.contains("/")) {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not a host name or address");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + portText + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is outside 0-65535");
        }
        return new ListenAddress(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        String shown = host == null ? "" : host.contains(":") ? "[" + host + "]" : host;
        return shown + ":" + port;
    }
}
