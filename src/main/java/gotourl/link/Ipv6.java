package gotourl.link;

import static gotourl.link.InvalidUrlException.quoted;

import gotourl.link.InvalidUrlException.Kind;

/** The WHATWG URL Standard's IPv6 parser (§3.5): eight 16-bit pieces, {@code ::} once, a dotted IPv4 tail. */
final class Ipv6 {
    private Ipv6() {}

    static Host parse(String input, String host) throws InvalidUrlException {
        int[] pieces = new int[8];
        int pieceIndex = 0;
        int compress = -1;
        int p = 0;
        int n = input.length();
        if (p < n && input.charAt(p) == ':') {
            if (p + 1 >= n || input.charAt(p + 1) != ':') {
                throw invalid(host, "it starts with a single ':'");
            }
            p += 2;
            compress = ++pieceIndex;
        }
        while (p < n) {
            if (pieceIndex == 8) {
                throw invalid(host, "it has more than eight parts");
            }
            if (input.charAt(p) == ':') {
                if (compress >= 0) {
                    throw invalid(host, "it has '::' more than once");
                }
                p++;
                compress = ++pieceIndex;
                continue;
            }
            int value = 0;
            int length = 0;
            while (length < 4 && p < n && PercentEncoding.hex(input.charAt(p)) >= 0) {
                value = value * 16 + PercentEncoding.hex(input.charAt(p));
                p++;
                length++;
            }
            if (p < n && input.charAt(p) == '.') {
                if (length == 0) {
                    throw invalid(host, "its IPv4 part is empty");
                }
                p -= length;
                if (pieceIndex > 6) {
                    throw invalid(host, "its IPv4 part comes after six parts");
                }
                p = ipv4Tail(input, p, pieces, pieceIndex, host);
                pieceIndex += 2;
                break;
            } else if (p < n && input.charAt(p) == ':') {
                p++;
                if (p >= n) {
                    throw invalid(host, "it ends with a single ':'");
                }
            } else if (p < n) {
                throw invalid(host, quoted(String.valueOf(input.charAt(p))) + " is not a hex digit");
            }
            pieces[pieceIndex++] = value;
        }
        if (compress >= 0) {
            int swaps = pieceIndex - compress;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0) {
                int swapWith = compress + swaps - 1;
                int piece = pieces[pieceIndex];
                pieces[pieceIndex] = pieces[swapWith];
                pieces[swapWith] = piece;
                pieceIndex--;
                swaps--;
            }
        } else if (pieceIndex != 8) {
            throw invalid(host, "it has fewer than eight parts and no '::'");
        }
        return Host.ipv6(pieces);
    }

    /** The dotted IPv4 address that ends an IPv6 address; returns where it stopped (the end). */
    private static int ipv4Tail(String input, int start, int[] pieces, int pieceIndex, String host) throws InvalidUrlException {
        int p = start;
        int n = input.length();
        int numbersSeen = 0;
        while (p < n) {
            int value = -1;
            if (numbersSeen > 0) {
                if (input.charAt(p) == '.' && numbersSeen < 4) {
                    p++;
                } else {
                    throw invalid(host, "its IPv4 part is not four numbers separated by dots");
                }
            }
            if (p >= n || !isDigit(input.charAt(p))) {
                throw invalid(host, "its IPv4 part is not four numbers separated by dots");
            }
            while (p < n && isDigit(input.charAt(p))) {
                int digit = input.charAt(p) - '0';
                if (value == -1) {
                    value = digit;
                } else if (value == 0) {
                    throw invalid(host, "a number in its IPv4 part starts with 0");
                } else {
                    value = value * 10 + digit;
                }
                if (value > 255) {
                    throw invalid(host, "a number in its IPv4 part is above 255");
                }
                p++;
            }
            pieces[pieceIndex] = pieces[pieceIndex] * 0x100 + value;
            numbersSeen++;
            if (numbersSeen == 2 || numbersSeen == 4) {
                pieceIndex++;
            }
        }
        if (numbersSeen != 4) {
            throw invalid(host, "its IPv4 part is not four numbers separated by dots");
        }
        return p;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static InvalidUrlException invalid(String host, String why) {
        return new InvalidUrlException(Kind.HOST, "url host " + quoted(host) + " is not a valid IPv6 address: " + why);
    }
}
