package gotourl.api;

import gotourl.ShortUrlBase;
import gotourl.link.Link;
import gotourl.link.NotFoundRedirects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * Shlink's {@code GET /domains}: the one default domain, its {@code redirects} the not-found
     * redirects {@code store} keeps (set through {@link #setRedirects}), and
     * {@code defaultRedirects} all null, as a Shlink started without its
     * {@code DEFAULT_*_REDIRECT} settings lists them.
     */
    void domains(Exchange exchange, gotourl.store.LinkStore store) {
        NotFoundRedirects redirects = store.notFoundRedirects();
        exchange.json(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("domains");
            json.writeArrayFieldStart("data");
            json.writeStartObject();
            json.writeStringField("domain", ownDomain);
            json.writeBooleanField("isDefault", true);
            json.writeFieldName("redirects");
            redirects(json, redirects);
            json.writeEndObject();
            json.writeEndArray();
            json.writeFieldName("defaultRedirects");
            redirects(json, NotFoundRedirects.NONE);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void redirects(com.fasterxml.jackson.core.JsonGenerator json, NotFoundRedirects redirects)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("baseUrlRedirect", redirects.baseUrlRedirect());
        json.writeStringField("regular404Redirect", redirects.regular404Redirect());
        json.writeStringField("invalidShortUrlRedirect", redirects.invalidShortUrlRedirect());
        json.writeEndObject();
    }

    /** The redirect fields of {@code PATCH /domains/redirects}, in Shlink's order. */
    private static final List<String> REDIRECT_FIELDS = List.of("baseUrlRedirect", "regular404Redirect", "invalidShortUrlRedirect");

    /** A host name, IPv4 or bracketed IPv6 address, and an optional port: what Shlink's {@code HostAndPortConverter} takes. */
    private static final java.util.regex.Pattern AUTHORITY = java.util.regex.Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])"
                    + "(?::([0-9]{1,5}))?");

    /**
     * Shlink's {@code PATCH /domains/redirects}: {@code {"domain": AUTHORITY, "baseUrlRedirect",
     * "regular404Redirect", "invalidShortUrlRedirect"}}, each redirect an absolute URL (checked by
     * the long-URL rules, and kept as they write it), null or {@code ""} to remove it, or absent to
     * keep it. Answers 200 with all three as kept, once the store has kept them (the file store:
     * forced to disk; the redirect listener follows them from then on). 400 {@code invalid-data}
     * naming each bad field; 404 {@code domain-not-found} for a domain that is not goto's own (its
     * authority, any case, or {@code DEFAULT}) and for an author key, which manages no domain (as
     * Shlink answers a key limited to another domain); 501 when the store cannot keep them.
     */
    void setRedirects(Exchange exchange, JsonNode body, gotourl.store.LinkStore store, gotourl.link.LongUrlRules rules) {
        if (!body.isObject()) {
            throw Problem.invalidData("the body must be a JSON object with \"domain\" and the redirects to set", List.of("domain"));
        }
        JsonNode domainNode = body.get("domain");
        String domain = domainNode != null && domainNode.isTextual() ? domainNode.asText().strip() : null;
        java.util.regex.Matcher authority = domain == null ? null : AUTHORITY.matcher(domain);
        if (authority == null || !authority.matches() || authority.group(1) != null && Integer.parseInt(authority.group(1)) > 65535) {
            throw Problem.invalidData("Provided data is not valid: \"domain\" must be the authority (host, or host:port) of the"
                    + " domain whose redirects to set, here \"" + ownDomain + "\"", List.of("domain"));
        }
        requireOwnDomain(domain);
        if (exchange.authorScope() != null) {
            throw new Problem(404, "domain-not-found", "Domain not found", "Domain with authority \"" + domain
                    + "\" could not be found: an author API key manages no domain's redirects; use an admin key",
                    java.util.Map.of("authority", domain));
        }
        // What this request sets (present[i]: the field is in the body; values[i]: its URL, or null to remove).
        boolean[] present = new boolean[REDIRECT_FIELDS.size()];
        String[] values = new String[REDIRECT_FIELDS.size()];
        List<String> invalid = new java.util.ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            String field = REDIRECT_FIELDS.get(i);
            if (!body.has(field)) {
                continue;
            }
            JsonNode value = body.get(field);
            present[i] = true;
            if (value.isNull() || value.isTextual() && value.asText().isBlank()) {
                values[i] = null;
            } else if (!value.isTextual()) {
                invalid.add(field);
                why.append(why.isEmpty() ? "" : "; ").append(field).append(" must be a URL, null or \"\"");
            } else {
                gotourl.link.LongUrlRules.Verdict verdict = rules.check(value.asText().strip());
                if (verdict.accepted()) {
                    values[i] = verdict.url();
                } else {
                    invalid.add(field);
                    why.append(why.isEmpty() ? "" : "; ").append(field).append(": ").append(verdict.problem());
                }
            }
        }
        if (!invalid.isEmpty()) {
            throw Problem.invalidData("Provided data is not valid: " + why, invalid);
        }
        merged(store, present, values).whenComplete((kept, failure) -> {
            try {
                if (failure == null) {
                    exchange.json(200, json -> redirects(json, kept));
                    return;
                }
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                exchange.problem(cause instanceof UnsupportedOperationException
                        ? new Problem(501, "not-implemented", "Not implemented", "this goto's store cannot keep not-found"
                                + " redirects (" + cause.getMessage() + "); nothing was changed", null)
                        : ShortUrlRoutes.storeProblem(exchange, cause));
            } catch (RuntimeException e) {
                ShortUrlRoutes.failed(exchange, e);
            }
        });
    }

    /** The last merge of not-found redirects asked for, done or not: the next merges into what it kept. */
    private CompletableFuture<?> lastMerge = CompletableFuture.completedFuture(null);

    /**
     * Sets the fields {@code present} marks to {@code values}, keeping the others as the store
     * has them, and completes as the store's write does. Merges run one after the other, each
     * once the one before is kept (or failed): two requests that set different redirects at once
     * both keep theirs, as they do in Shlink, whose update writes only the fields it changed.
     */
    private synchronized CompletableFuture<NotFoundRedirects> merged(gotourl.store.LinkStore store,
                                                                               boolean[] present, String[] values) {
        CompletableFuture<NotFoundRedirects> write = lastMerge.handle((ignored, failure) -> null)
                .thenCompose(ignored -> {
                    NotFoundRedirects before = store.notFoundRedirects();
                    String[] after = {before.baseUrlRedirect(), before.regular404Redirect(), before.invalidShortUrlRedirect()};
                    for (int i = 0; i < after.length; i++) {
                        if (present[i]) {
                            after[i] = values[i];
                        }
                    }
                    return store.setNotFoundRedirects(new NotFoundRedirects(after[0], after[1], after[2]));
                });
        lastMerge = write;
        return write;
    }

    /** Shlink's {@code GET /short-urls/{shortCode}/redirect-rules}: the link's own long URL and its rules, by priority. */
    void redirectRules(Exchange exchange, Link link) {
        exchange.json(200, json -> RedirectRulesInput.write(json, link.longUrl(), link.redirectRules()));
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
