package gotourl.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Reads the field {@code url} of a form posted to {@code /add}, as the seed's {@code r.FormValue}
 * did: {@code application/x-www-form-urlencoded} (what {@code curl -d} and HTML forms send) or
 * {@code multipart/form-data} ({@code curl -F}), decoded in the charset the request declares
 * (UTF-8 when it declares none). Non-blocking: Jetty calls back when the body is complete.
 * Unlike the seed, it says how many {@code url} fields the form carries, so that {@code /add} can
 * refuse a form with two rather than store the first and drop the other unseen.
 */
final class AddForm {
    private static final int MAX_FIELDS = 16;

    /** A charset the request declares and the JVM does not know; its message is for the client. */
    static final class UnknownCharsetException extends Exception {
        UnknownCharsetException(String charset) {
            super("the form declares the charset '" + charset + "', which goto does not know; send it in UTF-8,"
                    + " or declare a charset such as ISO-8859-1", null, false, false);
        }
    }

    /** What {@link #readUrl} calls back with once the form is read; it must not block. */
    @FunctionalInterface
    interface Then {
        /**
         * {@code url}: the form's first {@code url} field, null when it has none; {@code urlFields}:
         * how many {@code url} fields it has (0, 1, or more); {@code failure}: null, or why the form
         * could not be read (then {@code url} is null and {@code urlFields} 0).
         */
        void accept(String url, int urlFields, Throwable failure);
    }

    private AddForm() {}

    /** Reads the form of {@code request}, of at most {@code maxBytes}, and calls {@code then}. */
    static void readUrl(Request request, int maxBytes, Then then) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        Charset charset;
        try {
            charset = declaredCharset(contentType, StandardCharsets.UTF_8);
        } catch (UnknownCharsetException e) {
            then.accept(null, 0, e);
            return;
        }
        if (contentType != null && MimeTypes.getBase(contentType).equalsIgnoreCase("multipart/form-data")) {
            MultiPartConfig config = new MultiPartConfig.Builder().maxParts(MAX_FIELDS).maxSize(maxBytes).maxPartSize(maxBytes)
                    .maxMemoryPartSize(maxBytes).useFilesForPartsWithoutFileName(false).build();
            MultiPartFormData.onParts(request, request, contentType, config,
                    Promise.Invocable.from(InvocationType.NON_BLOCKING, (MultiPartFormData.Parts parts, Throwable failure) -> {
                        if (failure != null) {
                            then.accept(null, 0, failure);
                            return;
                        }
                        try (parts) {
                            MultiPart.Part part = null;
                            int urlFields = 0;
                            for (int i = 0; i < parts.size(); i++) { // by index: no iterator per form
                                if ("url".equals(parts.get(i).getName()) && urlFields++ == 0) {
                                    part = parts.get(i);
                                }
                            }
                            if (part == null) {
                                then.accept(null, 0, null);
                                return;
                            }
                            HttpField partType = part.getHeaders().getField(HttpHeader.CONTENT_TYPE);
                            Charset partCharset = declaredCharset(partType == null ? null : partType.getValue(), charset);
                            then.accept(part.getContentAsString(partCharset), urlFields, null);
                        } catch (UnknownCharsetException e) {
                            then.accept(null, 0, e);
                        }
                    }));
            return;
        }
        FormFields.onFields(request, charset, MAX_FIELDS, maxBytes,
                Promise.Invocable.from(InvocationType.NON_BLOCKING, (Fields form, Throwable failure) -> {
                    Fields.Field url = failure == null ? form.get("url") : null;
                    then.accept(url == null ? null : url.getValue(), url == null ? 0 : url.getValues().size(), failure);
                }));
    }

    /** The charset a Content-Type declares, {@code otherwise} when it declares none. */
    static Charset declaredCharset(String contentType, Charset otherwise) throws UnknownCharsetException {
        String name = contentType == null ? null : MimeTypes.getCharsetFromContentType(contentType);
        if (name == null) {
            return otherwise;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnknownCharsetException(name);
        }
    }
}
