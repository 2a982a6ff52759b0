package gotourl;

import gotourl.link.InvalidUrlException;
import gotourl.link.SelfAddresses;
import gotourl.link.SelfAddresses.Endpoint;
import gotourl.link.WebUrl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the ways this goto is reached, for the rule that a long URL must not point at goto: the
 * {@code -host} name, and each listener's address and bound port. A listener on every interface
 * is reached through each address of the machine's interfaces, every loopback address and
 * {@code localhost}; one on a loopback address through {@code localhost} too. Done once at start:
 * it reads the network interfaces and resolves a listener given by name.
 */
final class SelfAddressLookup {
    private SelfAddressLookup() {}

    /** {@code config} must be bound: its listen addresses carry the real ports. */
    static SelfAddresses of(Config config) {
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(config.host().selfEndpoint());
        endpoints.add(listener(config.http()));
        if (config.admin() != null) {
            endpoints.add(listener(config.admin()));
        }
        return new SelfAddresses(endpoints);
    }

    static Endpoint listener(ListenAddress address) {
        Set<Integer> port = Set.of(address.port());
        InetAddress[] resolved = resolve(address.host());
        if (address.host() == null || resolved.length > 0 && resolved[0].isAnyLocalAddress()) {
            return new Endpoint("it listens on every address of this machine, port " + address.port(), Set.of(),
                    interfaceAddresses(), true, port);
        }
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>(List.of(resolved));
        try {
            WebUrl url = WebUrl.parse("http://" + (address.host().contains(":") ? "[" + address.host() + "]" : address.host()) + "/");
            if (url.host().isDomain()) {
                names.add(url.host().domainName());
            }
        } catch (InvalidUrlException notAUrlHost) {
            // A listener name no browser can spell cannot be linked to either.
        }
        if (addresses.stream().anyMatch(InetAddress::isLoopbackAddress)) {
            // localhost resolves to the loopback address, and a connection to 0.0.0.0 or :: goes to it.
            names.add("localhost");
            addresses.add(unspecified(4));
            addresses.add(unspecified(16));
        }
        return new Endpoint("it listens on " + address, names, addresses, false, port);
    }

    private static InetAddress[] resolve(String host) {
        if (host == null) {
            return new InetAddress[0];
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0]; // the listener could not bind to it either
        }
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            NetworkInterface.networkInterfaces().forEach(nic -> nic.inetAddresses().forEach(address ->
                    addresses.add(withoutScope(address))));
        } catch (SocketException e) {
            // Without the list, loopback and localhost are still refused (anyLocal).
        }
        return addresses;
    }

    /** Link-local IPv6 addresses carry their interface as a scope; a URL's address has none. */
    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException cannotHappen) {
            return address;
        }
    }

    private static InetAddress unspecified(int bytes) {
        try {
            return InetAddress.getByAddress(new byte[bytes]);
        } catch (UnknownHostException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }
}
