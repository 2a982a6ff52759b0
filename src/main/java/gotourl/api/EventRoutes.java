package gotourl.api;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeys;
import gotourl.events.EventFeed;
import gotourl.events.Tickets;
import java.time.Clock;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The live feed's routes: {@code GET /events} (Server-Sent Events, {@link EventFeed}) and
 * {@code POST /events/tickets} (a one-time ticket, {@link Tickets}). A stream is opened with the
 * {@code X-Api-Key} header as every route, or, for a browser's {@code EventSource} (which cannot
 * send headers), with {@code ?ticket=} from a ticket asked for with the key: the key itself is
 * never accepted in a URL.
 */
final class EventRoutes {
    static final String TICKET_PARAM = "ticket";

    private final EventFeed feed;
    private final Clock clock;

    EventRoutes(EventFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    /**
     * The header's key when one is sent; else the ticket's, used up by this call; else refused as
     * the API refuses. Two {@code X-Api-Key} headers never reach here: {@code RestApi} refuses them first.
     */
    ApiKeys.Authentication authenticate(Exchange exchange, ApiKeys keys) {
        String header = exchange.request.getHeaders().get("X-Api-Key");
        String ticket = header == null ? exchange.query().getValue(TICKET_PARAM) : null;
        if (ticket == null) {
            return keys.authenticate(header, clock.instant());
        }
        ApiKey key = feed.tickets().redeem(ticket);
        if (key == null) {
            return new ApiKeys.Authentication.Refused(false, "the live-feed ticket is unknown, used or expired (a ticket"
                    + " opens one stream within " + Tickets.VALIDITY.toSeconds() + " s); ask for a new one with POST"
                    + " /rest/v3/events/tickets and the X-Api-Key header");
        }
        return new ApiKeys.Authentication.Granted(key);
    }

    /** Opens the stream; an author key's stream carries only its own links' events. */
    void stream(Exchange exchange) {
        if (exchange.request.getMethod().equals("HEAD")) {
            exchange.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            exchange.empty(200);
            return;
        }
        if (!feed.accepting()) {
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
            throw Problem.unavailable("goto is shutting down: the live feed takes no new subscribers; reconnect in a moment");
        }
        feed.subscribe(exchange.response, exchange.stream(200), exchange.authorScope());
    }

    /** {@code {"ticket": "...", "expiresAt": "2026-11-30T15:41:00+00:00"}}, for the caller's key. */
    void ticket(Exchange exchange) {
        Tickets.Ticket ticket;
        try {
            ticket = feed.tickets().issue(exchange.key);
        } catch (Tickets.TooManyException tooMany) {
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Tickets.VALIDITY.toSeconds());
            throw new Problem(429, "too-many-tickets", "Too many tickets", tooMany.getMessage(), null);
        }
        exchange.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeStringField("ticket", ticket.value());
            json.writeStringField("expiresAt", Json.date(ticket.expiresAt()));
            json.writeEndObject();
        });
    }
}
