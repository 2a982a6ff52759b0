package gotourl.qr;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * What a QR code request asks for, with Shlink's parameter names and defaults
 * ({@code QrCodeParams} and {@code QrCodeOptions} of Shlink 3.x/4.x). Shlink quietly clamped a size
 * out of range and fell back to defaults for other bad values; goto refuses them with a 400 that
 * names the parameter and its range instead, so a client never gets a code it did not ask for.
 *
 * @param size            the code's side in pixels, without the margin: {@value #MIN_SIZE} to
 *                        {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE} (Shlink's)
 * @param margin          blank pixels on each side, 0 to {@value #MAX_MARGIN}, default 0 (Shlink's);
 *                        the image is {@code size + 2 * margin} pixels wide
 * @param format          {@code png} (default) or {@code svg}
 * @param errorCorrection {@code L} (default, as Shlink's), {@code M}, {@code Q} or {@code H}: the
 *                        share of the code that may be damaged and still read (7, 15, 25, 30 %)
 * @param color           the dark modules' colour as {@code 0xRRGGBB}, default black
 * @param bgColor         the background's colour as {@code 0xRRGGBB}, default white; never
 *                        {@code color}, nor a colour too close to it ({@link #parse} refuses both,
 *                        as no scanner reads the code: see {@link #MIN_CONTRAST})
 */
public record QrParams(int size, int margin, String format, ErrorCorrectionLevel errorCorrection, int color, int bgColor) {
    public static final int MIN_SIZE = 50;
    public static final int MAX_SIZE = 1000;
    public static final int DEFAULT_SIZE = 300;
    /** Shlink set no upper bound; 100 px keeps the largest image at 1,200 px square. */
    public static final int MAX_MARGIN = 100;
    public static final int DEFAULT_COLOR = 0x000000;
    public static final int DEFAULT_BG_COLOR = 0xFFFFFF;
    private static final Set<String> FORMATS = Set.of("png", "svg");
    private static final Set<String> KNOWN = Set.of("size", "margin", "format", "errorCorrection", "color", "bgColor");
    /**
     * The least WCAG 2 contrast ratio ({@link #contrast}) between {@code color} and {@code bgColor},
     * 1.5:1: a floor that refuses pairs the eye and a camera see as one colour (fefefe on white is
     * 1.01:1, 000001 on black 1.00:1, yellow ffff00 on white 1.07:1) and lets through any colour a
     * designer picks on purpose (orange ff8800 on white is 2.4:1, 336699 on white 6.0:1). Scanners
     * binarise on luminance, and glare, uneven light and print squeeze the ratio a camera sees, so
     * a pair near 1:1 cannot be saved by a better reader. It is no promise that a pair above it
     * scans: measured with ZXing 3.5.3 on goto's own images, light modules on white need about
     * 2.6:1 with a margin and more without (its {@code HybridBinarizer} takes a flat 8×8 block for
     * background), while black on 080808 (1.05:1) still reads from a noiseless image, which no
     * camera gives. WCAG's 3:1 for graphics (SC 1.4.11) is the ratio to aim for.
     */
    public static final double MIN_CONTRAST = 1.5;

    /** A parameter out of its range, or two that clash; the message names them, their values and what they take. */
    public static final class InvalidParameter extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> parameters;

        InvalidParameter(String parameter, String message) {
            this(List.of(parameter), message);
        }

        InvalidParameter(List<String> parameters, String message) {
            super(message);
            this.parameters = List.copyOf(parameters);
        }

        /** The (first) query parameter at fault ({@code size}, {@code color}...). */
        public String parameter() {
            return parameters.getFirst();
        }

        /** Every query parameter at fault, in the query's terms: one, or {@code color} and {@code bgColor} together. */
        public List<String> parameters() {
            return parameters;
        }
    }

    /** Shlink's defaults: 300 px, no margin, PNG, error correction L, black on white. */
    public static QrParams defaults() {
        return new QrParams(DEFAULT_SIZE, 0, "png", ErrorCorrectionLevel.L, DEFAULT_COLOR, DEFAULT_BG_COLOR);
    }

    /**
     * Reads {@code size}, {@code margin}, {@code format}, {@code errorCorrection}, {@code color} and
     * {@code bgColor} from a query; absent ones take the defaults; others are ignored.
     *
     * @throws InvalidParameter when one is out of range or unreadable, or sent twice (goto does
     *                          not guess which one was meant, as a REST form refuses a field sent
     *                          twice), or {@code color} and {@code bgColor} are the same colour once
     *                          read or their contrast ratio is below {@link #MIN_CONTRAST}
     */
    public static QrParams parse(Fields query) {
        for (Fields.Field field : query) {
            if (field.getValues().size() > 1 && KNOWN.contains(field.getName())) {
                throw new InvalidParameter(field.getName(), "the query sends " + field.getName() + " "
                        + field.getValues().size() + " times; send it once");
            }
        }
        QrParams d = defaults();
        int size = integer(query, "size", d.size, MIN_SIZE, MAX_SIZE);
        int margin = integer(query, "margin", d.margin, 0, MAX_MARGIN);
        String format = value(query, "format");
        if (format == null) {
            format = d.format;
        } else if (!FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            throw new InvalidParameter("format", "format=" + format + " is not one goto draws; use png or svg");
        }
        String level = value(query, "errorCorrection");
        ErrorCorrectionLevel correction = d.errorCorrection;
        if (level != null) {
            correction = switch (level.toUpperCase(Locale.ROOT)) {
                case "L" -> ErrorCorrectionLevel.L;
                case "M" -> ErrorCorrectionLevel.M;
                case "Q" -> ErrorCorrectionLevel.Q;
                case "H" -> ErrorCorrectionLevel.H;
                default -> throw new InvalidParameter("errorCorrection", "errorCorrection=" + level
                        + " is not a level; use L (7% may be damaged), M (15%), Q (25%) or H (30%)");
            };
        }
        int color = color(query, "color", d.color);
        int bgColor = color(query, "bgColor", d.bgColor);
        if (color == bgColor) {
            throw sameColours(query, color);
        }
        double contrast = contrast(color, bgColor);
        if (contrast < MIN_CONTRAST) {
            throw new InvalidParameter(List.of("color", "bgColor"), named(query, "color", DEFAULT_COLOR) + " and "
                    + named(query, "bgColor", DEFAULT_BG_COLOR) + String.format(Locale.ROOT, " are too alike: a contrast"
                    + " ratio of %.2f:1, below the %.1f:1 a scanner needs to tell the modules from the background; give a"
                    + " dark color on a light bgColor, such as color=000000&bgColor=ffffff", contrast, MIN_CONTRAST));
        }
        return new QrParams(size, margin, format.toLowerCase(Locale.ROOT), correction, color, bgColor);
    }

    /**
     * {@code color} and {@code bgColor} that are one colour once read ({@code FFF}, {@code #fff} and
     * {@code ffffff} are white): the image would be a blank square no scanner reads. Shlink drew
     * it; goto refuses it naming both values as sent (or the default one was left to).
     */
    private static InvalidParameter sameColours(Fields query, int rgb) {
        return new InvalidParameter(List.of("color", "bgColor"), named(query, "color", DEFAULT_COLOR) + " and "
                + named(query, "bgColor", DEFAULT_BG_COLOR) + " are the same colour, "
                + String.format("%06x", rgb) + ": the code would be unreadable; give a dark color on a light bgColor,"
                + " such as color=000000&bgColor=ffffff");
    }

    /** {@code color=abc} as sent, or {@code color (the default, 000000)} when it was left out. */
    private static String named(Fields query, String name, int otherwise) {
        String value = value(query, name);
        return value == null ? name + String.format(" (the default, %06x)", otherwise) : name + "=" + value;
    }

    /**
     * The WCAG 2 contrast ratio of two {@code 0xRRGGBB} colours, 1 (equal) to 21 (black and white):
     * {@code (L1 + 0.05) / (L2 + 0.05)} of their relative luminances, lighter first
     * (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio, #dfn-relative-luminance).
     */
    public static double contrast(int rgb1, int rgb2) {
        double l1 = luminance(rgb1);
        double l2 = luminance(rgb2);
        return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    }

    private static double luminance(int rgb) {
        return 0.2126 * linear(rgb >> 16 & 0xFF) + 0.7152 * linear(rgb >> 8 & 0xFF) + 0.0722 * linear(rgb & 0xFF);
    }

    /** An sRGB channel (0 to 255) made linear, as WCAG 2.1 defines it. */
    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** The media type of the image: {@code image/png} or {@code image/svg+xml}. */
    public String mediaType() {
        return format.equals("svg") ? "image/svg+xml" : "image/png";
    }

    /**
     * A strong entity tag for the image of {@code shortUrl} drawn with these parameters: the same
     * text and parameters always draw the same bytes (RFC 9110 §8.8.3).
     */
    public String etag(String shortUrl) {
        String key = shortUrl + '\n' + size + '\n' + margin + '\n' + format + '\n' + errorCorrection + '\n'
                + Integer.toHexString(color) + '\n' + Integer.toHexString(bgColor);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "\"qr-" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String value(Fields query, String name) {
        String value = query.getValue(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static int integer(Fields query, String name, int otherwise, int min, int max) {
        String text = value(query, name);
        if (text == null) {
            return otherwise;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameter(name, name + "=" + text + " is not a whole number; give " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new InvalidParameter(name, name + "=" + value + " is out of range; give " + min + " to " + max
                    + (name.equals("size") ? " (pixels, without the margin)" : " (pixels)"));
        }
        return value;
    }

    /** Shlink's colour syntax: 3 or 6 hex digits, with or without {@code #} (sent as {@code %23}). */
    private static int color(Fields query, String name, int otherwise) {
        String text = value(query, name);
        if (text == null) {
            return otherwise;
        }
        String hex = text.startsWith("#") ? text.substring(1) : text;
        if ((hex.length() == 3 || hex.length() == 6) && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            if (hex.length() == 3) {
                hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
            }
            return Integer.parseInt(hex, 16);
        }
        throw new InvalidParameter(name, name + "=" + text + " is not a colour; give 3 or 6 hex digits, as ff8800 or"
                + " %23ff8800 (a # must be sent as %23)");
    }
}
