package gotourl.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses: the system's resolver in goto; tests give their own, so that
 * names point at servers the tests start.
 */
@FunctionalInterface
public interface HostResolver {
    /**
     * The addresses of {@code host} (a name, or an IP literal without brackets); throws
     * {@link UnknownHostException} when it has none.
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system's resolver ({@link InetAddress#getAllByName}), which takes IP literals as they are. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
