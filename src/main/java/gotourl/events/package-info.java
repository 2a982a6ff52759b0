/**
 * The live feed: {@code GET /rest/v3/events}, Server-Sent Events of new links and visits, built as
 * the seeds' chat broadcaster ({@code 002}). {@link gotourl.events.EventFeed} is the broadcaster:
 * one named thread owns the set of subscribers; publishers (the REST API and {@code /add} once a
 * create is acknowledged, the visits worker once a batch is stored) hand it events without
 * blocking; each subscriber has a small bounded buffer and is dropped when it cannot keep up.
 * {@link gotourl.events.Tickets} are the one-time tickets a browser's {@code EventSource} (which
 * cannot send headers) connects with, so an API key never appears in a URL.
 *
 * <p>May use: {@code gotourl.link}, {@code gotourl.visits} (the {@code Visit} record),
 * {@code gotourl.apikey} (the {@code ApiKey} record), Jetty, Jackson. Knows nothing of routing:
 * {@code gotourl.api.RestApi} authenticates the request and hands it over.
 */
package gotourl.events;
