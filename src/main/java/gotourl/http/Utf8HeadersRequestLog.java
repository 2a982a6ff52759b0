package gotourl.http;

import gotourl.visits.Tracker;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Jetty's request log with the User-Agent and Referer it logs read as the UTF-8 their clients
 * sent ({@code Café}, not {@code CafÃ©}), as visits read them ({@link Tracker#headerText}): Jetty
 * hands header values over as ISO-8859-1, one char a byte. A request whose two headers are ASCII,
 * nearly every one, is logged as it is; another is logged through a view of it with those two
 * decoded.
 */
final class Utf8HeadersRequestLog extends CustomRequestLog {
    Utf8HeadersRequestLog(RequestLog.Writer writer, String format) {
        super(writer, format);
    }

    @Override
    public void log(Request request, Response response) {
        HttpFields headers = request.getHeaders();
        String agent = headers.get(HttpHeader.USER_AGENT);
        String referer = headers.get(HttpHeader.REFERER);
        // headerText gives an ASCII value back as itself: nearly every request is logged as it is.
        if ((agent == null || Tracker.headerText(agent) == agent) && (referer == null || Tracker.headerText(referer) == referer)) {
            super.log(request, response);
            return;
        }
        HttpFields.Mutable decoded = HttpFields.build(headers.size());
        for (HttpField field : headers) {
            HttpHeader header = field.getHeader();
            decoded.add(header == HttpHeader.USER_AGENT || header == HttpHeader.REFERER
                    ? new HttpField(header, field.getName(), Tracker.headerText(field.getValue())) : field);
        }
        HttpFields view = decoded.asImmutable();
        super.log(new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return view;
            }
        }, response);
    }
}
