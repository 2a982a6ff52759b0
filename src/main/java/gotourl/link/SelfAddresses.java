package gotourl.link;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where this goto can be reached, so that a long URL pointing there is refused: a short link to
 * goto would redirect to goto, and to itself forever when it names the next key. Each endpoint is
 * what one way of reaching goto looks like in a URL: host names, addresses and ports. The names
 * and addresses are found by the caller (interfaces, DNS: I/O that this package does not do);
 * matching is by the URL's host as a browser reads it, so no spelling escapes it: case, a trailing
 * dot, IDNA, IPv4 as one number or in hex or octal, IPv6 in any form, IPv4-mapped IPv6.
 */
public final class SelfAddresses {

    /**
     * One way of reaching goto.
     *
     * @param shownAs    how a refusal names it, e.g. {@code localhost:3000} or {@code 127.0.0.1:3000}
     * @param names      domain names in ASCII, lower case, without a trailing dot
     * @param addresses  IP addresses (IPv4-mapped IPv6 given as IPv4)
     * @param anyLocal   true for a listener on every interface: then every loopback address
     *                   (127.0.0.0/8, ::1), the unspecified ones (0.0.0.0, ::) and {@code localhost}
     *                   and {@code *.localhost} reach it too (RFC 6761 §6.3)
     * @param ports      the ports it answers on
     */
    public record Endpoint(String shownAs, Set<String> names, Set<InetAddress> addresses, boolean anyLocal, Set<Integer> ports) {
        public Endpoint {
            names = Set.copyOf(names);
            addresses = Set.copyOf(addresses);
            ports = Set.copyOf(ports);
        }

        boolean reachedBy(WebUrl url) {
            if (!ports.contains(url.effectivePort())) {
                return false;
            }
            Host host = url.host();
            if (host.isDomain()) {
                String name = host.domainName();
                return names.contains(name) || anyLocal && (name.equals("localhost") || name.endsWith(".localhost"));
            }
            InetAddress address = host.address();
            return addresses.contains(address) || anyLocal && (address.isLoopbackAddress() || address.isAnyLocalAddress());
        }
    }

    /** No endpoints: nothing is refused as a link to goto (tools that write a data file offline). */
    public static final SelfAddresses NONE = new SelfAddresses(List.of());

    private final List<Endpoint> endpoints;

    public SelfAddresses(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** These endpoints and {@code more}. */
    public SelfAddresses and(List<Endpoint> more) {
        List<Endpoint> all = new ArrayList<>(endpoints);
        all.addAll(more);
        return new SelfAddresses(all);
    }

    /** The first endpoint {@code url} reaches, or null if it reaches none. */
    public Endpoint reachedBy(WebUrl url) {
        for (Endpoint endpoint : endpoints) {
            if (endpoint.reachedBy(url)) {
                return endpoint;
            }
        }
        return null;
    }

    /**
     * The endpoint of a short-URL base such as {@code -host}: its host, and its port, or both 80
     * and 443 when it names none (behind a proxy, goto is often served on both).
     */
    public static Endpoint ofBase(WebUrl base, boolean explicitPort) {
        Set<Integer> ports = explicitPort ? Set.of(base.effectivePort()) : Set.of(80, 443);
        Host host = base.host();
        String shown = host.serialized() + (explicitPort || base.port() >= 0 ? ":" + base.effectivePort() : "");
        return host.isDomain()
                ? new Endpoint(shown, Set.of(host.domainName()), Set.of(), false, ports)
                : new Endpoint(shown, Set.of(), Set.of(host.address()), false, ports);
    }

    @Override
    public String toString() {
        return endpoints.toString();
    }
}
