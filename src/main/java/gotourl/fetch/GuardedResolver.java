package gotourl.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The resolver Jetty's client connects through: resolves the host with goto's
 * {@link HostResolver}, refuses the whole host when any of its addresses is refused by the
 * {@link AddressPolicy} (a name that answers both public and private addresses is how DNS
 * rebinding starts), and hands Jetty exactly the checked addresses, so the connection goes to an
 * address that was checked and no later lookup can change it. Runs for every new connection,
 * so for every redirect hop to another host too.
 */
final class GuardedResolver implements SocketAddressResolver {
    private final HostResolver resolver;
    private final AddressPolicy policy;

    GuardedResolver(HostResolver resolver, AddressPolicy policy) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> addresses;
        try {
            addresses = check(host, port);
        } catch (FetchException e) {
            promise.failed(e);
            return;
        }
        promise.succeeded(addresses);
    }

    /**
     * The checked addresses of {@code host}; throws {@link FetchException} ({@code REFUSED} for a
     * refused address, {@code UNREACHABLE} for an unknown host).
     */
    List<InetSocketAddress> check(String host, int port) throws FetchException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> resolved;
        try {
            resolved = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new FetchException(FetchException.Kind.UNREACHABLE, "unknown host " + host + " (no DNS record)", e);
        }
        if (resolved.isEmpty()) {
            throw new FetchException(FetchException.Kind.UNREACHABLE, "unknown host " + host + " (no address)");
        }
        List<InetSocketAddress> checked = new ArrayList<>(resolved.size());
        for (InetAddress address : resolved) {
            String refusal = policy.refusal(address);
            if (refusal != null) {
                throw new FetchException(FetchException.Kind.REFUSED, "refused: " + host + " resolves to "
                        + address.getHostAddress() + ", " + refusal + "; goto fetches from public addresses only"
                        + (policy.allowPrivate() ? "" : " (-fetch-private allows private ones)"));
            }
            checked.add(new InetSocketAddress(address, port));
        }
        return checked;
    }
}
