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
            Set<InetAddress> everyAddress = interfaceAddresses();
            // The machine's own name (http://myserver:3000/) reaches every interface: a link through it loops as well.
            return new Endpoint("it listens on every address of this machine, port " + address.port(), machineNames(), everyAddress,
                    true, port);
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
            if (resolvesToLoopback(machineHostName())) {
                names.addAll(machineNames()); // /etc/hosts often maps the machine's name to 127.0.1.1 or 127.0.0.1
            }
            addresses.add(unspecified(4));
            addresses.add(unspecified(16));
        }
        return new Endpoint("it listens on " + address, names, addresses, false, port);
    }

    /**
     * The machine's own host name ({@code gethostname}, as {@code hostname} prints it), as a URL's
     * host reads it: ASCII, lower case; empty when it has none a browser could spell. The name is
     * the system's ({@link InetAddress#getLocalHost}, which resolves it forward, {@code /etc/hosts}
     * first), never a reverse lookup of an address.
     */
    private static Set<String> machineNames() {
        String name = machineHostName();
        if (name == null || name.isBlank()) {
            return Set.of();
        }
        try {
            WebUrl url = WebUrl.parse("http://" + name + "/");
            return url.host().isDomain() ? Set.of(url.host().domainName()) : Set.of();
        } catch (InvalidUrlException notAHostName) {
            return Set.of();
        }
    }

    private static String machineHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // Java resolves the name it reads; unresolvable, it names it in the message ("vm: vm: Name or service not known").
            String message = e.getMessage();
            int colon = message == null ? -1 : message.indexOf(':');
            return colon > 0 ? message.substring(0, colon) : null;
        }
    }

    private static boolean resolvesToLoopback(String host) {
        for (InetAddress address : resolve(host)) {
            if (address.isLoopbackAddress()) {
                return true;
            }
        }
        return false;
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
