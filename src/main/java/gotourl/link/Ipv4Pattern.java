package gotourl.link;

/**
 * An {@code ip-address} redirect condition's value, as Shlink's {@code IpAddressUtils} reads it:
 * a static IPv4 address ({@code 100.200.80.40}), a CIDR block ({@code 192.168.10.0/24}) or a
 * pattern whose octets may be {@code *} ({@code 11.22.*.*}, {@code 1.*.3.4}: any value there).
 * Only IPv4: Shlink matches only an IPv4 visitor, so an IPv6 pattern could never match.
 *
 * @param address  the pattern's address as 32 bits, its {@code *} octets 0
 * @param mask     the bits that must equal {@code address}'s (a CIDR prefix, less any {@code *} octet)
 */
record Ipv4Pattern(int address, int mask) {

    /** The pattern {@code text} is, or null when it is none of the three forms. */
    static Ipv4Pattern parse(String text) {
        int slash = text.indexOf('/');
        int prefix = 32;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 2 || !bits.chars().allMatch(Character::isDigit) || text.indexOf('*') >= 0) {
                return null;
            }
            prefix = Integer.parseInt(bits);
            if (prefix > 32) {
                return null;
            }
            text = text.substring(0, slash);
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        int address = 0;
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        for (int i = 0; i < 4; i++) {
            String octet = octets[i];
            int shift = 24 - 8 * i;
            if (octet.equals("*")) {
                mask &= ~(0xFF << shift);
                continue;
            }
            int value = octet(octet);
            if (value < 0) {
                return null;
            }
            address |= value << shift;
        }
        return new Ipv4Pattern(address & mask, mask);
    }

    /** Whether the IPv4 address {@code remote} (dotted, as a socket gives it) is in this pattern; false for IPv6 or null. */
    boolean matches(String remote) {
        if (remote == null) {
            return false;
        }
        Ipv4Pattern exact = parse(remote);
        return exact != null && exact.mask == -1 && (exact.address & mask) == address;
    }

    /** An octet's value, 0-255 in at most three decimal digits, or -1. */
    private static int octet(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value > 255 ? -1 : value;
    }
}
