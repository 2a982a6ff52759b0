package gotourl.link;

import static gotourl.link.InvalidUrlException.quoted;

import com.ibm.icu.text.IDNA;
import gotourl.link.InvalidUrlException.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The WHATWG URL Standard's host parser (§3.5) for http and https: IPv6 in brackets, otherwise a
 * domain, percent-decoded, mapped by IDNA (UTS #46, non-transitional, with ICU4J) to ASCII, and
 * read as an IPv4 address if it ends in a number (decimal, octal {@code 0177} or hex {@code 0x7f}
 * parts, or one 32-bit number). Failures say which rule the host breaks.
 */
final class HostParser {
    /**
     * The Standard's domain to ASCII: CheckBidi, CheckJoiners, non-transitional; no STD3 rules.
     * In a holder, so that ICU loads (a tenth of a second of class and data loading, measured on a
     * busy machine) with the first international host, not with the first URL.
     */
    private static final class Uts46 {
        static final IDNA INSTANCE = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
                | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);
    }

    /** Errors UTS #46 reports that the Standard waives: CheckHyphens and VerifyDnsLength are false. */
    private static final Set<IDNA.Error> WAIVED = EnumSet.of(IDNA.Error.LEADING_HYPHEN, IDNA.Error.TRAILING_HYPHEN,
            IDNA.Error.HYPHEN_3_4, IDNA.Error.EMPTY_LABEL, IDNA.Error.LABEL_TOO_LONG, IDNA.Error.DOMAIN_NAME_TOO_LONG);
    /** The forbidden host code points, to which domains add C0 controls, % and DEL. */
    private static final String FORBIDDEN_HOST = "\u0000\t\n\r #/:<>?@[\\]^|";

    private HostParser() {}

    static Host parse(String input) throws InvalidUrlException {
        if (input.startsWith("[")) {
            if (!input.endsWith("]")) {
                throw new InvalidUrlException(Kind.HOST, "url host " + quoted(input) + " opens '[' for an IPv6 address but does not close it");
            }
            return Ipv6.parse(input.substring(1, input.length() - 1), input);
        }
        String domain = PercentEncoding.decodeToString(input);
        String ascii = domainToAscii(domain, input);
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c < 0x20 || c == '%' || c == 0x7F || FORBIDDEN_HOST.indexOf(c) >= 0) {
                String mapped = ascii.equalsIgnoreCase(input) ? "" : " (as a browser reads it: " + quoted(ascii) + ")";
                throw new InvalidUrlException(Kind.HOST, "url host " + quoted(input) + mapped + " contains "
                        + quoted(String.valueOf(c)) + ", which no host may contain");
            }
        }
        if (endsInANumber(ascii)) {
            return Host.ipv4(ipv4(ascii, input));
        }
        return Host.domain(ascii);
    }

    /**
     * UTS #46 ToASCII as the Standard asks for it. An ASCII name is only lower-cased, whatever its
     * {@code xn--} labels hold: the Standard keeps it as typed for compatibility with the web, as
     * browsers do (and it keeps ICU off the common path).
     */
    private static String domainToAscii(String domain, String input) throws InvalidUrlException {
        if (isAscii(domain)) {
            if (domain.isEmpty()) {
                throw new InvalidUrlException(Kind.NO_HOST, "url has an empty host");
            }
            return domain.toLowerCase(Locale.ROOT);
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder ascii = Uts46.INSTANCE.nameToASCII(domain, new StringBuilder(domain.length() + 16), info);
        Set<IDNA.Error> errors = new TreeSet<>(info.getErrors());
        errors.removeAll(WAIVED);
        if (!errors.isEmpty()) {
            throw new InvalidUrlException(Kind.HOST, "url host " + quoted(input) + " is not a valid international domain name"
                    + " (UTS #46: " + describe(errors) + ")");
        }
        if (ascii.isEmpty()) {
            throw new InvalidUrlException(Kind.NO_HOST, "url host " + quoted(input) + " is empty once mapped by IDNA");
        }
        return ascii.toString();
    }

    /**
     * The label {@code label} of a stored host (ASCII, an {@code xn--} label) as UTS #46 ToUnicode
     * reads it, or null if it is no valid Punycode or decodes to a label IDNA would not give: the
     * Standard keeps an ASCII host's {@code xn--} labels as typed, so a stored one may be neither.
     */
    static String labelToUnicode(String label) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder unicode = Uts46.INSTANCE.labelToUnicode(label, new StringBuilder(label.length()), info);
        Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
        errors.addAll(info.getErrors());
        errors.removeAll(WAIVED);
        return errors.isEmpty() ? unicode.toString() : null;
    }

    private static String describe(Set<IDNA.Error> errors) {
        List<String> words = new ArrayList<>();
        for (IDNA.Error error : errors) {
            words.add(switch (error) {
                case DISALLOWED -> "a character that is not allowed in domain names";
                case PUNYCODE -> "an xn-- label that is not valid Punycode";
                case INVALID_ACE_LABEL -> "an xn-- label that does not decode to a valid label";
                case BIDI -> "a mix of right-to-left and left-to-right text that the bidi rule forbids";
                case CONTEXTJ -> "a zero-width joiner or non-joiner where it is not allowed";
                case LEADING_COMBINING_MARK -> "a label that starts with a combining mark";
                case LABEL_HAS_DOT -> "a label that contains a dot";
                default -> error.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            });
        }
        return String.join("; ", words);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The Standard's "ends in a number" checker: then the host must be an IPv4 address. */
    private static boolean endsInANumber(String ascii) {
        List<String> parts = split(ascii);
        String last = parts.getLast();
        if (last.isEmpty()) {
            if (parts.size() == 1) {
                return false;
            }
            last = parts.get(parts.size() - 2);
        }
        if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return ipv4Number(last) >= 0;
    }

    /** The Standard's IPv4 parser: up to four parts, the last one filling the remaining bytes. */
    private static long ipv4(String ascii, String input) throws InvalidUrlException {
        List<String> parts = split(ascii);
        if (parts.getLast().isEmpty() && parts.size() > 1) {
            parts.removeLast();
        }
        if (parts.size() > 4) {
            throw notIpv4(input, "it has more than four parts");
        }
        long[] numbers = new long[parts.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = ipv4Number(parts.get(i));
            if (numbers[i] < 0) {
                throw notIpv4(input, quoted(parts.get(i)) + " is not a decimal, octal (0...) or hex (0x...) number");
            }
            if (i < numbers.length - 1 && numbers[i] > 255) {
                throw notIpv4(input, "part " + quoted(parts.get(i)) + " is above 255");
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            throw notIpv4(input, "its last part " + quoted(parts.getLast()) + " is too large");
        }
        long address = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            address += numbers[i] << (8 * (3 - i));
        }
        return address;
    }

    private static InvalidUrlException notIpv4(String input, String why) {
        return new InvalidUrlException(Kind.HOST, "url host " + quoted(input) + " ends in a number, so it must be an IPv4"
                + " address, and it is not one: " + why);
    }

    /**
     * The Standard's IPv4 number parser; -1 for failure. Values past 2^32 are capped there: any
     * such part fails the address anyway, and the cap keeps a long run of digits from overflowing.
     */
    private static long ipv4Number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() >= 2 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (digit < 0 || digits.charAt(i) >= 0x80) {
                return -1;
            }
            value = Math.min(value * radix + digit, 1L << 33);
        }
        return value;
    }

    /** Splits on every dot, keeping empty parts (the Standard's "strictly split"). */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', start)) {
            parts.add(text.substring(start, dot));
            start = dot + 1;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
