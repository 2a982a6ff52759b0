/**
 * QR codes of short URLs at {@code /{shortCode}/qr-code}, with Shlink's historical parameters
 * (Shlink 1.x to 4.x; it dropped server-side QR codes in 5.0): {@link gotourl.qr.QrParams} reads
 * and bounds them, {@link gotourl.qr.QrCodes} draws the code (ZXing's encoder; PNG through the
 * JDK's ImageIO, SVG written here), {@link gotourl.qr.QrCodeRoute} answers the request off the
 * selector threads, cacheable.
 *
 * <p>May use: {@code gotourl.link}, {@code gotourl.store}, ZXing, Jetty, Jackson. Knows nothing of
 * the other routes; {@code gotourl.http.AppHandler} hands it the paths that end in
 * {@code /qr-code}.
 */
package gotourl.qr;
