package gotourl.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a QR code (ISO/IEC 18004, by ZXing's encoder) of a text as PNG or SVG. Each module is a
 * whole number of pixels, the largest that fits {@code size}; what is left over goes to the margin,
 * as Shlink's default {@code roundBlockSize} did, so scanners see sharp modules. CPU work of a
 * millisecond or more for large sizes: callers run it off the selector threads.
 */
public final class QrCodes {
    private QrCodes() {}

    /**
     * The image of {@code text} drawn as {@code params} ask, in their format.
     *
     * @throws QrParams.InvalidParameter when {@code size} is smaller than the code's modules (a
     *                                   long text at a high error correction needs more pixels)
     */
    public static byte[] draw(String text, QrParams params) {
        BitMatrix modules = encode(text, params);
        return params.format().equals("svg") ? svg(modules, params) : png(modules, params);
    }

    private static BitMatrix encode(String text, QrParams params) {
        try {
            BitMatrix modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, params.errorCorrection(),
                    EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name(),
                    EncodeHintType.MARGIN, 0));
            if (modules.getWidth() > params.size()) {
                throw new QrParams.InvalidParameter("size", "size=" + params.size() + " is too small for this code: it has "
                        + modules.getWidth() + " modules a side at error correction " + params.errorCorrection()
                        + "; give a size of at least " + modules.getWidth() + " or a lower errorCorrection");
            }
            return modules;
        } catch (WriterException e) {
            throw new IllegalStateException("ZXing could not encode a QR code of " + text.length() + " characters: "
                    + e.getMessage(), e);
        }
    }

    /** Pixels per module: the most that fit the size (at least one; {@link #encode} checked that one fits). */
    private static int scale(BitMatrix modules, QrParams params) {
        return Math.max(1, params.size() / modules.getWidth());
    }

    private static byte[] png(BitMatrix modules, QrParams params) {
        int side = params.size() + 2 * params.margin();
        int scale = scale(modules, params);
        int n = modules.getWidth();
        int offset = params.margin() + (params.size() - n * scale) / 2;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[side];
        for (int y = 0; y < side; y++) {
            int my = y - offset;
            boolean inRows = my >= 0 && my < n * scale;
            for (int x = 0; x < side; x++) {
                int mx = x - offset;
                boolean dark = inRows && mx >= 0 && mx < n * scale && modules.get(mx / scale, my / scale);
                row[x] = dark ? params.color() : params.bgColor();
            }
            image.setRGB(0, y, side, 1, row, 0, side);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("the JDK's ImageIO has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One path of horizontal runs of dark modules over a background rectangle; no text from the request reaches it. */
    private static byte[] svg(BitMatrix modules, QrParams params) {
        int side = params.size() + 2 * params.margin();
        int scale = scale(modules, params);
        int n = modules.getWidth();
        int offset = params.margin() + (params.size() - n * scale) / 2;
        StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(side)
                .append("\" height=\"").append(side).append("\" viewBox=\"0 0 ").append(side).append(' ').append(side)
                .append("\" shape-rendering=\"crispEdges\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(side).append("\" height=\"").append(side)
                .append("\" fill=\"").append(hex(params.bgColor())).append("\"/>\n")
                .append("<path fill=\"").append(hex(params.color())).append("\" d=\"");
        for (int y = 0; y < n; y++) {
            int x = 0;
            while (x < n) {
                if (!modules.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < n && modules.get(x, y)) {
                    x++;
                }
                int width = (x - start) * scale;
                svg.append('M').append(offset + start * scale).append(',').append(offset + y * scale)
                        .append('h').append(width).append('v').append(scale).append('h').append(-width).append('z');
            }
        }
        svg.append("\"/>\n</svg>\n");
        return svg.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xFFFFFF);
    }
}
