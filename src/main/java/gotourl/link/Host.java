package gotourl.link;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A URL's host as the WHATWG URL Standard serializes it: a domain in ASCII (lower case, IDNA
 * labels as {@code xn--}), an IPv4 address in dotted decimal, or an IPv6 address in brackets in
 * its shortest form. {@code address} is set for the two kinds of address, null for a domain.
 */
public record Host(String serialized, InetAddress address) {

    public boolean isDomain() {
        return address == null;
    }

    /**
     * The domain as DNS compares it: without the trailing dot of a fully qualified name
     * ({@code example.com.} reaches the same server as {@code example.com}); null for an address.
     */
    public String domainName() {
        if (address != null) {
            return null;
        }
        return serialized.endsWith(".") ? serialized.substring(0, serialized.length() - 1) : serialized;
    }

    static Host domain(String ascii) {
        return new Host(ascii.toLowerCase(Locale.ROOT), null);
    }

    static Host ipv4(long address) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        String text = (address >>> 24 & 0xFF) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
        return new Host(text, byAddress(bytes));
    }

    /** The Standard's IPv6 serializer: lower-case hex, the first longest run of two or more zero pieces as {@code ::}. */
    static Host ipv6(int[] pieces) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (pieces[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && pieces[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder out = new StringBuilder(41).append('[');
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(pieces[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (pieces[i] >>> 8);
            bytes[2 * i + 1] = (byte) pieces[i];
        }
        return new Host(out.append(']').toString(), byAddress(bytes));
    }

    /** No lookup: an address given as bytes is only wrapped. IPv4-mapped IPv6 comes back as IPv4. */
    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException cannotHappen) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", cannotHappen);
        }
    }

    @Override
    public String toString() {
        return serialized;
    }
}
