package gotourl.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * Which addresses goto may connect to when it fetches a page: public unicast ones only, unless
 * {@code -fetch-private} allows the private ones too. Refused as not public (IANA's IPv4 and IPv6
 * Special-Purpose Address Registries, RFC 6890): unspecified, loopback, private (RFC 1918), shared
 * CGNAT space (RFC 6598), link-local, IETF protocol assignments, documentation (RFC 5737, RFC 3849,
 * RFC 9637), benchmarking (RFC 2544), the 6to4 relay anycast, reserved (240/4), broadcast,
 * multicast, unique local IPv6 (RFC 4193), site-local, discard-only (RFC 6666), Teredo, ORCHID,
 * and the IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 (RFC 6052) and 6to4 (RFC 3056)
 * forms, judged as that IPv4 address.
 *
 * @param allowPrivate  {@code -fetch-private}: private, loopback and link-local addresses are
 *                      allowed too (a goto that checks an intranet's links); unspecified,
 *                      multicast and broadcast never are, as no page is served there, nor the
 *                      clouds' instance metadata services, which hand out credentials
 * @param treatAsPublic addresses judged public whatever they are: a seam for tests, whose
 *                      "public" names point at a local server; empty in goto itself
 */
public record AddressPolicy(boolean allowPrivate, Set<InetAddress> treatAsPublic) {

    public AddressPolicy {
        treatAsPublic = Set.copyOf(Objects.requireNonNull(treatAsPublic, "treatAsPublic"));
    }

    /** Public addresses only: goto's default. */
    public static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(false, Set.of());

    /** {@code -fetch-private}: private, loopback and link-local addresses allowed too. */
    public static final AddressPolicy ALLOW_PRIVATE = new AddressPolicy(true, Set.of());

    /** Why {@code address} may not be fetched from under this policy ("loopback (127.0.0.0/8)"), or null when it may. */
    public String refusal(InetAddress address) {
        if (treatAsPublic.contains(address)) {
            return null;
        }
        Range range = rangeOf(address);
        if (range == null) {
            return null;
        }
        return allowPrivate && range.privateUse() ? null : range.name();
    }

    /**
     * A special-purpose range: its name for messages ("private (RFC 1918, 10.0.0.0/8)") and
     * whether it is private use (allowed by {@code -fetch-private}) or never served from.
     */
    record Range(String name, boolean privateUse) {}

    private static final Range UNSPECIFIED = new Range("unspecified (0.0.0.0/8 or ::)", false);
    private static final Range MULTICAST = new Range("multicast", false);
    private static final Range BROADCAST = new Range("broadcast (255.255.255.255)", false);
    /**
     * The instance metadata services of clouds (AWS, GCP, Azure and OpenStack at 169.254.169.254,
     * AWS ECS at 169.254.170.2, Alibaba at 100.100.100.200, EC2's IPv6 fd00:ec2::254): they hand
     * out the machine's credentials, and no link to check or title to read is served there, so
     * they are refused under {@code -fetch-private} too (as link-local and shared space otherwise are not).
     */
    private static final Range CLOUD_METADATA = new Range("a cloud's instance metadata service (169.254.169.254, 169.254.170.2,"
            + " 100.100.100.200, fd00:ec2::254), never fetched from", false);

    /** The special-purpose range {@code address} is in, or null for a public unicast address. */
    static Range rangeOf(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return rangeOf4(b, 0);
        }
        if (!(address instanceof Inet6Address)) {
            return new Range("not an IP address", false);
        }
        return rangeOf6(b);
    }

    private static Range rangeOf4(byte[] b, int at) {
        int a0 = b[at] & 0xFF;
        int a1 = b[at + 1] & 0xFF;
        int a2 = b[at + 2] & 0xFF;
        int a3 = b[at + 3] & 0xFF;
        if (a0 == 0) {
            return UNSPECIFIED; // "this network": 0.0.0.0 connects to the local host on Linux
        }
        if (a0 == 169 && a1 == 254 && (a2 == 169 && a3 == 254 || a2 == 170 && a3 == 2) || a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) {
            return CLOUD_METADATA;
        }
        if (a0 == 10) {
            return new Range("private (RFC 1918, 10.0.0.0/8)", true);
        }
        if (a0 == 100 && (a1 & 0xC0) == 64) {
            return new Range("shared address space (CGNAT, RFC 6598, 100.64.0.0/10)", true);
        }
        if (a0 == 127) {
            return new Range("loopback (127.0.0.0/8)", true);
        }
        if (a0 == 169 && a1 == 254) {
            return new Range("link-local (169.254.0.0/16, where cloud metadata services answer)", true);
        }
        if (a0 == 172 && (a1 & 0xF0) == 16) {
            return new Range("private (RFC 1918, 172.16.0.0/12)", true);
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return new Range("IETF protocol assignments (192.0.0.0/24)", true);
        }
        if (a0 == 192 && a1 == 0 && a2 == 2) {
            return new Range("documentation (RFC 5737, 192.0.2.0/24)", false);
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return new Range("6to4 relay anycast (192.88.99.0/24)", false);
        }
        if (a0 == 192 && a1 == 168) {
            return new Range("private (RFC 1918, 192.168.0.0/16)", true);
        }
        if (a0 == 198 && (a1 & 0xFE) == 18) {
            return new Range("benchmarking (RFC 2544, 198.18.0.0/15)", true);
        }
        if (a0 == 198 && a1 == 51 && a2 == 100) {
            return new Range("documentation (RFC 5737, 198.51.100.0/24)", false);
        }
        if (a0 == 203 && a1 == 0 && a2 == 113) {
            return new Range("documentation (RFC 5737, 203.0.113.0/24)", false);
        }
        if (a0 >= 224 && a0 <= 239) {
            return MULTICAST;
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return BROADCAST;
        }
        if (a0 >= 240) {
            return new Range("reserved (240.0.0.0/4)", false);
        }
        return null;
    }

    private static Range rangeOf6(byte[] b) {
        int w0 = word(b, 0);
        int w1 = word(b, 1);
        if (zeros(b, 0, 10)) {
            int w5 = word(b, 5);
            if (w5 == 0xFFFF) {
                return embedded(rangeOf4(b, 12), "IPv4-mapped"); // ::ffff:a.b.c.d
            }
            if (w5 == 0) {
                if (zeros(b, 10, 16)) {
                    return UNSPECIFIED;
                }
                if (zeros(b, 10, 15) && b[15] == 1) {
                    return new Range("loopback (::1)", true);
                }
                return new Range("IPv4-compatible (::a.b.c.d, deprecated)", false);
            }
        }
        if (w0 == 0x0064 && w1 == 0xFF9B && zeros(b, 4, 12)) {
            return embedded(rangeOf4(b, 12), "NAT64 (64:ff9b::/96)");
        }
        if (w0 == 0x0064 && w1 == 0xFF9B) {
            return new Range("local-use NAT64 (64:ff9b:1::/48)", true);
        }
        if (w0 == 0x0100 && zeros(b, 2, 8)) {
            return new Range("discard-only (RFC 6666, 100::/64)", false);
        }
        if (w0 == 0x2001 && w1 == 0x0DB8) {
            return new Range("documentation (RFC 3849, 2001:db8::/32)", false);
        }
        if (w0 == 0x2001 && w1 < 0x0200) {
            return new Range("IETF protocol assignments (2001::/23: Teredo, ORCHID, benchmarking)", false);
        }
        if (w0 == 0x2002) {
            return embedded(rangeOf4(b, 2), "6to4 (2002::/16)");
        }
        if (w0 == 0x3FFF && (w1 & 0xF000) == 0) {
            return new Range("documentation (RFC 9637, 3fff::/20)", false);
        }
        if (w0 == 0xFD00 && w1 == 0x0EC2 && zeros(b, 4, 14) && word(b, 7) == 0x0254) {
            return CLOUD_METADATA; // fd00:ec2::254, EC2's IPv6 metadata service
        }
        if ((w0 & 0xFE00) == 0xFC00) {
            return new Range("unique local (RFC 4193, fc00::/7)", true);
        }
        if ((w0 & 0xFFC0) == 0xFE80) {
            return new Range("link-local (fe80::/10)", true);
        }
        if ((w0 & 0xFFC0) == 0xFEC0) {
            return new Range("site-local (fec0::/10, deprecated)", true);
        }
        if ((w0 & 0xFF00) == 0xFF00) {
            return MULTICAST;
        }
        return null;
    }

    private static Range embedded(Range inner, String form) {
        return inner == null ? null : new Range(form + " form of " + inner.name(), inner.privateUse());
    }

    private static int word(byte[] b, int index) {
        return ((b[2 * index] & 0xFF) << 8) | (b[2 * index + 1] & 0xFF);
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
