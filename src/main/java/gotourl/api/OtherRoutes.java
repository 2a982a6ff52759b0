package gotourl.api;

import gotourl.ShortUrlBase;
import gotourl.link.Link;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The smaller routes: health, the OpenAPI document, domains and redirect rules ({@link VisitRoutes}
 * answers the visits).
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

    /**
     * The domain of {@code GET /domains/{domain}/visits}: goto serves one, named {@code DEFAULT}
     * or by its authority (case-insensitive); any other is Shlink's 404 {@code domain-not-found}.
     */
    void requireOwnDomain(String domain) {
        if (!domain.equals("DEFAULT") && !domain.equalsIgnoreCase(ownDomain)) {
            throw new Problem(404, "domain-not-found", "Domain not found", "Domain with authority \"" + domain
                    + "\" could not be found", java.util.Map.of("authority", domain));
        }
    }
}
