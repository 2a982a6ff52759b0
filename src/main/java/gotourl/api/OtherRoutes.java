package gotourl.api;

import gotourl.ShortUrlBase;
import gotourl.link.Link;
import gotourl.store.LinkStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.jetty.util.Fields;

/**
 * The smaller routes: health, the OpenAPI document, domains, redirect rules, and the visits
 * routes. Visits are not wired to the API yet: the visits routes answer Shlink's shapes with no
 * visits (an empty page, zero summaries, {@code deletedVisits: 0}); {@link #emptyVisits} is where
 * a visit store's pages plug in, with {@link ApiOptions#visits()} for the counts.
 */
final class OtherRoutes {
    private final ApiOptions options;
    private final String ownDomain;
    private final byte[] openApi;

    OtherRoutes(ApiOptions options, ShortUrlBase base) {
        this.options = options;
        String prefix = base.shortUrl("");
        String authority = prefix.substring(prefix.indexOf("://") + 3);
        this.ownDomain = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        this.openApi = load();
    }

    private static byte[] load() {
        try (InputStream in = OtherRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("gotourl/api/openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shlink's {@code GET /rest/health}: {@code application/health+json} {@code {status, version}},
     * 200 {@code pass} while goto is ready, 503 {@code fail} otherwise (starting, stopping, or its
     * store cannot write).
     */
    void health(Exchange exchange, String notReady) {
        boolean ready = notReady == null;
        exchange.health(ready ? 200 : 503, Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", ready ? "pass" : "fail");
            json.writeStringField("version", options.version());
            if (!ready) {
                json.writeStringField("output", notReady);
            }
            json.writeEndObject();
        }));
    }

    /** goto's API as an OpenAPI 3.1 document. */
    void openApi(Exchange exchange) {
        exchange.json(200, openApi);
    }

    /** Shlink's {@code GET /domains}: the one default domain, with no redirects of its own. */
    void domains(Exchange exchange) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("domains");
            json.writeArrayFieldStart("data");
            json.writeStartObject();
            json.writeStringField("domain", ownDomain);
            json.writeBooleanField("isDefault", true);
            json.writeFieldName("redirects");
            noRedirects(json);
            json.writeEndObject();
            json.writeEndArray();
            json.writeFieldName("defaultRedirects");
            noRedirects(json);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void noRedirects(com.fasterxml.jackson.core.JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNullField("baseUrlRedirect");
        json.writeNullField("regular404Redirect");
        json.writeNullField("invalidShortUrlRedirect");
        json.writeEndObject();
    }

    /** Shlink's {@code GET /short-urls/{shortCode}/redirect-rules}: goto has none, so the default long URL alone. */
    void redirectRules(Exchange exchange, Link link) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeStringField("defaultLongUrl", link.longUrl());
            json.writeArrayFieldStart("redirectRules");
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** {@code GET} (a page of visits) or {@code DELETE} ({@code deletedVisits}) of one link's visits. */
    void shortUrlVisits(Exchange exchange, Link link, String method) {
        if (method.equals("DELETE")) {
            deleted(exchange);
        } else {
            emptyPage(exchange);
        }
    }

    void tagVisits(Exchange exchange, String tag, LinkStore store) {
        if (!store.tagCounts(exchange.authorScope()).containsKey(tag)) {
            throw Problem.tagNotFound(tag);
        }
        emptyPage(exchange);
    }

    /** Domain, orphan and non-orphan visits: no visits are kept for the API yet. */
    void emptyVisits(Exchange exchange, RestApi.Kind kind, String method) {
        if (kind == RestApi.Kind.ORPHAN_VISITS && method.equals("DELETE")) {
            deleted(exchange);
            return;
        }
        if (kind == RestApi.Kind.DOMAIN_VISITS) {
            String domain = exchange.request.getHttpURI().getPath().replaceAll("^.*/domains/([^/]+)/visits$", "$1");
            if (!domain.equals("DEFAULT") && !domain.equalsIgnoreCase(ownDomain)) {
                throw new Problem(404, "domain-not-found", "Domain not found", "Domain with authority \"" + domain
                        + "\" could not be found", java.util.Map.of("authority", domain));
            }
        }
        emptyPage(exchange);
    }

    /** Shlink's {@code GET /visits}: the summaries of visits to links and of orphan visits. */
    void visitsOverview(Exchange exchange) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("visits");
            json.writeFieldName("nonOrphanVisits");
            Json.visitsSummary(json, 0, 0);
            json.writeFieldName("orphanVisits");
            Json.visitsSummary(json, 0, 0);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void deleted(Exchange exchange) {
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeNumberField("deletedVisits", 0);
            json.writeEndObject();
        });
    }

    /** Shlink's {@code {"visits": {"data": [], "pagination": ...}}} with no visits, on the page asked for. */
    private static void emptyPage(Exchange exchange) {
        Fields query = exchange.query();
        int page = positive(query.getValue("page"), 1);
        int itemsPerPage = query.getValue("itemsPerPage") == null ? -1 : positive(query.getValue("itemsPerPage"), -1);
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("visits");
            json.writeArrayFieldStart("data");
            json.writeEndArray();
            Json.pagination(json, page, itemsPerPage, 0, 0);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static int positive(String text, int otherwise) {
        try {
            int value = Integer.parseInt(text);
            return value >= 1 ? value : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
